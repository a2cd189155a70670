// SPDX-License-Identifier: Apache-2.0
// Finds the form of the key of this host's network (network_key.h), as a
// KeyFormLookup for the External Registrar, changing nothing:
// - NetworkManager manages the interface: GetSecrets of its active profile's
//   802-11-wireless-security (root only: the psk of a profile whose secret
//   an agent keeps is not given, and the form stays unknown);
// - else wpa_supplicant's configuration file (supplicant_config.h): its
//   ConfigFile over D-Bus, or the -c of the process that runs it.
// The key itself is only tested for its form here: never logged, never kept.
#pragma once

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>

#include "wps/dbus_caller.h"
#include "wps/gdbus_network_manager_client.h"
#include "wps/network_key.h"

namespace cupswps::wps {

class NetworkKeyLookup {
 public:
  // `context` (nullptr: the default one) must outlive the lookup.
  explicit NetworkKeyLookup(GMainContext* context);
  void Find(const std::string& ifname, const std::string& ssid, std::function<void(KeyForm)> done);

 private:
  void FromNetworkManager(const std::string& connection, std::function<void(KeyForm)> done);
  void FromSupplicant(const std::string& ifname, const std::string& ssid, std::function<void(KeyForm)> done);

  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  GdbusNetworkManagerClient network_manager_;
  DbusCaller settings_;    // NetworkManager's profiles (GetSecrets)
  DbusCaller supplicant_;  // wpa_supplicant's D-Bus API
};

}  // namespace cupswps::wps
