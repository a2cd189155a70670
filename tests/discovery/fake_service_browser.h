// SPDX-License-Identifier: Apache-2.0
// A hand-written fake behind the ServiceBrowser seam, with manipulation
// methods (AddAdvert, RemoveAdvert, AllForNow, LoseDaemon) in the style of
// ChromeOS' fake detectors. Also builds adverts for tests.
#pragma once

#include <string>
#include <vector>

#include "discovery/service_browser.h"

namespace cupswps::discovery {

inline Advert MakeAdvert(const std::string& name, ServiceType type, const std::string& address, int port,
                         std::vector<std::string> txt, int interface = 2) {
  Advert a;
  a.id = AdvertId{interface, address.find(':') != std::string::npos, name, type, "local"};
  a.host_name = "host.local";
  a.address = address;
  a.address_ipv6 = a.id.ipv6;
  a.port = static_cast<std::uint16_t>(port);
  a.txt = ParseTxt(txt);
  return a;
}

class FakeServiceBrowser final : public ServiceBrowser {
 public:
  Status Start(BrowserEvents events) override {
    events_ = std::move(events);
    started = true;
    if (fail_start) return Error{ErrorCode::kAvahiUnavailable, "no daemon", ""};
    return {};
  }
  void AddAdvert(Advert a) { events_.resolved(std::move(a)); }
  void Announce(const AdvertId& id) { events_.announced(id); }
  void RemoveAdvert(const AdvertId& id) { events_.removed(id); }
  void AllForNow() { events_.all_for_now(); }
  void LoseDaemon() { events_.lost(Error{ErrorCode::kAvahiUnavailable, "gone", ""}); }
  void Reconnect() {
    if (events_.connected) events_.connected();
  }

  bool started = false;
  bool fail_start = false;

 private:
  BrowserEvents events_;
};

}  // namespace cupswps::discovery
