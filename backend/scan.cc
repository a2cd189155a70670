// SPDX-License-Identifier: Apache-2.0
// One-shot scan on a private GLib main loop; see scan.h.
#include "backend/scan.h"

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "common/glib.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/mdns_drops.h"
#include "discovery/discovery.h"
#include "queues/libcups_queue_admin.h"

namespace cupswps::backend {
namespace {

constexpr guint kGrowthCheckMs = 100;

}  // namespace

std::vector<FoundPrinter> MatchQueues(std::vector<discovery::Printer> printers,
                                      const std::vector<queues::Queue>& queues) {
  std::vector<FoundPrinter> out;
  out.reserve(printers.size());
  for (discovery::Printer& p : printers) {
    std::string q = queues::FindQueue(p, queues);
    out.push_back(FoundPrinter{std::move(p), std::move(q)});
  }
  return out;
}

bool WaitPastTimeLimit(std::size_t unresolved, double seconds_since_change, double seconds_elapsed,
                       double grow_limit_seconds) {
  if (!(seconds_elapsed < grow_limit_seconds)) return false;
  return seconds_since_change < kGrowthWindowSeconds || unresolved > discovery::kResolveWindow;
}

Result<ScanResult> Scan(const ScanOptions& options) {
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  ScanResult result;
  std::optional<Error> failure;
  auto quit = [&] { g_main_loop_quit(loop.get()); };

  GlibClock clock(nullptr);
  discovery::Discovery discovery(
      std::make_unique<discovery::AvahiServiceBrowser>(nullptr, discovery::AvahiServiceBrowser::Options{
          .early_complete = !options.stop_at || options.whole_view, .socket_drops = discovery::MdnsSocketDrops}),
      clock);
  discovery::DiscoveryEvents events;
  bool seen_before_complete = false;  // whole_view: the printer is in; the complete view ends the scan
  events.complete = [&] {
    result.complete = true;
    // Looking for one printer: it may still appear (waking up, joining).
    if (!options.stop_at || seen_before_complete) quit();
  };
  SourceGuard settle_timer;
  bool settled = false;
  auto settle = [&](const discovery::Printer& p) {
    if (!options.stop_at || settled || !options.stop_at(p)) return;
    if (options.whole_view && !result.complete) {
      seen_before_complete = true;
      return;
    }
    if (discovery::Settled(p)) {
      settled = true;
      quit();
      return;
    }
    if (settle_timer.active()) return;
    settle_timer = Schedule(nullptr, static_cast<guint>(discovery::kSettleSeconds * 1000), [&] {
      quit();
      return false;
    });
  };
  // A plain listing needs the view at the end only, not printer-level events.
  if (options.stop_at) {
    events.added = settle;
    events.changed = settle;
  }
  events.lost = [&](const Error& e) {
    failure = e;
    quit();
  };
  if (auto started = discovery.Start(std::move(events)); !started) return started.error();

  // Ask cupsd while avahi-daemon works on the browses.
  std::vector<queues::Queue> queues;
  if (!options.fetch_queues) {
  } else if (auto fetched = queues::LibcupsQueueAdmin().List()) {
    queues = std::move(*fetched);
    result.queues_known = true;
  } else if (options.need_queues) {
    return fetched.error();
  } else {
    log::Debug(fetched.error().message + " (" + fetched.error().detail + ")");
  }

  // At the time limit, a view that still grows is waited for, a little at a
  // time, up to grow_limit_seconds.
  const std::int64_t started_us = g_get_monotonic_time();
  const bool may_grow = options.grow_limit_seconds > options.timeout_seconds;
  auto still_growing = [&] {
    const auto last = discovery.last_advert_change();
    if (!may_grow || last.count() == 0) return false;
    return WaitPastTimeLimit(discovery.unresolved(), static_cast<double>((clock.Now() - last).count()) / 1000.0,
                             static_cast<double>(g_get_monotonic_time() - started_us) / 1e6,
                             options.grow_limit_seconds);
  };
  SourceGuard time_limit_extension;
  const double ms = std::clamp(options.timeout_seconds * 1000.0, 0.0, 86400000.0);
  SourceGuard time_limit = Schedule(nullptr, static_cast<guint>(ms), [&] {
    if (!still_growing()) {
      quit();
      return false;
    }
    result.extended = true;
    time_limit_extension = Schedule(nullptr, kGrowthCheckMs, [&] {
      if (still_growing()) return true;
      quit();
      return false;
    });
    return false;
  });
  auto interrupt = [&] {
    result.interrupted = true;
    quit();
  };
  SourceGuard sigint = OnUnixSignal(SIGINT, interrupt);
  SourceGuard sigterm = OnUnixSignal(SIGTERM, interrupt);

  if ((options.stop_at || !result.complete) && !failure) g_main_loop_run(loop.get());
  if (failure) return *failure;
  result.seconds = static_cast<double>(g_get_monotonic_time() - started_us) / 1e6;
  result.printers = MatchQueues(discovery.Printers(), queues);
  return result;
}

Result<NamedPrinter> FindNamedPrinter(const discovery::WpsUri& want, double timeout_seconds) {
  auto named = [&](const discovery::Printer& p) {
    return (want.uuid.empty() ? p.name == want.name : p.uuid == want.uuid) && p.BestIpp() != nullptr;
  };
  auto scan = Scan(ScanOptions{.timeout_seconds = timeout_seconds,
                               .fetch_queues = false,
                               .need_queues = false,
                               .stop_at = named,
                               .whole_view = true});
  if (!scan) return scan.error();
  NamedPrinter out;
  out.interrupted = scan->interrupted;
  for (FoundPrinter& f : scan->printers) {
    if (named(f.printer)) out.printer = std::move(f.printer);
  }
  return out;
}

}  // namespace cupswps::backend
