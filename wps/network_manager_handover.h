// SPDX-License-Identifier: Apache-2.0
// NetworkHandover when NetworkManager manages the interface (1.16 and later;
// what it does was read in 1.42's source, see ../shared/testbed.md):
// NetworkManager never adopts a network that wpa_supplicant joined by itself,
// gives an idle device no address, and its link timeout stalls a WPS run on
// a device it is using. So:
//   Prepare: the device's Autoconnect saved and set to false, its active
//            connection (if any) deactivated and remembered;
//   (the WPS run, with wpa_supplicant's ProcessCredentials false)
//   Join:    AddAndActivateConnection2 with the printer's network as a
//            profile that never becomes the default route (network_profile.h),
//            persist=volatile, bind-activation=dbus-client; done once
//            NetworkManager says it is activated (or why it gave up);
//   Restore: that connection deactivated (a volatile profile is then gone),
//            the one active before reactivated, Autoconnect as it was. With
//            --keep-network the profile is saved and stays active.
// A pure state machine over the NetworkManagerClient seam (GDBus in
// gdbus_network_manager_client.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "wps/dbus_caller.h"
#include "wps/network_handover.h"
#include "wps/network_profile.h"
#include "wps/wifi_manager.h"

namespace cupswps::wps {

// NetworkManager's D-Bus API, as far as the handover needs it. Callbacks come
// from the main context. Errors: kWpsNoDaemon (NetworkManager is not there),
// kNotFound (no such device), else kWpsRefused; the message is empty, the
// detail says what NetworkManager said.
class NetworkManagerClient {
 public:
  using Done = std::function<void(Status)>;
  virtual ~NetworkManagerClient() = default;

  // GetDeviceByIpIface, and what the device and its active connection say.
  virtual void FindDevice(const std::string& ifname, std::function<void(Result<NetworkManagerDevice>)> done) = 0;
  virtual void SetAutoconnect(const std::string& device, bool on, Done done) = 0;
  // DeactivateConnection; `done` once the device reports itself disconnected
  // (or after a few seconds), so that nothing of it reaches wpa_supplicant
  // after the WPS run has started.
  virtual void Deactivate(const std::string& active, const std::string& device, Done done) = 0;
  // ActivateConnection of the profile `connection` on `device`; `done` once
  // it is activated (as WaitActivated).
  virtual void Activate(const std::string& connection, const std::string& device, Done done) = 0;
  // `done` once the active connection `active` is activated. kNotFound when
  // NetworkManager gave it up (it is then gone; the detail has its reason),
  // kTimeout when it was still not activated after a limit.
  virtual void WaitActivated(const std::string& active, Done done) = 0;
  // AddAndActivateConnection2(settings, device, "/", options); `done` gets
  // the new active connection.
  virtual void AddAndActivate(VariantPtr settings, const std::string& device, VariantPtr options,
                              std::function<void(Result<std::string>)> done) = 0;
};

class NetworkManagerHandover final : public HandoverSteps {
 public:
  // `device`: as FindDevice found it before the run (what Restore puts back).
  // `client` must outlive the handover.
  NetworkManagerHandover(NetworkManagerClient& client, NetworkManagerDevice device, ProfileOptions options);

  void Prepare(Done done) override;
  void Join(std::shared_ptr<const ReceivedNetwork> network, Done done) override;

 private:
  std::vector<Step> UndoSteps() override;

  NetworkManagerClient& client_;
  const NetworkManagerDevice device_;
  const ProfileOptions options_;
  bool autoconnect_off_ = false;  // Autoconnect=false went out
  bool previous_off_ = false;     // the connection active before was deactivated
  std::string ours_;              // the printer's network's active connection
};

}  // namespace cupswps::wps
