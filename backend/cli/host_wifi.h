// SPDX-License-Identifier: Apache-2.0
// This host's Wi-Fi around an enrollee run (this host joins the printer's
// own network), for `pair` and `setup`: who manages the interface (asked
// before anything is armed, and said in the first line; wps/wifi_manager.h),
// the handover of the printer's network to it (wps/network_handover.h), and
// putting back everything it changed at the end, from every exit path
// (RestoreAndWait). Composes the GDBus clients; runs on the default main
// context. Lives as long as the command (the printer's network stays joined
// while setup looks for the printer, registers it and prints on it).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "backend/cli/pair_run.h"
#include "wps/network_handover.h"
#include "wps/wifi_manager.h"

namespace cupswps::wps {
class GdbusNetworkManagerClient;
class GdbusSupplicantNetworks;
class WifiManagerProbe;
}  // namespace cupswps::wps

namespace cupswps::backend {

class HostWifi {
 public:
  // `request` (an enrollee run) must outlive this.
  explicit HostWifi(const PairRequest& request);
  ~HostWifi();
  HostWifi(const HostWifi&) = delete;
  HostWifi& operator=(const HostWifi&) = delete;

  // Asks who manages the interface; `done` once, from the loop.
  void Detect(std::function<void()> done);
  const wps::ManagerFacts& facts() const { return facts_; }
  wps::WifiManager manager() const { return wps::DecideManager(facts_); }

  // The printer's access point found by a scan (no --bssid): the handover
  // joins that one. Before Prepare only.
  void UseBssid(const std::string& bssid);

  // The handover's steps (NetworkManager or wpa_supplicant alone; not for
  // iwd). Prepare before WPS; Join after a successful run.
  void Prepare(wps::NetworkHandover::Done done);
  void Join(std::shared_ptr<const wps::ReceivedNetwork> network, wps::NetworkHandover::Done done);

  // Puts back what Prepare and Join changed, running the default main
  // context until that is done (at most `limit`); a first Ctrl-C meanwhile
  // is ignored, a second stops waiting. Says how it went when anything was
  // changed (one line, or a JSON event), and what to do about what could not
  // be put back. Once; later calls do nothing.
  void RestoreAndWait(std::chrono::seconds limit = std::chrono::seconds(20));

 private:
  void MakeHandover(const std::string& bssid);

  const PairRequest& request_;
  wps::ManagerFacts facts_;
  std::unique_ptr<wps::GdbusNetworkManagerClient> network_manager_;
  std::unique_ptr<wps::GdbusSupplicantNetworks> supplicant_;
  std::unique_ptr<wps::WifiManagerProbe> probe_;
  std::unique_ptr<wps::NetworkHandover> handover_;
  bool prepared_ = false;  // Prepare was called: there may be something to put back
  bool restored_ = false;
};

}  // namespace cupswps::backend
