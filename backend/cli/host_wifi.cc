// SPDX-License-Identifier: Apache-2.0
// This host's Wi-Fi around an enrollee run; see host_wifi.h.
#include "backend/cli/host_wifi.h"

#include <signal.h>

#include <optional>
#include <utility>

#include "backend/cli/setup_view.h"
#include "common/glib.h"
#include "common/log.h"
#include "wps/gdbus_network_manager_client.h"
#include "wps/gdbus_supplicant_networks.h"
#include "wps/network_manager_handover.h"
#include "wps/supplicant_handover.h"
#include "wps/wifi_manager_probe.h"

namespace cupswps::backend {

HostWifi::HostWifi(const PairRequest& request)
    : request_(request),
      network_manager_(std::make_unique<wps::GdbusNetworkManagerClient>(nullptr,
                                                                        wps::GdbusNetworkManagerClient::Options{})),
      probe_(std::make_unique<wps::WifiManagerProbe>(nullptr, *network_manager_, wps::WifiManagerProbe::Options{})) {
  facts_.ifname = request.daemon.target;
}

// The handover goes before the clients it uses.
HostWifi::~HostWifi() {
  handover_.reset();
  probe_.reset();
}

void HostWifi::Detect(std::function<void()> done) {
  probe_->Probe(request_.daemon.target, [this, done](wps::ManagerFacts facts) {
    facts_ = std::move(facts);
    MakeHandover(request_.bssid);
    log::Debug(wps::DescribeManagement(facts_));
    done();
  });
}

void HostWifi::MakeHandover(const std::string& bssid) {
  const wps::ProfileOptions options{request_.daemon.target, bssid, request_.keep_network};
  switch (manager()) {
    case wps::WifiManager::kNetworkManager:
      handover_ = std::make_unique<wps::NetworkManagerHandover>(*network_manager_, *facts_.network_manager, options);
      break;
    case wps::WifiManager::kSupplicant:
      if (!supplicant_) supplicant_ = std::make_unique<wps::GdbusSupplicantNetworks>(nullptr, request_.daemon.target);
      handover_ = std::make_unique<wps::SupplicantHandover>(*supplicant_, options);
      break;
    case wps::WifiManager::kIwd:
      break;
  }
}

void HostWifi::UseBssid(const std::string& bssid) {
  if (!prepared_) MakeHandover(bssid);
}

void HostWifi::Prepare(wps::NetworkHandover::Done done) {
  if (!handover_) return done(Status());
  prepared_ = true;
  handover_->Prepare(std::move(done));
}

void HostWifi::Join(std::shared_ptr<const wps::ReceivedNetwork> network, wps::NetworkHandover::Done done) {
  if (!handover_ || !network) {
    return done(Error{ErrorCode::kRefused, "The printer sent no network settings to join.", ""});
  }
  handover_->Join(std::move(network), std::move(done));
}

void HostWifi::RestoreAndWait(std::chrono::seconds limit) {
  if (restored_ || !handover_ || !prepared_) return;
  restored_ = true;
  // Shared with the handover's callback, which may come after a time-out.
  struct Wait {
    MainLoopPtr loop{g_main_loop_new(nullptr, FALSE)};
    std::optional<Status> restored;
    int interrupts = 0;
  };
  auto wait = std::make_shared<Wait>();
  auto interrupt = [wait] {
    if (++wait->interrupts >= 2) g_main_loop_quit(wait->loop.get());
  };
  SourceGuard sigint = OnUnixSignal(SIGINT, interrupt), sigterm = OnUnixSignal(SIGTERM, interrupt);
  SourceGuard timeout = ScheduleOnce(nullptr, limit, [wait] { g_main_loop_quit(wait->loop.get()); });
  handover_->Restore([wait](Status s) {
    wait->restored = std::move(s);
    g_main_loop_quit(wait->loop.get());
  });
  if (!wait->restored) g_main_loop_run(wait->loop.get());
  const SetupView view(request_.json);
  std::string failure;
  if (!wait->restored) {
    failure = "Putting " + request_.daemon.target + " back as it was did not finish; check it (" +
              (manager() == wps::WifiManager::kNetworkManager ? "nmcli device" : "wpa_cli status") + ").";
  } else if (!wait->restored->ok()) {
    failure = wait->restored->error().message;
  }
  if (failure.empty()) return view.Event("restored", wps::RestoredLine(facts_, request_.keep_network));
  if (request_.json) return view.Event("restore-failed", failure);
  log::Error(failure);
}

}  // namespace cupswps::backend
