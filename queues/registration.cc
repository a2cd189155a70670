// Registration of one printer; see registration.h.
#include "queues/registration.h"

#include <strings.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "common/log.h"
#include "discovery/wps_uri.h"
#include "queues/driverless_ppd.h"

namespace cupswps::queues {
namespace {

constexpr std::size_t kMaxQueueName = 127;

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void Progress(const RegisterOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
  log::Debug(line);
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

Result<Registered> RegisterPrinter(QueueAdmin& admin, const discovery::Printer& printer,
                                   const RegisterOptions& options) {
  auto queues = admin.List();
  if (!queues) return queues.error();
  if (std::string q = FindQueue(printer, *queues); !q.empty()) {
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
    for (const Queue& q : *queues) taken.insert(q.name);
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

Status CheckAddPolicy(const filters::Policy& policy, const std::string& policy_file,
                            const discovery::Printer& printer) {
  const filters::Decision d =
      filters::Evaluate(policy, filters::Mode::kAdd, printer, filters::LocalNetworks::FromHost());
  if (d.admitted) return {};
  return Error{ErrorCode::kRefused,
               "'" + printer.name + "' is not admitted by the policy in " + policy_file + ": " + d.reason + ".", ""};
}

}  // namespace cupswps::queues
