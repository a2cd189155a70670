// One-shot scan on a private GLib main loop; see scan.h.
#include "backend/scan.h"

#include <glib-unix.h>
#include <glib.h>
#include <signal.h>

#include <algorithm>
#include <optional>

#include "common/handle.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/discovery.h"

namespace cupswps::backend {
namespace {

using MainLoopPtr = CPtr<GMainLoop, g_main_loop_unref>;

struct SourceGuard {
  guint id = 0;
  ~SourceGuard() {
    if (id != 0) g_source_remove(id);
  }
};

}  // namespace

bool Settled(const discovery::Printer& p) {
  bool ipps = false, ipp = false;
  for (const discovery::Endpoint& e : p.endpoints) {
    if (e.ipv6) continue;
    ipps = ipps || e.type == discovery::ServiceType::kIpps;
    ipp = ipp || e.type == discovery::ServiceType::kIpp;
  }
  return ipps && ipp;
}

std::vector<FoundPrinter> MatchQueues(std::vector<discovery::Printer> printers,
                                      const std::vector<discovery::Queue>& queues) {
  std::vector<FoundPrinter> out;
  out.reserve(printers.size());
  for (discovery::Printer& p : printers) {
    std::string q = discovery::FindQueue(p, queues);
    out.push_back(FoundPrinter{std::move(p), std::move(q)});
  }
  return out;
}

Result<ScanResult> Scan(const ScanOptions& options) {
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  ScanResult result;
  std::optional<Error> failure;

  discovery::Discovery discovery(
      std::make_unique<discovery::AvahiServiceBrowser>(nullptr, discovery::AvahiServiceBrowser::Options{
          .early_complete = !options.stop_at}));
  discovery::DiscoveryEvents events;
  events.complete = [&] {
    result.complete = true;
    // Looking for one printer: it may still appear (waking up, joining).
    if (!options.stop_at) g_main_loop_quit(loop.get());
  };
  guint settle_id = 0;
  bool settled = false;
  auto settle = [&](const discovery::Printer& p) {
    if (!options.stop_at || settled || !options.stop_at(p)) return;
    if (Settled(p)) {
      settled = true;
      g_main_loop_quit(loop.get());
      return;
    }
    if (settle_id != 0) return;
    settle_id = g_timeout_add(static_cast<guint>(kSettleSeconds * 1000), +[](gpointer data) -> gboolean {
      g_main_loop_quit(static_cast<GMainLoop*>(data));
      return G_SOURCE_CONTINUE;  // removed below, after the loop
    }, loop.get());
  };
  // Printer-level events cost a rebuild of the merged view per advert
  // (Discovery::Mutate); a plain listing only needs the view at the end.
  if (options.stop_at) {
    events.added = settle;
    events.changed = settle;
  }
  events.lost = [&](const Error& e) {
    failure = e;
    g_main_loop_quit(loop.get());
  };
  if (auto started = discovery.Start(std::move(events)); !started) return started.error();

  // Ask cupsd while avahi-daemon works on the browses.
  std::vector<discovery::Queue> queues;
  if (!options.fetch_queues) {
  } else if (auto fetched = discovery::FetchQueues()) {
    queues = std::move(*fetched);
    result.queues_known = true;
  } else if (options.need_queues) {
    return fetched.error();
  } else {
    log::Debug(fetched.error().message + " (" + fetched.error().detail + ")");
  }

  struct LoopCtx {
    GMainLoop* loop;
    ScanResult* result;
    SourceGuard timer;
  } ctx{loop.get(), &result, {}};
  const double ms = std::clamp(options.timeout_seconds * 1000.0, 0.0, 86400000.0);
  ctx.timer.id = g_timeout_add(static_cast<guint>(ms), +[](gpointer data) -> gboolean {
    auto* c = static_cast<LoopCtx*>(data);
    c->timer.id = 0;  // returning G_SOURCE_REMOVE destroys the source
    g_main_loop_quit(c->loop);
    return G_SOURCE_REMOVE;
  }, &ctx);
  auto on_signal = +[](gpointer data) -> gboolean {
    auto* c = static_cast<LoopCtx*>(data);
    c->result->interrupted = true;
    g_main_loop_quit(c->loop);
    return G_SOURCE_CONTINUE;
  };
  SourceGuard sigint, sigterm;
  sigint.id = g_unix_signal_add(SIGINT, on_signal, &ctx);
  sigterm.id = g_unix_signal_add(SIGTERM, on_signal, &ctx);

  if ((options.stop_at || !result.complete) && !failure) g_main_loop_run(loop.get());
  if (settle_id != 0) g_source_remove(settle_id);
  if (failure) return *failure;
  result.printers = MatchQueues(discovery.Printers(), queues);
  return result;
}

}  // namespace cupswps::backend
