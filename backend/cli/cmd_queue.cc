// SPDX-License-Identifier: Apache-2.0
// `cups-wps add` and `cups-wps remove`: make and delete the driverless queue
// of one printer.
#include <strings.h>

#include <cstdio>
#include <string>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "backend/cli/list_view.h"
#include "backend/cli/registration_plan.h"
#include "queues/identity.h"
#include "queues/libcups_queue_admin.h"
#include "queues/pin_store.h"
#include "queues/registration.h"
#include "backend/scan.h"
#include "backend/cli/selection.h"
#include "common/json.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "filters/policy.h"

namespace cupswps::backend {
namespace {

int Fail(bool as_json, const Error& e) {
  log::Debug(e.detail);
  if (as_json) {
    json::Writer w;
    w.BeginObject().Key("ok").Bool(false).Key("error").String(e.message).EndObject();
    Out(w.str() + "\n");
  } else {
    log::Error(e.message);
  }
  return kExitFailure;
}

}  // namespace

int RunAdd(int argc, char** argv) {
  gchar* name = nullptr;
  gchar* location = nullptr;
  gchar* policy_path = nullptr;
  gboolean as_json = FALSE, debug = FALSE, require_tls = FALSE;
  gdouble timeout = 10.0;
  const GOptionEntry entries[] = {
      {"name", 'n', 0, G_OPTION_ARG_STRING, &name, "Queue name (default: from the printer's name)", "QUEUE"},
      {"require-tls", 0, 0, G_OPTION_ARG_NONE, &require_tls,
       "Refuse a printer that offers no IPPS (its identity cannot be verified)", nullptr},
      {"location", 'l', 0, G_OPTION_ARG_STRING, &location, "Location (default: from the advert)", "TEXT"},
      {"policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, "Policy file (default /etc/cups/cups-wps.conf)", "FILE"},
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout, "Wait at most SECONDS for discovery (default 10)",
       "SECONDS"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the result as JSON", nullptr},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("add", "PRINTER - make a driverless CUPS queue for a printer",
                    "PRINTER is what 'cups-wps list' shows: a UUID, a name, or a URI.", entries, &argc, &argv)) {
    return kExitUsage;
  }
  const std::string queue_name = TakeOption(name);
  const std::string location_text = TakeOption(location);
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  if (argc != 2) {
    log::Error("name one printer (see 'cups-wps add --help')");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  auto plan = PlanRegistration(queue_name, location_text, policy_file);
  if (!plan && plan.error().code == ErrorCode::kInvalidArgument) {
    log::Error(plan.error().message + " (see 'cups-wps add --help')");
    return kExitUsage;
  }
  if (!MayAdministerQueues("add")) return kExitFailure;
  if (!plan) return Fail(as_json, plan.error());
  plan->policy.require_tls = plan->policy.require_tls || require_tls;
  const std::string what = argv[1];

  auto scan = Scan(ScanOptions{.timeout_seconds = timeout, .need_queues = true});
  if (!scan) return Fail(as_json, scan.error());
  auto found = SelectPrinter(scan->printers, what);
  if (!found) return Fail(as_json, found.error());
  const discovery::Printer& printer = found->printer;

  if (found->queue.empty()) {
    if (auto admitted = Admit(*plan, printer); !admitted) return Fail(as_json, admitted.error());
  }

  queues::LibcupsQueueAdmin admin;
  if (!as_json) plan->options.progress = [](const std::string& line) { log::Info(line); };
  auto registered = queues::RegisterPrinter(admin, printer, plan->options);
  if (!registered) return Fail(as_json, registered.error());

  if (as_json) {
    json::Writer w;
    w.BeginObject()
        .Key("ok").Bool(true)
        .Key("queue").String(registered->queue)
        .Key("created").Bool(registered->created)
        .Key("device_uri").String(discovery::FormatWpsUri(printer))
        .Key("ppd_was_from").StringOrNull(registered->ppd_was_from);
    if (registered->created || !registered->ppd_was_from.empty()) {
      w.Key("identity").String(std::string(queues::IdentityWord(registered->identity)));
      w.Key("key").StringOrNull(registered->identity.key_pin);
    }
    w.Key("milliseconds").Int(static_cast<std::int64_t>(registered->seconds * 1000)).EndObject();
    Out(w.str() + "\n");
  } else if (!registered->created && !registered->ppd_was_from.empty()) {
    Out("'" + printer.name + "' has a queue already: " + registered->queue + ". Its PPD had been made from another " +
        "printer (wps://uuid/" + registered->ppd_was_from + "); it now has one made from '" + printer.name + "'.\n");
  } else if (!registered->created) {
    Out("'" + printer.name + "' has a queue already: " + registered->queue + " (nothing changed)\n");
  } else {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", registered->seconds);
    Out("Queue " + registered->queue + " is ready: driverless, prints to '" + printer.name + "' through " +
        discovery::FormatWpsUri(printer) + " (ready in " + secs + " s)\n");
    Out(registered->identity.tls
            ? "  identity: tls; jobs go only to the printer with the key " + registered->identity.key_pin + "\n"
            : std::string("  identity: unverified; it offers no IPPS, so nothing proves that jobs reach this "
                          "printer and not another that claims its UUID\n"));
  }
  return kExitOk;
}

int RunRemove(int argc, char** argv) {
  gboolean as_json = FALSE, debug = FALSE;
  const GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the result as JSON", nullptr},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("remove", "QUEUE - delete a queue that cups-wps made",
                    "Only queues whose device URI is wps:// are deleted; others are refused.", entries, &argc,
                    &argv)) {
    return kExitUsage;
  }
  if (argc != 2) {
    log::Error("name one queue (see 'cups-wps remove --help')");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  if (!MayAdministerQueues("remove")) return kExitFailure;
  const std::string name = argv[1];
  queues::LibcupsQueueAdmin admin;
  auto listed = admin.List();
  if (!listed) return Fail(as_json, listed.error());
  const queues::Queue* queue = nullptr;
  for (const queues::Queue& q : *listed) {
    if (strcasecmp(q.name.c_str(), name.c_str()) == 0) queue = &q;
  }
  if (queue == nullptr) return Fail(as_json, Error{ErrorCode::kNotFound, "There is no queue " + name + ".", ""});
  if (!discovery::ParseWpsUri(queue->device_uri)) {
    return Fail(as_json, Error{ErrorCode::kRefused,
                               "The queue " + queue->name + " was not made by cups-wps (its device URI is not "
                               "wps://); delete it with lpadmin -x if you mean to.",
                               ""});
  }
  const std::string removed = queue->name;
  const std::string printer_key = queues::PrinterKeyOf(*discovery::ParseWpsUri(queue->device_uri));
  if (auto d = admin.Delete(removed); !d) return Fail(as_json, d.error());
  // The printer's pin goes with its last queue.
  bool pin_in_use = false;
  for (const queues::Queue& q : *listed) {
    const auto uri = discovery::ParseWpsUri(q.device_uri);
    pin_in_use = pin_in_use || (q.name != removed && uri && queues::PrinterKeyOf(*uri) == printer_key);
  }
  if (!pin_in_use) {
    if (auto gone = queues::PinStore::Default().Remove(printer_key); !gone) log::Error(gone.error().message);
  }
  if (as_json) {
    json::Writer w;
    w.BeginObject().Key("ok").Bool(true).Key("removed").String(removed).EndObject();
    Out(w.str() + "\n");
  } else {
    Out("Removed queue " + removed + "\n");
  }
  return kExitOk;
}

}  // namespace cupswps::backend
