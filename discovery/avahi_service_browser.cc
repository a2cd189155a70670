// SPDX-License-Identifier: Apache-2.0
// avahi-client implementation of ServiceBrowser; see avahi_service_browser.h.
// Callback trampolines are thin: they translate, record and call the
// listener; no exception crosses an Avahi frame.
#include "discovery/avahi_service_browser.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>
#include <avahi-glib/glib-watch.h>
#include <gio/gio.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "common/glib.h"
#include "common/handle.h"
#include "common/log.h"
#include "common/text.h"
#include "discovery/avahi_resolve_reply.h"
#include "discovery/browse_stats.h"
#include "discovery/mdns_drops.h"

namespace cupswps::discovery {
namespace {

using GlibPollPtr = CPtr<AvahiGLibPoll, avahi_glib_poll_free>;
using ClientPtr = CPtr<AvahiClient, avahi_client_free>;
using BrowserPtr = CPtr<::AvahiServiceBrowser, avahi_service_browser_free>;
using ConnectionPtr = CPtr<GDBusConnection, g_object_unref>;
using CancellablePtr = CPtr<GCancellable, g_object_unref>;

// Resolutions in flight at once. Each is an object of ours in avahi-daemon,
// which refuses a client more than objects-per-client-max (1024 by default),
// and a pending reply in dbus-daemon, which refuses a connection more than
// max_replies_per_connection (128 on the system bus by default; other calls
// on the shared connection count too, and so does a call we gave up on
// until avahi-daemon answers it). When the bus refuses one anyway
// (LimitsExceeded), the advert waits for a free slot and the window shrinks.
constexpr std::size_t kMaxInFlight = kResolveWindow;
// avahi-daemon's querier repeats its question 1 s after the first; answers
// to its long known-answer list come up to 0.6 s later (responders wait
// 400-500 ms for the rest of it, RFC 6762 7.2, then 20-120 ms).
constexpr std::int64_t kRepeatAnsweredUs = 1'600'000;
// A resolution avahi-daemon has not answered by then failed (it gives up
// after about 5 s itself).
constexpr int kResolveTimeoutMs = 10000;
// A resolution dbus-daemon refused, with no call of ours out, goes again after this.
constexpr guint kRetryRefusedMs = 20;

Error AvahiError(int code, std::string_view what) {
  return Error{ErrorCode::kAvahiUnavailable,
               "Cannot reach avahi-daemon (is it running?), so no printers can be discovered.",
               std::string(what) + ": " + avahi_strerror(code)};
}

std::int64_t NowUs() { return g_get_monotonic_time(); }

}  // namespace

// Resolution goes through avahi-daemon's ResolveService D-Bus method with
// GDBus, asynchronously: avahi-client's resolver objects cost a blocking
// D-Bus round trip to create and another to free, and with a few hundred
// adverts those round trips, one after the other, were most of a listing's
// time. Browsing stays with avahi-client.
struct AvahiServiceBrowser::Impl {
  struct BrowserState {
    BrowserPtr browser;
    bool cache_exhausted = false;
    bool all_for_now = false;
  };
  // One ResolveService call; owned by the GDBus callback, which checks that
  // its Impl is still alive and that the call is still the one wanted.
  struct Call {
    std::weak_ptr<Impl*> owner;
    AdvertId id;
    std::uint64_t serial;
    std::uint64_t session;
  };

  GMainContext* context;
  Options options;
  BrowserEvents events;
  GlibPollPtr poll;
  ClientPtr client;
  std::vector<BrowserState> browsers;  // destroyed before the client
  ConnectionPtr bus;
  CancellablePtr cancel;  // cancels every call in flight
  // Adverts to resolve: serial of the call in flight, or 0 while queued.
  std::map<AdvertId, std::uint64_t> wanted;
  std::deque<AdvertId> queue;
  std::size_t in_flight = 0;    // calls out for adverts still wanted
  std::size_t outstanding = 0;  // calls out of this session, wanted or stale
  std::size_t window = kMaxInFlight;
  std::uint64_t session = 1;    // each browsing session's calls know theirs
  std::uint64_t next_serial = 1;
  bool complete_reported = false;
  std::optional<std::uint64_t> drops_at_start;  // the kernel's count of mDNS datagrams dropped
  BrowseStats stats;  // of this session, for the debug log
  SourceGuard rebuild_source;
  SourceGuard quiet_source;
  SourceGuard retry_source;
  std::shared_ptr<Impl*> alive = std::make_shared<Impl*>(this);

  ~Impl() {
    // Stopped before the view was complete (the caller's time limit): what
    // was seen so far, and why more may be missing.
    if (!complete_reported && !browsers.empty()) Guarded("avahi browse summary", [&] { Report("time limit"); });
    alive.reset();
    rebuild_source.reset();
    DropBrowsing();
    client.reset();
  }

  void DropBrowsing() {
    quiet_source.reset();
    retry_source.reset();
    if (cancel) g_cancellable_cancel(cancel.get());
    cancel.reset();
    wanted.clear();
    queue.clear();
    in_flight = outstanding = 0;
    window = kMaxInFlight;
    ++session;
    browsers.clear();
    complete_reported = false;
  }

  Status NewClient() {
    int error = 0;
    const AvahiClientFlags flags = options.reconnect ? AVAHI_CLIENT_NO_FAIL : static_cast<AvahiClientFlags>(0);
    AvahiClient* c = avahi_client_new(avahi_glib_poll_get(poll.get()), flags, &Impl::OnClientState, this, &error);
    if (c == nullptr) return AvahiError(error, "avahi_client_new");
    client.reset(c);
    return {};
  }

  void StartBrowsing(AvahiClient* c) {
    if (!browsers.empty()) return;
    complete_reported = false;
    if (!bus || g_dbus_connection_is_closed(bus.get())) {
      GError* error = nullptr;
      bus.reset(g_bus_get_sync(G_BUS_TYPE_SYSTEM, nullptr, &error));
      if (!bus) {
        log::Error(std::string("cannot reach the system bus to resolve printers: ") +
                   (error != nullptr ? error->message : "unknown error"));
        g_clear_error(&error);
      }
    }
    cancel.reset(g_cancellable_new());
    stats = BrowseStats{};
    stats.started_us = stats.last_new_us = NowUs();
    drops_at_start = options.socket_drops ? options.socket_drops() : std::nullopt;
    for (const ServiceType t : kAllServiceTypes) {
      const std::string type(DnssdType(t));
      ::AvahiServiceBrowser* b = avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, type.c_str(),
                                                           nullptr, static_cast<AvahiLookupFlags>(0),
                                                           &Impl::OnBrowse, this);
      if (b == nullptr) {
        log::Debug("cannot browse " + type + ": " + avahi_strerror(avahi_client_errno(c)));
        continue;
      }
      browsers.push_back(BrowserState{BrowserPtr(b)});
    }
    if (events.connected) events.connected();
    MaybeComplete();
  }

  BrowserState* StateOf(::AvahiServiceBrowser* b) {
    for (BrowserState& s : browsers) {
      if (s.browser.get() == b) return &s;
    }
    return nullptr;
  }

  bool Resolving() const { return in_flight > 0 || !queue.empty(); }

  // Complete at all-for-now from every browse; or, with early_complete, once
  // every browse has read Avahi's cache, nothing is being resolved and no
  // new advert came for the quiet time (see Options).
  void MaybeComplete() {
    if (complete_reported || Resolving()) return;
    const bool all_for_now =
        std::all_of(browsers.begin(), browsers.end(), [](const BrowserState& s) { return s.all_for_now; });
    const std::int64_t now = NowUs();
    std::int64_t due = 0;
    if (!all_for_now) {
      // With no advert at all yet, the responders may only be slow (a busy
      // host): then Avahi's all-for-now decides, a second after browsing began.
      if (!options.early_complete || stats.adverts == 0) return;
      const bool exhausted = std::all_of(browsers.begin(), browsers.end(),
                                         [](const BrowserState& s) { return s.cache_exhausted || s.all_for_now; });
      if (!exhausted) return;
      due = std::max(stats.started_us + options.early_min_us, stats.last_new_us + options.quiet_us);
    }
    if (options.early_complete && stats.adverts > 0 && Dropped()) {
      // The kernel dropped answers: neither a quiet moment nor Avahi's
      // all-for-now (a fixed second after its first question) says they are
      // in. Wait for the answers to avahi-daemon's first repeated question,
      // then the quiet time; not for later rounds (they overflow again).
      due = std::max({due, stats.started_us + kRepeatAnsweredUs, stats.last_new_us + options.quiet_us});
    }
    if (now < due) {
      quiet_source = Schedule(context, static_cast<guint>((due - now + 999) / 1000), [this] {
        MaybeComplete();
        return false;
      });
      return;
    }
    quiet_source.reset();
    complete_reported = true;
    Report(all_for_now ? "all-for-now" : "quiet time");
    if (events.all_for_now) events.all_for_now();
  }

  void Report(const std::string& how) {
    CountDrops();
    log::Debug(Summary(stats, NowUs(), kMaxInFlight, how));
    if (const auto note = CacheCeilingNote(stats)) log::Info(*note);
    if (const auto note = DroppedRepliesNote(stats)) log::Info(*note);
  }

  bool Dropped() {  // once some were, /proc is not read again for the decision
    if (stats.mdns_drops.value_or(0) == 0) CountDrops();
    return stats.mdns_drops.value_or(0) > 0;
  }

  // What the kernel dropped at the mDNS sockets since browsing started.
  void CountDrops() {
    if (!drops_at_start) return;  // unset without options.socket_drops
    if (const auto n = options.socket_drops(); n && *n >= *drops_at_start) stats.mdns_drops = *n - *drops_at_start;
  }

  // Announced (again): resolve it afresh; a call in flight for it is stale.
  void Want(AdvertId id) {
    Unwant(id);
    const auto it = wanted.emplace(std::move(id), 0).first;
    queue.push_back(it->first);
    Pump();
  }

  void Unwant(const AdvertId& id) {
    // A call in flight for it finds itself unwanted when it returns.
    if (const auto it = wanted.find(id); it != wanted.end()) {
      if (it->second != 0) --in_flight;
      wanted.erase(it);
    }
  }

  // Sends queued resolutions while fewer than `window` calls are out.
  void Pump() {
    while (outstanding < window && !queue.empty()) {
      AdvertId id = std::move(queue.front());
      queue.pop_front();
      const auto it = wanted.find(id);
      if (it == wanted.end() || it->second != 0) continue;  // gone, or already sent
      if (!bus) {
        wanted.erase(it);
        continue;
      }
      const std::string type(DnssdType(id.type));
      it->second = next_serial++;
      ++in_flight;
      ++outstanding;
      auto* call = new Call{alive, id, it->second, session};
      g_main_context_push_thread_default(context);
      g_dbus_connection_call(
          bus.get(), "org.freedesktop.Avahi", "/", "org.freedesktop.Avahi.Server", "ResolveService",
          g_variant_new("(iisssiu)", static_cast<gint32>(id.interface),
                        static_cast<gint32>(id.ipv6 ? AVAHI_PROTO_INET6 : AVAHI_PROTO_INET), id.name.c_str(),
                        type.c_str(), id.domain.c_str(),
                        static_cast<gint32>(id.ipv6 ? AVAHI_PROTO_INET6 : AVAHI_PROTO_INET), 0u),
          G_VARIANT_TYPE("(iissssisqaayu)"), G_DBUS_CALL_FLAGS_NONE, kResolveTimeoutMs, cancel.get(),
          &Impl::OnResolved, call);
      g_main_context_pop_thread_default(context);
    }
    stats.peak_in_flight = std::max(stats.peak_in_flight, outstanding);
    stats.peak_queued = std::max(stats.peak_queued, queue.size());
  }

  void Rebuild() {
    client.reset();
    auto r = NewClient();
    if (!r) log::Error(r.error().message + " (" + r.error().detail + ")");
  }

  static void OnClientState(AvahiClient* c, AvahiClientState state, void* data) {
    auto* self = static_cast<Impl*>(data);
    Guarded("avahi client callback", [&] {
      switch (state) {
        case AVAHI_CLIENT_S_RUNNING:
          log::Debug("avahi-daemon is running; browsing");
          self->StartBrowsing(c);
          break;
        case AVAHI_CLIENT_FAILURE: {
          const int err = avahi_client_errno(c);
          self->DropBrowsing();
          if (self->events.lost) self->events.lost(AvahiError(err, "avahi client failure"));
          if (self->options.reconnect && !self->rebuild_source.active()) {
            // The client cannot be freed inside its own callback.
            self->rebuild_source = Schedule(self->context, 0, [self] {
              self->Rebuild();
              return false;
            });
          }
          break;
        }
        case AVAHI_CLIENT_CONNECTING:
          log::Debug("waiting for avahi-daemon");
          break;
        case AVAHI_CLIENT_S_REGISTERING:
        case AVAHI_CLIENT_S_COLLISION:
          break;
      }
    });
  }

  static void OnBrowse(::AvahiServiceBrowser* b, AvahiIfIndex interface, AvahiProtocol protocol,
                       AvahiBrowserEvent event, const char* name, const char* type, const char* domain,
                       AvahiLookupResultFlags /*flags*/, void* data) {
    auto* self = static_cast<Impl*>(data);
    Guarded("avahi browse callback", [&] {
      switch (event) {
        case AVAHI_BROWSER_NEW:
        case AVAHI_BROWSER_REMOVE: {
          const auto st = ServiceTypeFromDnssd(type != nullptr ? type : "");
          if (!st || name == nullptr || domain == nullptr) return;
          AdvertId id{interface, protocol == AVAHI_PROTO_INET6, name, *st, domain};
          if (event == AVAHI_BROWSER_REMOVE) {
            ++self->stats.removed;
            self->Unwant(id);
            if (self->events.removed) self->events.removed(id);
            self->Pump();
            self->MaybeComplete();
            return;
          }
          self->stats.Announced(interface, protocol == AVAHI_PROTO_INET6, NowUs());
          if (self->events.announced) self->events.announced(id);
          self->Want(std::move(id));
          return;
        }
        case AVAHI_BROWSER_ALL_FOR_NOW:
        case AVAHI_BROWSER_FAILURE:
        case AVAHI_BROWSER_CACHE_EXHAUSTED: {
          if (event == AVAHI_BROWSER_FAILURE) {
            log::Debug(std::string("browsing failed: ") +
                       avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(b))));
          }
          BrowserState* state = self->StateOf(b);
          if (state == nullptr) return;
          if (event == AVAHI_BROWSER_CACHE_EXHAUSTED) {
            state->cache_exhausted = true;
            if (std::all_of(self->browsers.begin(), self->browsers.end(),
                            [](const BrowserState& s) { return s.cache_exhausted; })) {
              self->stats.cache_read_us = NowUs();
            }
          } else {
            state->all_for_now = true;
          }
          self->MaybeComplete();
          return;
        }
      }
    });
  }

  static void OnResolved(GObject* source, GAsyncResult* result, gpointer data) {
    std::unique_ptr<Call> call(static_cast<Call*>(data));
    GError* error = nullptr;
    GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
    const std::shared_ptr<Impl*> owner = call->owner.lock();
    Impl* self = owner ? *owner : nullptr;
    if (self != nullptr && call->session == self->session) --self->outstanding;
    const auto it = self != nullptr ? self->wanted.find(call->id) : decltype(self->wanted)::iterator{};
    if (self == nullptr || it == self->wanted.end() || it->second != call->serial) {
      // The browser is gone, or the advert went away or was announced again.
      if (reply != nullptr) g_variant_unref(reply);
      g_clear_error(&error);
      if (self != nullptr) Guarded("avahi resolve reply", [&] { self->Pump(); });
      return;
    }
    --self->in_flight;
    if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED)) {
      // dbus-daemon holds more of our calls than it allows (see kMaxInFlight):
      // not an answer about the advert. It goes again once a call returns.
      it->second = 0;
      self->queue.push_front(it->first);
      self->window = std::max<std::size_t>(1, self->outstanding);
      ++self->stats.refused;
      g_clear_error(&error);
      if (self->outstanding == 0 && !self->retry_source.active()) {
        // No call of ours will return to send it: the ones the bus still
        // holds are stale. Try again shortly.
        self->retry_source = Schedule(self->context, kRetryRefusedMs, [self] {
          self->Pump();
          return false;
        });
      }
      return;
    }
    self->wanted.erase(it);
    if (self->window < kMaxInFlight) ++self->window;
    self->stats.last_reply_us = NowUs();
    ++(reply != nullptr ? self->stats.resolved : self->stats.failed);
    Guarded("avahi resolve reply", [&] {
      if (reply == nullptr) {
        log::Debug("could not resolve '" + DisplayName(call->id) + "': " + (error != nullptr ? error->message : "?"));
      } else {
        self->Deliver(std::move(call->id), reply);
      }
    });
    if (reply != nullptr) g_variant_unref(reply);
    g_clear_error(&error);
    Guarded("avahi resolve reply", [&] {
      self->Pump();
      self->MaybeComplete();
    });
  }

  void Deliver(AdvertId id, GVariant* reply) {
    std::optional<Advert> advert = ParseResolveReply(std::move(id), reply);
    if (!advert) return;
    stats.Resolved(advert->id.interface, advert->id.ipv6, advert->host_name);
    if (events.resolved) events.resolved(std::move(*advert));
  }
};

AvahiServiceBrowser::AvahiServiceBrowser(GMainContext* context, Options options)
    : impl_(std::make_unique<Impl>()) {
  impl_->context = context != nullptr ? context : g_main_context_default();
  impl_->options = options;
}

AvahiServiceBrowser::~AvahiServiceBrowser() = default;

Status AvahiServiceBrowser::Start(BrowserEvents events) {
  impl_->events = std::move(events);
  AvahiGLibPoll* p = avahi_glib_poll_new(impl_->context, G_PRIORITY_DEFAULT);
  if (p == nullptr) return Error{ErrorCode::kInternal, "Cannot set up the Avahi main loop.", "avahi_glib_poll_new"};
  impl_->poll.reset(p);
  return impl_->NewClient();
}

}  // namespace cupswps::discovery
