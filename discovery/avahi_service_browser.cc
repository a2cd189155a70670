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
#include <net/if.h>

#include <exception>
#include <string>
#include <vector>

#include "common/handle.h"
#include "common/log.h"
#include "common/text.h"

namespace cupswps::discovery {
namespace {

using GlibPollPtr = CPtr<AvahiGLibPoll, avahi_glib_poll_free>;
using ClientPtr = CPtr<AvahiClient, avahi_client_free>;
using BrowserPtr = CPtr<::AvahiServiceBrowser, avahi_service_browser_free>;
using ResolverPtr = CPtr<AvahiServiceResolver, avahi_service_resolver_free>;

constexpr std::size_t kMaxHostBytes = 255;

Error AvahiError(int code, std::string_view what) {
  return Error{ErrorCode::kAvahiUnavailable,
               "Cannot reach avahi-daemon (is it running?), so no printers can be discovered.",
               std::string(what) + ": " + avahi_strerror(code)};
}

template <typename F>
void Guarded(const char* where, F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    log::Error(std::string("internal error in ") + where + ": " + e.what());
  } catch (...) {
    log::Error(std::string("internal error in ") + where);
  }
}

bool IsLinkLocal6(const AvahiAddress* a) {
  return a->proto == AVAHI_PROTO_INET6 && a->data.ipv6.address[0] == 0xfe &&
         (a->data.ipv6.address[1] & 0xc0) == 0x80;
}

}  // namespace

struct AvahiServiceBrowser::Impl {
  GMainContext* context;
  Options options;
  BrowserEvents events;
  GlibPollPtr poll;
  ClientPtr client;
  std::vector<BrowserPtr> browsers;           // destroyed before the client
  std::map<AdvertId, ResolverPtr> resolving;  // destroyed before the client
  int browsers_pending = 0;                   // browsers without all-for-now yet
  bool complete_reported = false;
  guint rebuild_source = 0;

  ~Impl() {
    if (rebuild_source != 0) {
      if (GSource* s = g_main_context_find_source_by_id(context, rebuild_source)) g_source_destroy(s);
    }
    DropBrowsing();
    client.reset();
  }

  void DropBrowsing() {
    resolving.clear();
    browsers.clear();
    browsers_pending = 0;
    complete_reported = false;
  }

  Result<bool> NewClient() {
    int error = 0;
    const AvahiClientFlags flags = options.reconnect ? AVAHI_CLIENT_NO_FAIL : static_cast<AvahiClientFlags>(0);
    AvahiClient* c = avahi_client_new(avahi_glib_poll_get(poll.get()), flags, &Impl::OnClientState, this, &error);
    if (c == nullptr) return AvahiError(error, "avahi_client_new");
    client.reset(c);
    return true;
  }

  void StartBrowsing(AvahiClient* c) {
    if (!browsers.empty()) return;
    complete_reported = false;
    for (const ServiceType t : kAllServiceTypes) {
      const std::string type(DnssdType(t));
      ::AvahiServiceBrowser* b = avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, type.c_str(),
                                                           nullptr, static_cast<AvahiLookupFlags>(0),
                                                           &Impl::OnBrowse, this);
      if (b == nullptr) {
        log::Debug("cannot browse " + type + ": " + avahi_strerror(avahi_client_errno(c)));
        continue;
      }
      browsers.emplace_back(b);
      ++browsers_pending;
    }
    if (events.connected) events.connected();
    MaybeComplete();
  }

  void MaybeComplete() {
    if (complete_reported || browsers_pending > 0 || !resolving.empty()) return;
    complete_reported = true;
    if (events.all_for_now) events.all_for_now();
  }

  static gboolean OnRebuild(gpointer data) {
    auto* self = static_cast<Impl*>(data);
    self->rebuild_source = 0;
    Guarded("avahi rebuild", [&] {
      self->client.reset();
      auto r = self->NewClient();
      if (!r) log::Error(r.error().message + " (" + r.error().detail + ")");
    });
    return G_SOURCE_REMOVE;
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
          if (self->options.reconnect && self->rebuild_source == 0) {
            // The client cannot be freed inside its own callback.
            GSource* s = g_idle_source_new();
            g_source_set_callback(s, &Impl::OnRebuild, self, nullptr);
            self->rebuild_source = g_source_attach(s, self->context);
            g_source_unref(s);
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
            self->resolving.erase(id);
            if (self->events.removed) self->events.removed(id);
            self->MaybeComplete();
            return;
          }
          AvahiServiceResolver* r = avahi_service_resolver_new(
              avahi_service_browser_get_client(b), interface, protocol, name, type, domain, protocol,
              static_cast<AvahiLookupFlags>(0), &Impl::OnResolve, self);
          if (r == nullptr) {
            log::Debug("cannot resolve '" + DisplayName(id) + "': " +
                       avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(b))));
            return;
          }
          self->resolving.insert_or_assign(std::move(id), ResolverPtr(r));
          return;
        }
        case AVAHI_BROWSER_ALL_FOR_NOW:
        case AVAHI_BROWSER_FAILURE:
          if (event == AVAHI_BROWSER_FAILURE) {
            log::Debug(std::string("browsing failed: ") +
                       avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(b))));
          }
          if (self->browsers_pending > 0) --self->browsers_pending;
          self->MaybeComplete();
          return;
        case AVAHI_BROWSER_CACHE_EXHAUSTED:
          return;
      }
    });
  }

  static void OnResolve(AvahiServiceResolver* r, AvahiIfIndex interface, AvahiProtocol protocol,
                        AvahiResolverEvent event, const char* name, const char* type, const char* domain,
                        const char* host_name, const AvahiAddress* address, uint16_t port,
                        AvahiStringList* txt, AvahiLookupResultFlags /*flags*/, void* data) {
    auto* self = static_cast<Impl*>(data);
    Guarded("avahi resolve callback", [&] {
      const auto st = ServiceTypeFromDnssd(type != nullptr ? type : "");
      AdvertId id{interface, protocol == AVAHI_PROTO_INET6, name != nullptr ? name : "", st.value_or(ServiceType::kIpp),
                  domain != nullptr ? domain : ""};
      // Take ownership back: the resolver is freed when this scope ends,
      // which Avahi allows from inside its callback.
      ResolverPtr owned;
      const auto it = self->resolving.find(id);
      if (it != self->resolving.end() && it->second.get() == r) {
        owned = std::move(it->second);
        self->resolving.erase(it);
      } else {
        owned.reset(r);
      }
      if (event != AVAHI_RESOLVER_FOUND || !st || address == nullptr) {
        log::Debug("could not resolve '" + DisplayName(id) + "': " +
                   avahi_strerror(avahi_client_errno(avahi_service_resolver_get_client(r))));
        self->MaybeComplete();
        return;
      }
      Advert advert;
      advert.id = std::move(id);
      advert.host_name = text::Clean(host_name != nullptr ? host_name : "", kMaxHostBytes);
      char buf[AVAHI_ADDRESS_STR_MAX] = {};
      avahi_address_snprint(buf, sizeof buf, address);
      advert.address = buf;
      advert.address_ipv6 = address->proto == AVAHI_PROTO_INET6;
      if (IsLinkLocal6(address)) {
        char ifname[IF_NAMESIZE] = {};
        if (if_indextoname(static_cast<unsigned>(interface), ifname) != nullptr) {
          advert.address += "%";
          advert.address += ifname;
        }
      }
      advert.port = port;
      std::vector<std::string> entries;
      for (AvahiStringList* l = txt; l != nullptr; l = avahi_string_list_get_next(l)) {
        entries.emplace_back(reinterpret_cast<const char*>(avahi_string_list_get_text(l)),
                             avahi_string_list_get_size(l));
      }
      advert.txt = ParseTxt(entries);
      for (const std::string& p : advert.txt.problems) {
        log::Debug("advert '" + DisplayName(advert.id) + "': " + p);
      }
      if (self->events.resolved) self->events.resolved(std::move(advert));
      self->MaybeComplete();
    });
  }
};

AvahiServiceBrowser::AvahiServiceBrowser(GMainContext* context, Options options)
    : impl_(std::make_unique<Impl>()) {
  impl_->context = context != nullptr ? context : g_main_context_default();
  impl_->options = options;
}

AvahiServiceBrowser::~AvahiServiceBrowser() = default;

Result<bool> AvahiServiceBrowser::Start(BrowserEvents events) {
  impl_->events = std::move(events);
  AvahiGLibPoll* p = avahi_glib_poll_new(impl_->context, G_PRIORITY_DEFAULT);
  if (p == nullptr) return Error{ErrorCode::kInternal, "Cannot set up the Avahi main loop.", "avahi_glib_poll_new"};
  impl_->poll.reset(p);
  return impl_->NewClient();
}

}  // namespace cupswps::discovery
