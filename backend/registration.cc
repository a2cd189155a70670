// Registration of one printer; see registration.h.
#include "backend/registration.h"

#include <cups/cups.h>
#include <signal.h>
#include <strings.h>

#include <cerrno>
#include <time.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "common/handle.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "filters/attributes.h"

namespace cupswps::backend {
namespace {

using IppPtr = CPtr<ipp_t, ippDelete>;
using HttpPtr = CPtr<http_t, httpClose>;

constexpr std::size_t kMaxQueueName = 127;

// cupsd (2.4.2, Debian 12) builds each driverless PPD in a thread of its own
// and was seen to die silently when 200 queues were created at once (after
// about 20). So queues are created and finished one at a time per process;
// only the checks before (reading the printer's attributes) run in parallel.
// At ~0.06 s per queue that still makes 200 queues in about 12 s.
std::mutex g_creation_mutex;
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

Result<bool> ValidatePrinter(const discovery::Printer& printer, const discovery::Endpoint& endpoint) {
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
  return true;
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
  Progress(options, "checking the attributes of '" + printer.name + "' at " + endpoint->Uri());
  auto valid = options.validate ? options.validate(printer, *endpoint) : ValidatePrinter(printer, *endpoint);
  if (!valid) return valid.error();

  const std::lock_guard<std::mutex> one_at_a_time(g_creation_mutex);
  const auto t0 = std::chrono::steady_clock::now();
  std::string name;
  // A derived name may be taken between List and Create by someone else
  // (another printer registered in parallel): take the next free one.
  for (int attempt = 0;; ++attempt) {
    std::set<std::string> taken;
    for (const discovery::Queue& q : *queues) taken.insert(q.name);
    name = options.queue_name.empty() ? UniqueQueueName(QueueNameFor(printer.name), taken) : options.queue_name;
    Progress(options, "creating queue " + name + " (driverless, " + endpoint->Uri() + ")");
    QueueSpec spec{name, endpoint->Uri(), printer.name,
                   options.location.empty() ? printer.info.location : options.location};
    auto created = admin.Create(spec);
    if (created) break;
    if (created.error().code != ErrorCode::kQueueExists || !options.queue_name.empty() || attempt >= 5) {
      return created.error();
    }
    queues = admin.List();
    if (!queues) return queues.error();
  }

  auto undo = [&](Error e) -> Result<Registered> {
    if (auto d = admin.Delete(name); !d) log::Error(d.error().message);
    e.message += " The queue " + name + " was removed again.";
    return e;
  };

  Progress(options, "waiting for cupsd to build the driverless PPD of " + name);
  for (;;) {
    auto mm = admin.MakeAndModel(name);
    // cupsd restarting answers nothing for a moment: keep waiting for it.
    if (!mm && mm.error().code != ErrorCode::kCupsUnavailable) return undo(mm.error());
    if (mm && !mm->empty() && *mm != kRawMakeAndModel) break;
    if (options.cancel != nullptr && options.cancel->load()) {
      return undo(Error{ErrorCode::kCancelled, "Interrupted while " + name + " was being set up.", ""});
    }
    if (Since(t0) > options.ppd_timeout_seconds) {
      return undo(Error{ErrorCode::kTimeout,
                        "cupsd did not build a driverless PPD for " + name + " within " +
                            std::to_string(static_cast<int>(options.ppd_timeout_seconds)) +
                            " s; is the printer reachable from the CUPS server?",
                        ""});
    }
    // cupsd builds the PPD in a thread of its own and sends no event for it.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (auto finished = admin.Finish(name, discovery::FormatWpsUri(printer), printer.name); !finished) {
    return undo(finished.error());
  }
  return Registered{name, true, Since(t0)};
}

Result<std::vector<std::string>> SweepHalfMade(QueueAdmin& admin) {
  auto queues = admin.List();
  if (!queues) return queues.error();
  std::vector<std::string> swept;
  for (const discovery::Queue& q : *queues) {
    const long pid = SetupInfoPid(q.info);
    if (pid <= 0 || discovery::ParseWpsUri(q.device_uri)) continue;
    // Still being set up by a live process (another add, a watch).
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
    if (auto d = admin.Delete(q.name); !d) return d.error();
    swept.push_back(q.name);
  }
  return swept;
}

void SweepHalfMadeAndSay(QueueAdmin& admin) {
  auto swept = SweepHalfMade(admin);
  if (!swept) {
    log::Debug(swept.error().message);
    return;
  }
  for (const std::string& q : *swept) log::Info("deleted queue " + q + ", left half-made by an earlier run");
}

}  // namespace cupswps::backend
