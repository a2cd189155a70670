// SPDX-License-Identifier: Apache-2.0
// `cups-wps watch`: the daemon. Composes the Watcher (queues/watcher.h:
// the auto-registration state machine) with the real seams: avahi-daemon for
// discovery, libcups for the queues, a pool of worker threads for the
// blocking registrations, GLib's clock. Runs until SIGTERM or SIGINT;
// registrations under way then finish (a queue is made whole or not at all).
#include <glib.h>
#include <malloc.h>
#include <signal.h>

#include <memory>
#include <string>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "common/clock.h"
#include "common/glib.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "filters/policy.h"
#include "queues/libcups_queue_admin.h"
#include "queues/pin_store.h"
#include "queues/thread_pool_job_runner.h"
#include "queues/watcher.h"

namespace cupswps::backend {
namespace {

// Registrations at once. Each waits mostly on the printer and on cupsd; each
// thread costs libcups' per-thread state and stack pages (bench/README.md has
// the figures behind the choice).
constexpr int kWorkers = 4;
constexpr int kDefaultRetrySeconds = 30;

}  // namespace

int RunWatch(int argc, char** argv) {
  // A long-running daemon with a pool of mostly idle workers: glibc would
  // give each thread that allocates its own malloc arena (and keep its pages).
  mallopt(M_ARENA_MAX, 2);
  gchar* policy_path = nullptr;
  gint remove_after = 0;
  gint retry_after = kDefaultRetrySeconds;
  gboolean debug = FALSE, require_tls = FALSE;
  const GOptionEntry entries[] = {
      {"policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, "Policy file (default /etc/cups/cups-wps.conf)", "FILE"},
      {"require-tls", 0, 0, G_OPTION_ARG_NONE, &require_tls,
       "Refuse printers that offer no IPPS (their identity cannot be verified)", nullptr},
      {"remove-after", 0, 0, G_OPTION_ARG_INT, &remove_after,
       "Delete a queue cups-wps made once its printer has been gone MINUTES (default 0: never)", "MINUTES"},
      {"retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after,
       "Try a failed registration again after SECONDS (default 30)", "SECONDS"},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("watch", "- register printers as they appear",
                    "Runs until SIGTERM. Makes a driverless queue for every printer that the policy\n"
                    "admits (by default: link-local and same-subnet printers).",
                    entries, &argc, &argv)) {
    return kExitUsage;
  }
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  if (argc > 1 || remove_after < 0 || remove_after > 525600 || retry_after < 1 || retry_after > 86400) {
    log::Error("usage: cups-wps watch [--policy FILE] [--require-tls] [--remove-after MINUTES (0..525600)] "
               "[--retry-after SECONDS (1..86400)]");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  if (!MayAdministerQueues("watch")) return kExitFailure;
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) {
    log::Error(policy.error().message);
    return kExitFailure;
  }
  policy->require_tls = policy->require_tls || require_tls;
  queues::LibcupsQueueAdmin admin;
  GlibClock clock(nullptr);
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  queues::Watcher::Options options{std::move(*policy), &filters::LocalNetworks::FromHost,
                                   std::chrono::minutes(remove_after), std::chrono::seconds(retry_after), {}};
  // Pins stay when watch removes a queue: a printer that comes back with
  // another key is refused, not pinned again (nobody was asked).
  options.register_options.pins = queues::PinStore::Default();
  options.register_options.replace_pin = false;
  auto watcher = std::make_unique<queues::Watcher>(
      admin, std::make_unique<discovery::AvahiServiceBrowser>(
                 nullptr, discovery::AvahiServiceBrowser::Options{.reconnect = true}),
      clock, std::make_unique<queues::ThreadPoolJobRunner>(nullptr, kWorkers), std::move(options));
  if (auto started = watcher->Start(); !started) {
    log::Error(started.error().message);
    return kExitFailure;
  }
  auto stop = [&] {
    log::Info("stopping");
    g_main_loop_quit(loop.get());
  };
  SourceGuard sigterm = OnUnixSignal(SIGTERM, stop);
  SourceGuard sigint = OnUnixSignal(SIGINT, stop);
  log::Info("watching for printers (policy " + policy_file +
            (remove_after > 0 ? ", queues removed after " + std::to_string(remove_after) +
                                    " min without their printer"
                              : ", queues are never removed") +
            ")");
  g_main_loop_run(loop.get());
  // Registrations under way finish; what they report is dropped.
  watcher.reset();
  log::Info("stopped");
  return kExitOk;
}

}  // namespace cupswps::backend
