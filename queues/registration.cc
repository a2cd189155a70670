// SPDX-License-Identifier: Apache-2.0
// Registration of one printer; see registration.h.
#include "queues/registration.h"

#include <strings.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>

#include "common/log.h"
#include "discovery/wps_uri.h"
#include "queues/driverless_ppd.h"
#include "queues/ppd_names.h"

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

// Step 5. A pin of another identity stays unless options.replace_pin.
Status PinIdentity(const PinStore& pins, const discovery::Printer& printer, const discovery::Endpoint& endpoint,
                   const PrinterIdentity& identity, const RegisterOptions& options) {
  if (!options.replace_pin) {
    auto old = pins.Load(printer.key);
    if (!old) return old.error();
    if (old->has_value() && (*old)->identity != identity) {
      return Error{ErrorCode::kRefused,
                   "'" + printer.name + "' does not show the identity pinned for it before (" +
                       std::string(IdentityWord((*old)->identity)) + " " + (*old)->identity.key_pin +
                       "); if it was reset or replaced, make its queue with 'cups-wps add'.",
                   "presented " + std::string(IdentityWord(identity)) + " " + identity.key_pin};
    }
  }
  Progress(options, "pinning the identity of '" + printer.name + "': " +
                        (identity.tls ? identity.key_pin : "unverified (it offers no IPPS)"));
  return pins.Save(
      Pin{printer.key, identity, printer.name, endpoint.Uri(), static_cast<std::int64_t>(std::time(nullptr))});
}

struct RemoveFile {
  std::string path;
  ~RemoveFile() { std::remove(path.c_str()); }
};

Error NoIpp(const discovery::Printer& printer) {
  return Error{ErrorCode::kRefused,
               "'" + printer.name + "' offers no IPP endpoint; only ipp and ipps printers can be registered.", ""};
}

// Steps 3 to 5: the path of a PPD made from the printer's validated
// attributes (the caller removes it), its identity pinned.
Result<std::string> BuildPpd(const discovery::Printer& printer, const discovery::Endpoint& endpoint,
                             const RegisterOptions& options, PrinterIdentity* identity) {
  Progress(options, "checking the attributes of '" + printer.name + "' at " + endpoint.Uri());
  auto ppd = options.make_ppd ? options.make_ppd(printer, endpoint, identity)
                              : MakeDriverlessPpd(printer, endpoint, identity);
  if (!ppd || !options.pins) return ppd;
  if (auto pinned = PinIdentity(*options.pins, printer, endpoint, *identity, options); !pinned) {
    std::remove(ppd->c_str());
    return pinned.error();
  }
  return ppd;
}

// Step 1: the queue that serves the printer already. When its URI names the
// printer by UUID and its PPD says it was made from another printer (a
// dialog gave it a twin's PPD), it gets one made from this printer. A PPD
// that says nothing (libcups', a person's choice, an older cups-wps's) stays.
Result<Registered> Kept(QueueAdmin& admin, const discovery::Printer& printer, const Queue& queue,
                        const RegisterOptions& options) {
  const auto uri = discovery::ParseWpsUri(queue.device_uri);
  if (printer.uuid.empty() || !uri || uri->uuid != printer.uuid) return Registered{queue.name, false, 0};
  auto text = admin.Ppd(queue.name);
  if (!text) {  // the queue is there; it stays as it is
    log::Debug("cannot read the PPD of queue " + queue.name + ": " + text.error().message + " " + text.error().detail);
    return Registered{queue.name, false, 0};
  }
  const std::string made_from = PpdPrinterUuid(*text);
  if (made_from.empty() || made_from == printer.uuid) return Registered{queue.name, false, 0};
  const discovery::Endpoint* endpoint = printer.BestIpp();
  if (endpoint == nullptr) return NoIpp(printer);
  const auto t0 = std::chrono::steady_clock::now();
  Progress(options, "the PPD of queue " + queue.name + " was made from another printer (wps://uuid/" + made_from +
                        "); replacing it with one made from '" + printer.name + "'");
  Registered kept{queue.name, false, 0, {}, made_from};
  auto ppd = BuildPpd(printer, *endpoint, options, &kept.identity);
  if (!ppd) return ppd.error();
  const RemoveFile remove_ppd{*ppd};
  if (auto replaced = admin.ReplacePpd(queue.name, *ppd); !replaced) return replaced.error();
  kept.seconds = Since(t0);
  return kept;
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
    for (const Queue& queue : *queues) {
      if (queue.name == q) return Kept(admin, printer, queue, options);
    }
  }
  const discovery::Endpoint* endpoint = printer.BestIpp();
  if (endpoint == nullptr) return NoIpp(printer);
  const auto t0 = std::chrono::steady_clock::now();
  PrinterIdentity identity;
  auto ppd = BuildPpd(printer, *endpoint, options, &identity);
  if (!ppd) return ppd.error();
  const RemoveFile remove_ppd{*ppd};

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
    if (created) return Registered{name, true, Since(t0), identity};
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
