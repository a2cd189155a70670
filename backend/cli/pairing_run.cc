// SPDX-License-Identifier: Apache-2.0
// One pairing run on the default main context; see pairing_run.h.
#include "backend/cli/pairing_run.h"

#include <signal.h>
#include <unistd.h>

#include <utility>

#include "backend/cli/commands.h"
#include "backend/cli/host_wifi.h"
#include "common/log.h"
#include "wps/hostapd_registrar.h"
#include "wps/nftables_input.h"
#include "wps/pin_input.h"
#include "wps/supplicant_ap_scan.h"
#include "wps/supplicant_enrollee.h"
#include "wps/supplicant_er.h"

namespace cupswps::backend {
namespace {

using wps::Method;
using wps::Side;

Result<wps::Pin> ObtainPin(const PairRequest& r) {
  switch (r.pin_from) {
    case PairRequest::PinFrom::kGenerate: return wps::GeneratePin();
    case PairRequest::PinFrom::kFile: return wps::ReadPinFile(r.pin_file);
    case PairRequest::PinFrom::kStdin: return wps::ReadPinFd(STDIN_FILENO);
    default: return wps::PromptPin("WPS PIN: ");
  }
}

// Router mode, and the router offers computers no WPS.
PairRun NoRouterWps(const PairRequest& request, PairRun run, const std::string& why) {
  run.exit_code = kExitNoDaemon;
  run.router_without_wps = true;
  run.no_router_wps = why;
  if (!request.router_fallback) {
    log::Error((why.empty() ? std::string() : why + " ") +
               "Press the WPS button on the router, then the one on the printer; 'cups-wps setup --router' waits "
               "for the printer and makes its queue.");
  }
  return run;
}

}  // namespace

PairingRun::PairingRun(const PairRequest& request, HostWifi* wifi)
    : request_(request), wifi_(wifi), bssid_(request.bssid) {
  const wps::DaemonChoice& daemon = request.daemon;
  if (daemon.router && daemon.target.empty()) return;  // nothing to drive
  if (daemon.router) {
    key_lookup_ = std::make_unique<wps::NetworkKeyLookup>(nullptr);
    if (!request.network.empty()) saved_networks_ = std::make_unique<wps::NetworkManagerSavedNetworks>(nullptr);
    auto er = std::make_unique<wps::SupplicantExternalRegistrar>(
        nullptr, daemon.target,
        wps::SupplicantExternalRegistrar::Options{
            .router_wait = request.router_wait,
            .router_uuid = request.router_uuid,
            .silence_hint = [] { return wps::InputFirewallHint(); },
            .key_form = [this](const std::string& ifname, const std::string& ssid,
                               std::function<void(wps::KeyForm)> done) {
              key_lookup_->Find(ifname, ssid, std::move(done));
            },
            .network = request.network,
            .saved_elsewhere = [this](const std::string& ssid, std::function<void(Result<wps::SavedNetwork>)> done) {
              if (!saved_networks_) return done(Error{ErrorCode::kNotFound, "", ""});
              saved_networks_->Find(ssid, std::move(done));
            }});
    er_ = er.get();
    registrar_ = std::move(er);
  } else if (daemon.side == Side::kRegistrar) {
    registrar_ = std::make_unique<wps::HostapdRegistrar>(nullptr, daemon.target,
                                                         wps::HostapdRegistrar::Options{.daemon = daemon.daemon});
  } else if (wifi != nullptr) {
    return;  // the enrollee once it is known who manages the interface (Begin)
  } else {
    enrollee_ = std::make_unique<wps::SupplicantEnrollee>(
        nullptr, wps::SupplicantEnrollee::Options{
                     .ifname = daemon.target, .bssid = request.bssid, .learn_with_ap_pin = request.ap_pin});
  }
  const wps::Session::Options options{request.method, request.run_time};
  session_ = registrar_ ? std::make_unique<wps::Session>(*registrar_, clock_, options)
                        : std::make_unique<wps::Session>(*enrollee_, clock_, options);
}

PairingRun::~PairingRun() { *alive_ = false; }

void PairingRun::Finish(PairRun run) {
  if (run.bssid.empty()) run.bssid = bssid_;
  sigint_.reset();
  sigterm_.reset();
  sighup_.reset();
  ticker_.reset();
  // The network's key goes no further than the handover.
  if (run.pairing) run.pairing->received.reset();
  // From the loop, never from inside Start.
  finish_ = Schedule(nullptr, 0, [this, run = std::move(run)]() mutable {
    if (auto done = std::exchange(done_, nullptr)) done(std::move(run));
    return false;
  });
}

void PairingRun::Fail(const Error& error, int exit_code) {
  view_->Done(Result<wps::Pairing>(error), exit_code);
  if (!error.detail.empty()) log::Debug(error.detail);
  Finish(PairRun{exit_code, {}});
}

void PairingRun::Start(std::function<void(PairRun)> done, std::function<void(const wps::Progress&)> progress) {
  done_ = std::move(done);
  progress_ = std::move(progress);
  auto interrupt = [this] {
    // The first Ctrl-C disarms the daemon and waits for it to confirm; a
    // second one stops waiting (hostapd still drops a PIN at its timeout).
    // Before the session runs there is nothing armed to wait for.
    if (++interrupts_ == 1 && started_ && !session_->finished()) return session_->Cancel();
    Finish(PairRun{kExitInterrupted, {}});
  };
  sigint_ = OnUnixSignal(SIGINT, interrupt);
  sigterm_ = OnUnixSignal(SIGTERM, interrupt);
  sighup_ = OnUnixSignal(SIGHUP, interrupt);
  if (!wifi_) return Begin();
  wifi_->Detect([this, alive = alive_] {
    if (*alive && done_) Begin();
  });
}

void PairingRun::Begin() {
  const PairView::Style style = request_.json              ? PairView::Style::kJson
                                : isatty(STDOUT_FILENO) ? PairView::Style::kTerminal
                                                         : PairView::Style::kPlain;
  // --ap-pin without --bssid: the printer's access point is found first.
  const bool scan = wifi_ && wifi_->manager() != wps::WifiManager::kIwd && request_.ap_pin && bssid_.empty() &&
                    wps::IsRadio(request_.daemon.target);
  if (wifi_ && wifi_->manager() != wps::WifiManager::kIwd && !scan) MakeEnrollee();
  view_ = std::make_unique<PairView>(style, session_.get());
  wps::DaemonChoice shown = request_.daemon;
  if (wifi_) {
    shown.reason = wps::DescribeManagement(wifi_->facts());
    if (wifi_->manager() == wps::WifiManager::kIwd) shown.daemon = "iwd";
  }
  view_->Daemon(shown, wifi_ ? wps::ManagerName(wifi_->manager()) : std::string_view());
  if (!session_ && !wifi_) return Finish(NoRouterWps(request_, PairRun{}, ""));  // the person presses the router's button
  if (wifi_ && !Managed()) return;
  if (scan) return FindPrinterAccessPoint();
  Arm();
}

void PairingRun::MakeEnrollee() {
  enrollee_ = std::make_unique<wps::SupplicantEnrollee>(
      nullptr, wps::SupplicantEnrollee::Options{
                   .ifname = request_.daemon.target,
                   .bssid = bssid_,
                   .learn_with_ap_pin = request_.ap_pin,
                   .may_create_interface = wifi_->manager() != wps::WifiManager::kNetworkManager});
  session_ = std::make_unique<wps::Session>(*enrollee_, clock_,
                                            wps::Session::Options{request_.method, request_.run_time});
  if (view_) view_->Attach(session_.get());
}

void PairingRun::FindPrinterAccessPoint() {
  const std::string& ifname = request_.daemon.target;
  view_->Note("scanning", "looking for the printer's own access point with WPS in range of " + ifname);
  ap_scan_ = std::make_unique<wps::SupplicantApScan>(nullptr, std::string(wps::kSupplicantCtrlDir) + "/" + ifname,
                                                     wps::SupplicantApScan::Options{});
  ap_scan_->Find([this, alive = alive_, ifname](Result<std::vector<wps::AccessPoint>> seen) {
    if (!*alive || !done_) return;
    if (!seen) return Fail(seen.error(), ExitCodeFor(seen.error().code));
    auto printer = wps::ChoosePrinter(seen.value(), ifname);
    if (!printer) return Fail(printer.error(), ExitCodeFor(printer.error().code));
    bssid_ = printer->bssid;
    wifi_->UseBssid(bssid_);
    view_->Note("printer-access-point", "the printer's access point: " + wps::Describe(printer.value()));
    MakeEnrollee();
    Arm();
  });
}

void PairingRun::Arm() {
  if (request_.method == Method::kPin) {
    auto obtained = ObtainPin(request_);
    if (!obtained) {
      log::Error(obtained.error().message);
      return Finish(PairRun{obtained.error().code == ErrorCode::kCancelled ? kExitInterrupted : kExitUsage, {}});
    }
    pin_ = std::move(obtained.value());
  }
  if (er_ && request_.router_pin_from != PairRequest::PinFrom::kNone) {
    auto router_pin = request_.router_pin_from == PairRequest::PinFrom::kFile
                          ? wps::ReadPinFile(request_.router_pin_file)
                          : wps::PromptPin("The router's AP PIN: ");
    if (!router_pin) {
      log::Error(router_pin.error().message + " (the router's AP PIN)");
      return Finish(PairRun{router_pin.error().code == ErrorCode::kCancelled ? kExitInterrupted : kExitUsage, {}});
    }
    er_->UseRouterPin(router_pin.value());
  }
  if (request_.pin_from == PairRequest::PinFrom::kGenerate) view_->GeneratedPin(pin_);
  ticker_ = Schedule(nullptr, 1000, [this] {
    view_->Tick();
    return true;
  });
  if (!wifi_) return StartSession();
  wifi_->Prepare([this, alive = alive_](Status prepared) {
    if (!*alive || !done_) return;
    if (!prepared) return Fail(prepared.error(), ExitCodeFor(prepared.error().code));
    StartSession();
  });
}

bool PairingRun::Managed() {
  const wps::ManagerFacts& facts = wifi_->facts();
  const std::string& ifname = request_.daemon.target;
  switch (wifi_->manager()) {
    case wps::WifiManager::kIwd: {
      const std::string how = wps::IwdInstruction(ifname, request_.method, request_.finds_printer);
      if (request_.finds_printer) {
        PairRun run{kExitOk, {}};
        run.join_yourself = how;
        Finish(std::move(run));
      } else {
        Fail(Error{ErrorCode::kWpsNoDaemon, how, ""}, kExitNoDaemon);
      }
      return false;
    }
    case wps::WifiManager::kNetworkManager:
      if (!wps::NetworkManagerSupported(facts.network_manager->version)) {
        Fail(Error{ErrorCode::kWpsRefused,
                   "NetworkManager " + facts.network_manager->version + " manages " + ifname +
                       ", and only NetworkManager 1.16 or later can be handed a network; nothing was paired.",
                   ""},
             kExitFailure);
        return false;
      }
      view_->Note("warning", wps::NetworkManagerWarning(facts, request_.keep_network));
      return true;
    case wps::WifiManager::kSupplicant:
      if (request_.join && wps::DecideAddressSource(facts) == wps::AddressSource::kNone && !request_.keep_network) {
        Fail(Error{ErrorCode::kRefused, wps::NoAddressProblem(ifname), ""}, kExitFailure);
        return false;
      }
      return true;
  }
  return true;
}

void PairingRun::StartSession() {
  started_ = true;
  session_->Start(&pin_, wps::Session::Listener{
                             [this](const wps::Progress& s) {
                               view_->Show(s);
                               if (progress_) progress_(s);
                             },
                             [this](const Result<wps::Pairing>& r) {
                               if (!done_) return;
                               if (!r.ok() && r.error().code == ErrorCode::kWpsNoRouterWps) {
                                 return Finish(NoRouterWps(request_, PairRun{}, r.error().message));
                               }
                               PairRun run{r.ok() ? kExitOk : ExitCodeFor(r.error().code), {}};
                               if (r.ok()) run.pairing = r.value();
                               view_->Done(r, run.exit_code);
                               if (!r.ok()) log::Debug(r.error().detail);
                               if (r.ok() && wifi_ && request_.join) return Joined(std::move(run));
                               Finish(std::move(run));
                             }});
  // The session copied what it needed; nothing else reads the PIN.
  pin_ = wps::Pin();
}

void PairingRun::Joined(PairRun run) {
  const std::string ssid = run.pairing->networks.empty() ? std::string() : run.pairing->networks.front().ssid;
  auto received = run.pairing->received;
  wifi_->Join(std::move(received), [this, alive = alive_, run = std::move(run), ssid](Status joined) mutable {
    if (!*alive || !done_) return;
    if (!joined) {
      if (request_.json) view_->Note("failed", joined.error().message);
      else log::Error(joined.error().message);
      if (!joined.error().detail.empty()) log::Debug(joined.error().detail);
      run.exit_code = kExitFailure;
      return Finish(std::move(run));
    }
    view_->Note("network", wps::JoiningLine(wifi_->facts(), ssid, request_.keep_network));
    Finish(std::move(run));
  });
}

void PairingRun::Paired(const wps::Device& device) {
  if (session_) session_->Paired(device);
}

}  // namespace cupswps::backend
