// avahi-client implementation of ServiceBrowser; see avahi_service_browser.h.
// Callback trampolines are thin: they translate, record and call the
// listener; no exception crosses an Avahi frame.
#include "discovery/avahi_service_browser.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>
#include <avahi-glib/glib-watch.h>
#include <gio/gio.h>
#include <net/if.h>

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

namespace cupswps::discovery {
namespace {

using GlibPollPtr = CPtr<AvahiGLibPoll, avahi_glib_poll_free>;
using ClientPtr = CPtr<AvahiClient, avahi_client_free>;
using BrowserPtr = CPtr<::AvahiServiceBrowser, avahi_service_browser_free>;
using ConnectionPtr = CPtr<GDBusConnection, g_object_unref>;
using CancellablePtr = CPtr<GCancellable, g_object_unref>;

constexpr std::size_t kMaxHostBytes = 255;
// Resolutions in flight at once. Each is an object of ours in avahi-daemon,
// which refuses a client more than objects-per-client-max (1024 by default).
constexpr std::size_t kMaxInFlight = 128;
// A resolution avahi-daemon has not answered by then failed (it gives up
// after about 5 s itself).
constexpr int kResolveTimeoutMs = 10000;

Error AvahiError(int code, std::string_view what) {
  return Error{ErrorCode::kAvahiUnavailable,
               "Cannot reach avahi-daemon (is it running?), so no printers can be discovered.",
               std::string(what) + ": " + avahi_strerror(code)};
}

std::int64_t NowUs() { return g_get_monotonic_time(); }

// The address avahi-daemon reports, checked: a numeric IPv4 or IPv6 address
// of the family asked for, nothing else.
std::optional<AvahiAddress> ParseAddress(const char* text, bool ipv6) {
  AvahiAddress a{};
  if (text == nullptr || avahi_address_parse(text, ipv6 ? AVAHI_PROTO_INET6 : AVAHI_PROTO_INET, &a) == nullptr) {
    return std::nullopt;
  }
  return a;
}

bool IsLinkLocal6(const AvahiAddress& a) {
  return a.proto == AVAHI_PROTO_INET6 && a.data.ipv6.address[0] == 0xfe && (a.data.ipv6.address[1] & 0xc0) == 0x80;
}

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
  std::size_t in_flight = 0;
  std::uint64_t next_serial = 1;
  bool complete_reported = false;
  std::int64_t started_us = 0;
  std::int64_t last_new_us = 0;
  SourceGuard rebuild_source;
  SourceGuard quiet_source;
  std::shared_ptr<Impl*> alive = std::make_shared<Impl*>(this);

  ~Impl() {
    alive.reset();
    rebuild_source.reset();
    DropBrowsing();
    client.reset();
  }

  void DropBrowsing() {
    quiet_source.reset();
    if (cancel) g_cancellable_cancel(cancel.get());
    cancel.reset();
    wanted.clear();
    queue.clear();
    in_flight = 0;
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
    started_us = last_new_us = NowUs();
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
    if (!all_for_now) {
      if (!options.early_complete) return;
      const bool exhausted = std::all_of(browsers.begin(), browsers.end(),
                                         [](const BrowserState& s) { return s.cache_exhausted || s.all_for_now; });
      if (!exhausted) return;
      const std::int64_t due = std::max(started_us + options.early_min_us, last_new_us + options.quiet_us);
      const std::int64_t now = NowUs();
      if (now < due) {
        quiet_source = Schedule(context, static_cast<guint>((due - now + 999) / 1000), [this] {
          MaybeComplete();
          return false;
        });
        return;
      }
    }
    quiet_source.reset();
    complete_reported = true;
    if (events.all_for_now) events.all_for_now();
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

  // Sends queued resolutions while fewer than kMaxInFlight are out.
  void Pump() {
    while (in_flight < kMaxInFlight && !queue.empty()) {
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
      auto* call = new Call{alive, id, it->second};
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
            self->Unwant(id);
            if (self->events.removed) self->events.removed(id);
            self->Pump();
            self->MaybeComplete();
            return;
          }
          self->last_new_us = NowUs();
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
    const auto it = self != nullptr ? self->wanted.find(call->id) : decltype(self->wanted)::iterator{};
    if (self == nullptr || it == self->wanted.end() || it->second != call->serial) {
      // The browser is gone, or the advert went away or was announced again.
      if (reply != nullptr) g_variant_unref(reply);
      g_clear_error(&error);
      return;
    }
    self->wanted.erase(it);
    --self->in_flight;
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
    // Interface, protocol, name, type and domain repeat the request: skipped.
    gint32 aprotocol = 0;
    const char *host = nullptr, *address = nullptr;
    guint16 port = 0;
    GVariantIter* txt = nullptr;
    g_variant_get(reply, "(ii&s&s&s&si&sqaayu)", nullptr, nullptr, nullptr, nullptr, nullptr, &host, &aprotocol,
                  &address, &port, &txt, nullptr);
    CPtr<GVariantIter, g_variant_iter_free> txt_owner(txt);
    const auto parsed = ParseAddress(address, aprotocol == AVAHI_PROTO_INET6);
    if (!parsed) {
      log::Debug("advert '" + DisplayName(id) + "': avahi-daemon gave no usable address");
      return;
    }
    Advert advert;
    advert.id = std::move(id);
    advert.host_name = text::Clean(host != nullptr ? host : "", kMaxHostBytes);
    char buf[AVAHI_ADDRESS_STR_MAX] = {};
    avahi_address_snprint(buf, sizeof buf, &*parsed);
    advert.address = buf;
    advert.address_ipv6 = parsed->proto == AVAHI_PROTO_INET6;
    if (IsLinkLocal6(*parsed)) {
      char ifname[IF_NAMESIZE] = {};
      if (if_indextoname(static_cast<unsigned>(advert.id.interface), ifname) != nullptr) {
        advert.address += "%";
        advert.address += ifname;
      }
    }
    advert.port = port;
    std::vector<std::string> entries;
    GVariant* entry = nullptr;
    while ((entry = g_variant_iter_next_value(txt)) != nullptr) {
      gsize size = 0;
      const auto* bytes = static_cast<const char*>(g_variant_get_fixed_array(entry, &size, 1));
      entries.emplace_back(bytes != nullptr ? bytes : "", bytes != nullptr ? size : 0);
      g_variant_unref(entry);
    }
    // avahi-daemon sends the TXT strings last to first; keep the advert's order.
    std::reverse(entries.begin(), entries.end());
    advert.txt = ParseTxt(entries);
    for (const std::string& p : advert.txt.problems) {
      log::Debug("advert '" + DisplayName(advert.id) + "': " + p);
    }
    if (events.resolved) events.resolved(std::move(advert));
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
