// SPDX-License-Identifier: Apache-2.0
// `cups-wps list`: the printers on the network that have no CUPS queue yet.
#include <glib.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "backend/cli/list_view.h"
#include "backend/scan.h"
#include "common/clock.h"
#include "common/glib.h"
#include "common/json.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/discovery.h"
#include "filters/policy.h"
#include "queues/libcups_queue_admin.h"

namespace cupswps::backend {
namespace {


std::vector<FoundPrinter> Visible(std::vector<FoundPrinter> all, bool include_queued) {
  if (include_queued) return all;
  std::vector<FoundPrinter> out;
  for (FoundPrinter& f : all) {
    if (f.queue.empty()) out.push_back(std::move(f));
  }
  return out;
}

// Fills in what the policy says of each printer without a queue.
void ApplyPolicy(const filters::Policy& policy, std::vector<FoundPrinter>* printers) {
  const filters::LocalNetworks local = filters::LocalNetworks::FromHost();
  for (FoundPrinter& f : *printers) {
    if (!f.queue.empty()) continue;
    const filters::Decision add = filters::Evaluate(policy, filters::Mode::kAdd, f.printer, local);
    const filters::Decision watch = filters::Evaluate(policy, filters::Mode::kWatch, f.printer, local);
    f.admitted = add.admitted;
    f.auto_register = watch.admitted;
    if (!add.admitted) {
      f.policy_note = add.reason;
    } else if (!watch.admitted) {
      f.policy_note = "watch: " + watch.reason;
    }
  }
}

// --follow: report printers as they come and go until interrupted.
int Follow(bool as_json, bool include_queued) {
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  GlibClock clock(nullptr);
  discovery::Discovery discovery(std::make_unique<discovery::AvahiServiceBrowser>(
                                     nullptr, discovery::AvahiServiceBrowser::Options{.reconnect = true}),
                                 clock);

  auto queue_of = [](const discovery::Printer& p) {
    auto queues = queues::LibcupsQueueAdmin().List();
    if (!queues) {
      log::Debug(queues.error().message);
      return std::string();
    }
    return queues::FindQueue(p, *queues);
  };
  auto emit_printer = [&](const char* event, const discovery::Printer& p, bool check_queue) {
    FoundPrinter f{p, check_queue ? queue_of(p) : std::string()};
    if (check_queue && !f.queue.empty() && !include_queued) return;
    if (as_json) {
      Out(std::string("{\"event\":\"") + event + "\",\"printer\":" + PrinterJson(f) + "}\n");
    } else {
      const char* sign = event[0] == 'a' ? "+" : event[0] == 'r' ? "-" : "~";
      std::string line = std::string(sign) + " " + p.name;
      if (!p.info.make_and_model.empty()) line += "  " + p.info.make_and_model;
      if (const discovery::Endpoint* e = p.Best()) line += "  " + e->Uri();
      if (!f.queue.empty()) line += "  queue " + f.queue;
      Out(line + "\n");
    }
  };
  auto emit_status = [&](const char* event, const std::string& message) {
    if (as_json) {
      Out(std::string("{\"event\":\"") + event + "\"" +
          (message.empty() ? std::string() : ",\"message\":" + json::Quote(message)) + "}\n");
    } else if (!message.empty()) {
      Out("# " + message + "\n");
    }
  };

  discovery::DiscoveryEvents events;
  events.added = [&](const discovery::Printer& p) { emit_printer("added", p, true); };
  events.changed = [&](const discovery::Printer& p) { emit_printer("changed", p, true); };
  events.removed = [&](const discovery::Printer& p) { emit_printer("removed", p, false); };
  events.complete = [&] { emit_status("complete", "the view is complete; following changes"); };
  events.lost = [&](const Error&) {
    emit_status("daemon-lost", "avahi-daemon went away; waiting for it to come back");
  };
  events.connected = [&] { emit_status("daemon-connected", ""); };
  if (auto started = discovery.Start(std::move(events)); !started) {
    log::Error(started.error().message);
    return kExitFailure;
  }
  auto stop = [&] { g_main_loop_quit(loop.get()); };
  SourceGuard sigint = OnUnixSignal(SIGINT, stop);
  SourceGuard sigterm = OnUnixSignal(SIGTERM, stop);
  g_main_loop_run(loop.get());
  return kExitOk;
}

}  // namespace

int RunList(int argc, char** argv) {
  gboolean as_json = FALSE, all = FALSE, follow = FALSE, debug = FALSE;
  gchar* policy_path = nullptr;
  gdouble timeout = 5.0;
  const GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print a JSON array (with --follow: JSON lines)", nullptr},
      {"all", 'a', 0, G_OPTION_ARG_NONE, &all, "Also list printers that already have a queue", nullptr},
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout, "Wait at most SECONDS for discovery (default 5)",
       "SECONDS"},
      {"follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Keep running and report printers as they come and go",
       nullptr},
      {"policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
       "Policy file whose verdicts to show (default /etc/cups/cups-wps.conf)", "FILE"},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("list", "- list printers that have no CUPS queue yet",
                    "Lists the printers advertised on the local network (mDNS) that have no queue\n"
                    "on the CUPS scheduler yet. Returns once every advert has been resolved.",
                    entries, &argc, &argv)) {
    return kExitUsage;
  }
  if (argc > 1) {
    log::Error(std::string("unexpected argument '") + argv[1] + "' (see 'cups-wps list --help')");
    return kExitUsage;
  }
  if (!(timeout > 0.0) || timeout > 3600.0) {
    log::Error("--timeout takes a number of seconds between 0 and 3600");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) {
    log::Error(policy.error().message);
    return kExitFailure;
  }
  if (follow) return Follow(as_json, all);

  auto scan = Scan(ScanOptions{.timeout_seconds = timeout, .need_queues = true});
  if (!scan) {
    log::Error(scan.error().message);
    log::Debug(scan.error().detail);
    return kExitFailure;
  }
  if (scan->interrupted) return 130;
  if (!scan->complete) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", timeout);
    log::Info(std::string("discovery did not finish within ") + seconds +
              " s; the list may be incomplete (try a longer --timeout)");
  }
  std::vector<FoundPrinter> shown = Visible(std::move(scan->printers), all);
  ApplyPolicy(*policy, &shown);
  if (as_json) {
    Out(PrintersJson(shown));
  } else if (shown.empty()) {
    Out(all ? "No printers found on the network.\n" : "No printers without a queue found on the network.\n");
  } else {
    Out(PrintersTable(shown, isatty(STDOUT_FILENO) ? 40 : 0));
  }
  return kExitOk;
}

}  // namespace cupswps::backend
