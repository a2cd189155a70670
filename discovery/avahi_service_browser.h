// ServiceBrowser over avahi-client on the GLib main loop (avahi-glib).
// Browses _ipp._tcp, _ipps._tcp, _pdl-datastream._tcp and _printer._tcp on
// every interface and protocol, resolves each instance once, and reports the
// result. With reconnect on, it waits for avahi-daemon and rebuilds its
// client when the daemon restarts.
#pragma once

#include <glib.h>

#include <map>
#include <memory>

#include "discovery/service_browser.h"

namespace cupswps::discovery {

class AvahiServiceBrowser final : public ServiceBrowser {
 public:
  struct Options {
    bool reconnect = false;  // wait for / survive avahi-daemon restarts
  };
  // `context` must outlive the browser; nullptr means the default context.
  AvahiServiceBrowser(GMainContext* context, Options options);
  ~AvahiServiceBrowser() override;
  AvahiServiceBrowser(const AvahiServiceBrowser&) = delete;
  AvahiServiceBrowser& operator=(const AvahiServiceBrowser&) = delete;

  Result<bool> Start(BrowserEvents events) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cupswps::discovery
