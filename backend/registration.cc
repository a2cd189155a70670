// Registration of one printer; see registration.h.
#include "backend/registration.h"

#include <cups/cups.h>
#include <cups/ppd.h>
#include <strings.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "common/handle.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "filters/attributes.h"

// libcups' IPP Everywhere PPD generator (cups/ppd-private.h, not installed
// by libcups2-dev; exported by libcups.so.2 and used by cupsd itself).
extern "C" char* _ppdCreateFromIPP(char* buffer, size_t bufsize, ipp_t* response);

namespace cupswps::backend {
namespace {

using IppPtr = CPtr<ipp_t, ippDelete>;
using HttpPtr = CPtr<http_t, httpClose>;

constexpr std::size_t kMaxQueueName = 127;

constexpr int kPrinterTimeoutMs = 15000;

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void Progress(const RegisterOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
  log::Debug(line);
}

// Get-Printer-Attributes from the printer itself (not from cupsd).
Result<IppPtr> FetchAttributes(const discovery::Endpoint& e) {
  const bool tls = e.type == discovery::ServiceType::kIpps;
  // httpConnect2 wants the host without brackets; a link-local zone stays.
  HttpPtr http(httpConnect2(e.address.c_str(), e.port, nullptr, AF_UNSPEC,
                            tls ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1, kPrinterTimeoutMs,
                            nullptr));
  if (!http) {
    return Error{ErrorCode::kNotFound, "Cannot connect to the printer at " + e.Uri() + ".",
                 cupsLastErrorString()};
  }
  static const char* const kWanted[] = {"all", "media-col-database"};
  IppPtr request(ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, e.Uri().c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr, kWanted);
  IppPtr response(cupsDoRequest(http.get(), request.release(), ("/" + e.resource).c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
    return Error{ErrorCode::kNotFound, "The printer at " + e.Uri() + " did not answer Get-Printer-Attributes.",
                 cupsLastErrorString()};
  }
  return response;
}

}  // namespace

std::string QueueNameFor(std::string_view printer_name) {
  std::string out;
  for (const char c : printer_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (ok) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
    if (out.size() >= kMaxQueueName) break;
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) out.pop_back();
  while (!out.empty() && out.front() == '.') out.erase(0, 1);
  return out.empty() ? "printer" : out;
}

std::string UniqueQueueName(const std::string& base, const std::set<std::string>& taken) {
  auto is_taken = [&](const std::string& n) {
    for (const std::string& t : taken) {
      if (strcasecmp(t.c_str(), n.c_str()) == 0) return true;  // CUPS names are case-insensitive
    }
    return false;
  };
  if (!is_taken(base)) return base;
  for (int i = 2;; ++i) {
    const std::string suffix = "_" + std::to_string(i);
    const std::string name = base.substr(0, kMaxQueueName - suffix.size()) + suffix;
    if (!is_taken(name)) return name;
  }
}

namespace {

// cupsd builds a driverless PPD only for printers that take PDF, PWG Raster
// or Apple Raster; it fails silently otherwise (the queue stays raw), so
// refuse such printers up front.
bool DriverlessCapable(ipp_t* attrs) {
  ipp_attribute_t* formats = ippFindAttribute(attrs, "document-format-supported", IPP_TAG_MIMETYPE);
  for (int i = 0; formats != nullptr && i < ippGetCount(formats); ++i) {
    const char* f = ippGetString(formats, i, nullptr);
    if (f == nullptr) continue;
    if (strcasecmp(f, "application/pdf") == 0 || strcasecmp(f, "image/pwg-raster") == 0 ||
        strcasecmp(f, "image/urf") == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::string> MakeDriverlessPpd(const discovery::Printer& printer, const discovery::Endpoint& endpoint) {
  auto attrs = FetchAttributes(endpoint);
  if (!attrs) return attrs.error();
  if (auto refusal = filters::ValidatePrinterAttributes(attrs->get())) {
    return Error{ErrorCode::kRefused, filters::RefusalSentence(printer.name, *refusal), ""};
  }
  if (!DriverlessCapable(attrs->get())) {
    return Error{ErrorCode::kRefused,
                 "'" + printer.name + "' does not print PDF, PWG Raster or Apple Raster, so CUPS cannot make a "
                 "driverless queue for it; nothing was created.",
                 ""};
  }
  char path[1024] = {};
  if (_ppdCreateFromIPP(path, sizeof path, attrs->get()) == nullptr) {
    return Error{ErrorCode::kRefused,
                 "Cannot build a driverless PPD for '" + printer.name + "': " + cupsLastErrorString() +
                     "; nothing was created.",
                 ""};
  }
  return std::string(path);
}

Result<Registered> RegisterPrinter(QueueAdmin& admin, const discovery::Printer& printer,
                                   const RegisterOptions& options) {
  auto queues = admin.List();
  if (!queues) return queues.error();
  if (std::string q = discovery::FindQueue(printer, *queues); !q.empty()) {
    return Registered{q, false, 0};
  }
  const discovery::Endpoint* endpoint = printer.BestIpp();
  if (endpoint == nullptr) {
    return Error{ErrorCode::kRefused,
                 "'" + printer.name + "' offers no IPP endpoint; only ipp and ipps printers can be registered.", ""};
  }
  const auto t0 = std::chrono::steady_clock::now();
  Progress(options, "checking the attributes of '" + printer.name + "' at " + endpoint->Uri());
  auto ppd = options.make_ppd ? options.make_ppd(printer, *endpoint) : MakeDriverlessPpd(printer, *endpoint);
  if (!ppd) return ppd.error();
  struct Unlink {
    std::string path;
    ~Unlink() { std::remove(path.c_str()); }
  } remove_ppd{*ppd};

  // A derived name may be taken between List and Create by someone else
  // (another printer registered in parallel): take the next free one.
  for (int attempt = 0;; ++attempt) {
    std::set<std::string> taken;
    for (const discovery::Queue& q : *queues) taken.insert(q.name);
    const std::string name =
        options.queue_name.empty() ? UniqueQueueName(QueueNameFor(printer.name), taken) : options.queue_name;
    Progress(options, "creating queue " + name + " (driverless, " + endpoint->Uri() + ")");
    QueueSpec spec{name, discovery::FormatWpsUri(printer), printer.name,
                   options.location.empty() ? printer.info.location : options.location, *ppd};
    auto created = admin.Create(spec);
    if (created) return Registered{name, true, Since(t0)};
    if (created.error().code != ErrorCode::kQueueExists || !options.queue_name.empty() || attempt >= 5) {
      return created.error();
    }
    queues = admin.List();
    if (!queues) return queues.error();
  }
}

Result<bool> CheckAddPolicy(const filters::Policy& policy, const std::string& policy_file,
                            const discovery::Printer& printer) {
  const filters::Decision d =
      filters::Evaluate(policy, filters::Mode::kAdd, printer, filters::LocalNetworks::FromHost());
  if (d.admitted) return true;
  return Error{ErrorCode::kRefused,
               "'" + printer.name + "' is not admitted by the policy in " + policy_file + ": " + d.reason + ".", ""};
}

}  // namespace cupswps::backend
