// SPDX-License-Identifier: Apache-2.0
// Gathers the facts that decide who manages a Wi-Fi interface
// (wifi_manager.h), changing nothing: NetworkManager through a
// NetworkManagerClient (GetDeviceByIpIface), iwd (net.connman.iwd's objects:
// a Device of that name), systemd-networkd (org.freedesktop.network1:
// GetLinkByName, AdministrativeState configuring or configured) and ifupdown
// (/etc/network/interfaces and the files it sources). A daemon that is not
// on the bus simply does not manage the interface.
#pragma once

#include <gio/gio.h>

#include <functional>
#include <string>

#include "wps/dbus_caller.h"
#include "wps/network_manager_handover.h"
#include "wps/wifi_manager.h"

namespace cupswps::wps {

class WifiManagerProbe {
 public:
  struct Options {
    GBusType bus = G_BUS_TYPE_SYSTEM;
    std::string interfaces_file = "/etc/network/interfaces";
  };
  // `context` (nullptr: the default one) and `network_manager` must outlive the probe.
  WifiManagerProbe(GMainContext* context, NetworkManagerClient& network_manager, Options options);

  // `done` once, from the main context.
  void Probe(const std::string& ifname, std::function<void(ManagerFacts)> done);

 private:
  void AskIwd(ManagerFacts facts, std::function<void(ManagerFacts)> done);
  void AskNetworkd(ManagerFacts facts, std::function<void(ManagerFacts)> done);

  NetworkManagerClient& network_manager_;
  Options options_;
  DbusCaller iwd_;
  DbusCaller networkd_;
};

// Whether the ifupdown configuration in `path` (and what it sources, a few
// levels deep) gives `ifname` an address. A missing file: no.
bool IfupdownConfiguresInterface(const std::string& path, const std::string& ifname);

}  // namespace cupswps::wps
