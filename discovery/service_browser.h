// SPDX-License-Identifier: Apache-2.0
// The discovery seam: something that browses the printer service types and
// reports resolved adverts. AvahiServiceBrowser is the real one; tests use a
// fake. All callbacks run on the GLib main context the browser was made for.
#pragma once

#include <functional>

#include "common/result.h"
#include "discovery/advert.h"

namespace cupswps::discovery {

struct BrowserEvents {
  std::function<void(Advert)> resolved;             // new or updated advert
  std::function<void(const AdvertId&)> removed;     // advert went away
  std::function<void(const AdvertId&)> announced;   // a new advert, before it is resolved (optional)
  // Every browse reported all-for-now and every resolve it triggered was
  // answered (found or failed): the view is as complete as mDNS can make it.
  std::function<void()> all_for_now;
  // The daemon went away. When reconnecting, every advert is reported again
  // once it is back; callers should treat their view as stale until then.
  std::function<void(const Error&)> lost;
  std::function<void()> connected;  // (re)connected and browsing
};

class ServiceBrowser {
 public:
  virtual ~ServiceBrowser() = default;
  // Starts browsing. An Error means the daemon could not be reached and the
  // browser does not retry (one-shot mode).
  virtual Status Start(BrowserEvents events) = 0;
};

}  // namespace cupswps::discovery
