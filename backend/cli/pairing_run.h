// SPDX-License-Identifier: Apache-2.0
// One pairing run on the default main context, for a command that does more
// on the same loop meanwhile (setup looks for the printer while the router
// pairs it): the PIN, the daemon's driver, the Session and pair's live view,
// and Ctrl-C (the first one disarms the daemon, a second stops waiting).
// RunPairing (pair_run.h) is this on a loop of its own.
//
// As enrollee, with this host's Wi-Fi (host_wifi.h): who manages the
// interface is asked first and said in the first line; NetworkManager's
// warning comes before anything is armed; the handover is prepared before
// WPS and, when the request says so, joins the printer's network after a
// successful run. Putting it back is the command's (HostWifi outlives this).
#pragma once

#include <functional>
#include <memory>

#include "backend/cli/pair_run.h"
#include "backend/cli/pair_view.h"
#include "common/clock.h"
#include "common/glib.h"
#include "wps/network_key_lookup.h"
#include "wps/network_manager_saved_networks.h"
#include "wps/pin.h"
#include "wps/supplicant_ap_scan.h"
#include "wps/supplicant_er.h"

namespace cupswps::backend {

class HostWifi;

class PairingRun {
 public:
  // `wifi`: an enrollee run's host Wi-Fi (nullptr otherwise); it and
  // `request` must outlive the run.
  explicit PairingRun(const PairRequest& request, HostWifi* wifi = nullptr);
  ~PairingRun();
  PairingRun(const PairingRun&) = delete;
  PairingRun& operator=(const PairingRun&) = delete;

  // Obtains the PIN (which may prompt), arms the daemon and runs. `done` runs
  // once, from the loop; `progress`, when set, sees every step after the view.
  void Start(std::function<void(PairRun)> done, std::function<void(const wps::Progress&)> progress = {});
  // The caller saw the paired printer by other means (Session::Paired).
  void Paired(const wps::Device& device);

 private:
  void Begin();
  void MakeEnrollee();  // with bssid_, for the session and the view
  void FindPrinterAccessPoint();  // --ap-pin without --bssid: then MakeEnrollee, Arm
  void Arm();  // the PIN, the ticker, the handover's Prepare, then StartSession
  // Enrollee: what who manages the interface means before anything is
  // armed; false when the run ends here (Finish was called).
  bool Managed();
  void StartSession();
  void Joined(PairRun run);
  void Fail(const Error& error, int exit_code);
  void Finish(PairRun run);

  const PairRequest& request_;
  HostWifi* wifi_;
  std::string bssid_;  // the printer's access point: --bssid, or found by a scan
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for callbacks from HostWifi
  std::function<void(const wps::Progress&)> progress_;
  wps::Pin pin_;  // from its input until the session took it
  bool started_ = false;  // the session runs (Ctrl-C cancels it)
  GlibClock clock_{nullptr};
  std::unique_ptr<wps::SupplicantApScan> ap_scan_;
  std::unique_ptr<wps::NetworkKeyLookup> key_lookup_;  // router mode; outlives the registrar
  std::unique_ptr<wps::NetworkManagerSavedNetworks> saved_networks_;  // --network; outlives the registrar
  std::unique_ptr<wps::WpsRegistrar> registrar_;
  wps::SupplicantExternalRegistrar* er_ = nullptr;  // registrar_ in router mode
  std::unique_ptr<wps::WpsEnrollee> enrollee_;
  std::unique_ptr<wps::Session> session_;
  std::unique_ptr<PairView> view_;
  std::function<void(PairRun)> done_;
  int interrupts_ = 0;
  SourceGuard sigint_, sigterm_, sighup_, ticker_, finish_;
};

}  // namespace cupswps::backend
