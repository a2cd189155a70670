// SPDX-License-Identifier: Apache-2.0
// NetworkHandover when wpa_supplicant alone manages the interface (no
// NetworkManager, no iwd). wpa_supplicant would add a received network itself
// (ProcessCredentials) and, with update_config=1, write it into its
// configuration file for good; the enrollee turns that off for the run
// (supplicant_enrollee.h), and the network is added here instead, in memory:
//   Prepare: which networks are enabled now, saved, and those disabled. A
//            WPS run disables them itself otherwise (disabled_for_connect)
//            and, enabling them again at its end, writes the configuration
//            file when it has update_config=1: with ProcessCredentials off
//            in it for good (seen over the air, radio_integration);
//   Join:    AddNetwork with the printer's network (network_profile.h), then
//            SelectNetwork (which disables the others);
//   Restore: that network removed, the ones enabled before enabled again.
//            With --keep-network it stays (in memory only).
// SaveConfig is never called: the configuration file stays as it was, byte
// for byte. A pure state machine over the SupplicantNetworks seam (GDBus in
// gdbus_supplicant_networks.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "wps/dbus_caller.h"
#include "wps/network_handover.h"
#include "wps/network_profile.h"

namespace cupswps::wps {

// The networks of one wpa_supplicant interface (fi.w1.wpa_supplicant1.Interface
// and .Network). Callbacks come from the main context; errors as in
// NetworkManagerClient (kWpsNoDaemon, kNotFound, kWpsRefused; detail only).
class SupplicantNetworks {
 public:
  using Done = std::function<void(Status)>;
  struct Network {
    std::string path;
    bool enabled = false;
  };
  virtual ~SupplicantNetworks() = default;

  virtual void List(std::function<void(Result<std::vector<Network>>)> done) = 0;
  // AddNetwork(args); `done` gets the new network's path.
  virtual void Add(VariantPtr args, std::function<void(Result<std::string>)> done) = 0;
  virtual void Select(const std::string& network, Done done) = 0;
  virtual void Remove(const std::string& network, Done done) = 0;
  virtual void Enable(const std::string& network, Done done) = 0;
  virtual void Disable(const std::string& network, Done done) = 0;
};

class SupplicantHandover final : public HandoverSteps {
 public:
  // `networks` must outlive the handover.
  SupplicantHandover(SupplicantNetworks& networks, ProfileOptions options);

  void Prepare(Done done) override;
  void Join(std::shared_ptr<const ReceivedNetwork> network, Done done) override;

 private:
  std::vector<Step> UndoSteps() override;

  SupplicantNetworks& networks_;
  const ProfileOptions options_;
  void DisableFrom(std::size_t i, Done done);

  std::vector<std::string> enabled_before_;
  std::string ours_;  // the printer's network in wpa_supplicant
};

}  // namespace cupswps::wps
