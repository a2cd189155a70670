// SPDX-License-Identifier: Apache-2.0
// ServiceBrowser over avahi-client on the GLib main loop (avahi-glib).
// Browses _ipp._tcp, _ipps._tcp, _pdl-datastream._tcp and _printer._tcp on
// every interface and protocol, resolves each instance once (avahi-daemon's
// ResolveService over GDBus, many at a time), and reports the result. With
// reconnect on, it waits for avahi-daemon and rebuilds its client when the
// daemon restarts.
#pragma once

#include <glib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "discovery/service_browser.h"

namespace cupswps::discovery {

// Resolutions avahi-daemon is asked for at once (see kMaxInFlight in the .cc).
inline constexpr std::size_t kResolveWindow = 96;

class AvahiServiceBrowser final : public ServiceBrowser {
 public:
  struct Options {
    bool reconnect = false;  // wait for / survive avahi-daemon restarts
    // Report all_for_now before Avahi does: once every browse has read the
    // daemon's cache, every advert found is resolved, at least early_min_us
    // have passed since browsing started and no new advert came for
    // quiet_us. Avahi's own all-for-now comes a fixed second after a browse
    // starts, however fast the network answered. mDNS responders answer a
    // query within 20-120 ms (RFC 6762, 6), so a printer that has not
    // answered by then is asleep or far away; one-shot listings take that
    // risk for speed, `watch` does not need to.
    bool early_complete = false;
    std::int64_t early_min_us = 250'000;
    std::int64_t quiet_us = 150'000;
    // The kernel's count of datagrams dropped at the mDNS sockets
    // (mdns_drops.h), for the debug line and a note to the user. With
    // early_complete, when it grew, Avahi's all-for-now no longer ends the
    // listing by itself: it waits for the answers to avahi-daemon's first
    // repeated question (1.6 s after browsing began) and the quiet time.
    // Not for later rounds: in the lab each brought a burst that overflowed
    // again, and waiting until 5 s still missed printers. Empty: not counted.
    std::function<std::optional<std::uint64_t>()> socket_drops;
  };
  // `context` must outlive the browser; nullptr means the default context.
  AvahiServiceBrowser(GMainContext* context, Options options);
  ~AvahiServiceBrowser() override;
  AvahiServiceBrowser(const AvahiServiceBrowser&) = delete;
  AvahiServiceBrowser& operator=(const AvahiServiceBrowser&) = delete;

  Status Start(BrowserEvents events) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cupswps::discovery
