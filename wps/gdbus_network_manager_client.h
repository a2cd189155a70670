// SPDX-License-Identifier: Apache-2.0
// NetworkManagerClient over NetworkManager's D-Bus API
// (org.freedesktop.NetworkManager, 1.16 and later), with GDBus on a GLib main
// context. Tested against python-dbusmock's NetworkManager template in the
// lab (tests/lab/lab.d/ws_networkmanager.py); NetworkManager itself needs a
// Wi-Fi radio, which the test machines do not have.
#pragma once

#include <gio/gio.h>

#include <chrono>
#include <memory>
#include <string>

#include "wps/dbus_caller.h"
#include "wps/network_manager_handover.h"

namespace cupswps::wps {

struct StateWaits;

// Call FindDevice first: the waits for a state need the bus.
class GdbusNetworkManagerClient final : public NetworkManagerClient {
 public:
  struct Options {
    GBusType bus = G_BUS_TYPE_SYSTEM;
    int call_timeout_ms = 10000;
    // How long Deactivate waits for the device to say it is disconnected.
    std::chrono::milliseconds disconnect_limit{5000};
    // How long an activation may take (NetworkManager's own limits for a
    // Wi-Fi connection and DHCP are shorter).
    std::chrono::milliseconds activate_limit{90000};
  };
  // `context` (nullptr: the default one) must outlive the client.
  GdbusNetworkManagerClient(GMainContext* context, Options options);

  void FindDevice(const std::string& ifname, std::function<void(Result<NetworkManagerDevice>)> done) override;
  void SetAutoconnect(const std::string& device, bool on, Done done) override;
  void Deactivate(const std::string& active, const std::string& device, Done done) override;
  void Activate(const std::string& connection, const std::string& device, Done done) override;
  void WaitActivated(const std::string& active, Done done) override;
  void AddAndActivate(VariantPtr settings, const std::string& device, VariantPtr options,
                      std::function<void(Result<std::string>)> done) override;

 private:
  void ReadDevice(NetworkManagerDevice device, std::function<void(Result<NetworkManagerDevice>)> done);
  void ReadActive(NetworkManagerDevice device, std::function<void(Result<NetworkManagerDevice>)> done);

  GMainContext* context_;
  Options options_;
  std::function<void(Status)> NewWait(Done done, int* id);

  std::shared_ptr<StateWaits> waits_;
  Poster poster_;
  DbusCaller bus_;  // last: its completions use the members above
};

}  // namespace cupswps::wps
