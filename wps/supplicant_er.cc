// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's External Registrar; see supplicant_er.h. Its replies are
// turned into Events in Refused and Unavailable only.
#include "wps/supplicant_er.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "common/log.h"
#include "common/text.h"
#include "wps/ctrl_event.h"
#include "wps/pin.h"

namespace cupswps::wps {
namespace {

// The value of "key=" among the lines of STATUS, or "".
std::string StatusField(const std::string& status, const std::string& key) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 && line[key.size()] == '=') {
      return line.substr(key.size() + 1);
    }
  }
  return {};
}

// After "so cups-wps does not hand it on": what would.
constexpr char kInstead[] =
    " (with the router's AP PIN from its label, --router-pin, the printer gets the router's own network instead)";

// "id=0" of STATUS: the network wpa_supplicant is connected with.
std::string NetworkId(const std::string& status) {
  const std::string id = StatusField(status, "id");
  if (!id.empty() && id.size() <= 6 && id.find_first_not_of("0123456789") == std::string::npos) return id;
  return {};
}

}  // namespace

SupplicantExternalRegistrar::SupplicantExternalRegistrar(GMainContext* context, std::string ctrl_path,
                                                         Options options)
    : context_(context), path_(std::move(ctrl_path)), options_(options), poster_(context) {}

SupplicantExternalRegistrar::~SupplicantExternalRegistrar() = default;

std::string SupplicantExternalRegistrar::Describe() const {
  return "the router's WPS through wpa_supplicant at " + path_;
}

void SupplicantExternalRegistrar::Emit(Event event) {
  if (!disarming_ && sink_) sink_(event);
}

void SupplicantExternalRegistrar::Unavailable(ErrorCode code, std::string message, std::string detail) {
  Event e;
  e.kind = EventKind::kUnavailable;
  e.error = Error{code, std::move(message), std::move(detail)};
  Emit(std::move(e));
}

void SupplicantExternalRegistrar::Refused(std::string_view command, const Result<std::string>& reply) {
  Event e;
  e.kind = reply.ok() ? EventKind::kRefused : EventKind::kUnavailable;
  if (!reply.ok()) {
    e.error = reply.error();
  } else {
    e.error = Error{ErrorCode::kWpsRefused,
                    reply.value() == "UNKNOWN COMMAND"
                        ? "wpa_supplicant at " + path_ + " was built without the External Registrar (" +
                              std::string(command) + "); press the router's WPS button instead."
                        : "wpa_supplicant at " + path_ + " refused " + std::string(command) + ".",
                    std::string(command) + " answered \"" + reply.value().substr(0, 40) + "\""};
  }
  Emit(std::move(e));
}

void SupplicantExternalRegistrar::Send(const std::string& command,
                                       std::function<void(const Result<std::string>&)> then) {
  SecretString c;
  c.str() = command;
  socket_->Request(std::move(c), command, std::move(then));
}

std::string SupplicantExternalRegistrar::Ifname() const { return path_.substr(path_.rfind('/') + 1); }

void SupplicantExternalRegistrar::UseRouterPin(const Pin& pin) { router_pin_.str().assign(pin.digits()); }

void SupplicantExternalRegistrar::Arm(const Arming& arming, EventSink sink) {
  sink_ = std::move(sink);
  method_ = arming.method;
  if (arming.method == Method::kPin && arming.pin != nullptr) pin_.str().assign(arming.pin->digits());
  auto opened = CtrlSocket::Open(context_, path_, CtrlSocket::Options{"wpa_supplicant", options_.reply_timeout},
                                 CtrlSocket::Callbacks{[this](std::string_view line) { OnLine(line); },
                                                       [this](const Error& e) { OnBroken(e); }});
  if (!opened) {
    poster_.Post([this, error = opened.error()] { Unavailable(ErrorCode::kWpsNoDaemon, error.message, error.detail); });
    return;
  }
  socket_ = std::move(opened.value());
  Send("ATTACH", [this](const Result<std::string>& r) {
    if (!r.ok() || r.value() != "OK") Refused("ATTACH", r);
  });
  // With the router's AP PIN: wpa_supplicant says at debug level when the
  // router took the press (WPS-ER-SET-SEL-REG ... state=DONE); see Confirm.
  if (!router_pin_.str().empty()) {
    Send("LEVEL 2", [](const Result<std::string>& r) {
      if (!r.ok() || r.value() != "OK") log::Debug("LEVEL 2 was not answered OK");
    });
  }
  Send("STATUS", [this](const Result<std::string>& r) {
    if (!r.ok()) return Refused("STATUS", r);
    OnStatus(r.value());
  });
}

void SupplicantExternalRegistrar::OnStatus(const std::string& status) {
  network_id_ = NetworkId(status);
  own_mac_ = NormalizeMac(StatusField(status, "address"));
  bssid_ = NormalizeMac(StatusField(status, "bssid"));
  // The router's own settings go to the printer: this host's network is
  // not handed on, so whatever it is does not matter.
  if (!router_pin_.str().empty()) return StartEr();
  // Another saved network goes to the printer (supplicant_er_network.cc).
  if (!options_.network.empty()) return ChooseNetwork();
  if (network_id_.empty()) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "This host is not connected to the router through wpa_supplicant at " + path_ +
                           ", so cups-wps cannot give the router its network's settings for the printer.",
                       "STATUS has no id=");
  }
  // WPS_ER_SET_CONFIG hands the printer this network as it is. What a
  // printer could not use, or an open network, is refused here; setup then
  // asks for the router's own button, whose credential is the router's own.
  // Its bytes, for the key's lookup (STATUS escapes them as printf_encode does).
  const std::string ssid = DecodeSupplicantText(StatusField(status, "ssid")).value_or("");
  const std::string named = ssid.empty() ? std::string("network") : "network '" + text::Clean(ssid, 32 * 4) + "'";
  const std::string freq = StatusField(status, "freq");
  const int mhz = freq.size() >= 4 && freq.size() <= 5 && freq.find_first_not_of("0123456789") == std::string::npos
                      ? std::stoi(freq)
                      : 0;
  if (mhz >= 5000) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "This computer is on the router's " + named + " at " + (mhz >= 5925 ? "6" : "5") +
                           " GHz, which a printer with only 2.4 GHz cannot join, so cups-wps does not hand it on" +
                           kInstead + "; or name the router's 2.4 GHz network, saved here, with --network SSID.",
                       "STATUS freq=" + freq);
  }
  const std::string key_mgmt = StatusField(status, "key_mgmt");
  if (key_mgmt == "NONE" || key_mgmt == "OWE" || key_mgmt == "WPA-NONE") {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "This computer is on an open " + named + ", and cups-wps never hands a printer an open network.",
                       "STATUS key_mgmt=" + key_mgmt);
  }
  CheckKeyMgmt(ssid, named);
}

// STATUS names the key management in use; the network itself may allow
// no WPA-PSK at all (SAE only), which WPS_ER_SET_CONFIG would turn into an
// open network.
void SupplicantExternalRegistrar::CheckKeyMgmt(const std::string& ssid, const std::string& named) {
  Send("GET_NETWORK " + network_id_ + " key_mgmt", [this, named, ssid](const Result<std::string>& r) {
    if (!r.ok() || r.value() == "FAIL") return Refused("GET_NETWORK", r);
    std::istringstream words(r.value());
    std::string word;
    bool psk = false, sae = false;
    while (words >> word) {
      psk = psk || word == "WPA-PSK";
      sae = sae || word == "SAE";
    }
    if (!psk) {
      return Unavailable(ErrorCode::kWpsNoRouterWps,
                         "This computer's " + named + " is set up for " +
                             (sae ? std::string("WPA3 (SAE)") : "key management other than WPA2 personal") +
                             " only, which WPS cannot hand to a printer, so cups-wps does not hand it on" + kInstead +
                             ".",
                         "GET_NETWORK key_mgmt=" + r.value().substr(0, 80));
    }
    CheckKey(ssid, named);
  });
}

void SupplicantExternalRegistrar::CheckKey(const std::string& ssid, const std::string& named) {
  if (!options_.key_form) return StartEr();
  const std::string ifname = Ifname();
  std::weak_ptr<int> alive = alive_;
  options_.key_form(ifname, ssid, [this, alive, named](KeyForm form) {
    if (alive.expired() || disarming_) return;
    if (form != KeyForm::kRawPsk) return StartEr();
    Unavailable(ErrorCode::kWpsNoRouterWps,
                "This computer's " + named +
                    " is set up with its key as 64 hex digits (a raw PSK), which the router's WPS would hand the "
                    "printer as a key it cannot use, so cups-wps does not hand it on" +
                    kInstead + ".",
                "key: 64 hex digits");
  });
}

void SupplicantExternalRegistrar::TakeRouter(const Event& e) {
  if (!router_uuid_.empty() || disarming_) return;
  router_timer_.reset();
  router_uuid_ = e.device.uuid;
  Emit(e);
  if (!router_pin_.str().empty()) return Learn();
  if (!options_.network.empty()) return CheckNetworkServed();
  SetConfig();
}

void SupplicantExternalRegistrar::SetConfig() {
  Send("WPS_ER_SET_CONFIG " + router_uuid_ + " " + network_id_, [this](const Result<std::string>& r) {
    if (!r.ok() || r.value() != "OK") return Refused("WPS_ER_SET_CONFIG", r);
    Press();
  });
}

void SupplicantExternalRegistrar::Press() {
  SecretString command;
  std::string shown;
  if (method_ == Method::kPin) {
    command.str().append("WPS_ER_PIN any ").append(pin_.str());
    shown = "WPS_ER_PIN any " + std::string(pin_.str().size(), '*');
    pin_handed_ = true;  // pin_ is kept for a router that comes back, and wiped at Disarm
  } else {
    command.str() = "WPS_ER_PBC " + router_uuid_;
    shown = command.str();
  }
  const std::string name = method_ == Method::kPin ? "WPS_ER_PIN" : "WPS_ER_PBC";
  socket_->Request(std::move(command), std::move(shown), [this, name](const Result<std::string>& r) {
    if (r.ok() && r.value() == "FAIL-PBC-OVERLAP") {
      // Its registrar saw another device in push-button mode within the
      // walk time: pressing now would pair one of two.
      return Overlap(Event{.kind = EventKind::kOverlap, .name = "FAIL-PBC-OVERLAP"});
    }
    if (!r.ok() || r.value() != "OK") return Refused(name, r);
    armed_ = true;
    if (method_ == Method::kPushButton) Emit(Event{.kind = EventKind::kButtonPressed, .name = name});
    Emit(Event{.kind = EventKind::kArmed, .name = name});
    ping_timer_ = Schedule(context_, static_cast<guint>(options_.ping_interval.count()), [this] {
      if (ping_pending_ || disarming_) return true;
      ping_pending_ = true;
      Send("PING", [this](const Result<std::string>& pong) {
        ping_pending_ = false;
        if (!pong.ok()) OnBroken(pong.error());
      });
      return true;
    });
  });
}

void SupplicantExternalRegistrar::OnLine(std::string_view line) {
  if (learning_ && line.find("WPS-ER-AP-SETTINGS ") != std::string_view::npos) return OnRouterSettings(line);
  if (learnt_ && line.find("WPS-ER-SET-SEL-REG ") != std::string_view::npos) return OnSetSelectedRegistrar(line);
  Event e = ParseCtrlEvent(line);
  switch (e.kind) {
    case EventKind::kRouterFound:
      return OnRouterSeen(e);
    case EventKind::kGone:
      // Another router leaving is no news; ours is waited for.
      if (!e.device.uuid.empty() && e.device.uuid != router_uuid_) {
        std::erase_if(routers_, [&](const Event& r) { return r.device.uuid == e.device.uuid; });
        return;
      }
      if (!e.device.uuid.empty()) return OnRouterLeft();
      e.error.message = e.device.uuid.empty() ? "wpa_supplicant at " + path_ + " went away during pairing."
                                              : "The router stopped answering over UPnP during pairing.";
      return Emit(std::move(e));
    case EventKind::kEnrolleeSeen:
    case EventKind::kExchanging:
      // This host's own Wi-Fi in push-button mode: NetworkManager starts
      // WPS push button as it connects to a router that offers WPS (its
      // wifi-sec.wps-method "default"), and the router counts it for its
      // walk time like any device.
      if (e.push_button && !own_mac_.empty() && e.device.mac == own_mac_) own_push_button_ = true;
      // A running ER reports the enrollees it knew from earlier runs when it
      // is started again: only those after arming are this run's.
      if (!armed_) return;
      if (e.kind == EventKind::kExchanging && !e.device.mac.empty()) enrollee_ = e.device;
      return Emit(std::move(e));
    case EventKind::kSuccess: {
      // The ER's own WPS-SUCCESS (no MAC on it): the printer it relayed got
      // the network.
      Event registered;
      registered.kind = EventKind::kRegistered;
      registered.device = enrollee_;
      registered.name = "WPS-SUCCESS";
      return Emit(std::move(registered));
    }
    case EventKind::kFailed:
      // A learn run ends with msg=11 on purpose (after the router's
      // settings), and a NACK after M7 is never the printer's failure.
      if (e.message == 11) return;
      if (learning_) return LearnFailed(e);
      // A failure before this run armed its PIN is reported too: seen in the
      // wired lab, it is the printer, already in PIN mode, failing against
      // the random PIN an earlier run's Disarm left in wpa_supplicant (see
      // Disarm), and the printer does not try again by itself.
      // The router found two devices in push-button mode (its own check).
      if (e.config_error == kConfigErrorMultiplePbc) return Overlap(std::move(e));
      return Emit(std::move(e));
    case EventKind::kOverlap:
      return Overlap(std::move(e));
    case EventKind::kPbcActive:
    case EventKind::kPbcDisabled:
    case EventKind::kDisarmed:  // WPS-CANCEL is about this host's own enrollee runs
      return;
    default:
      return Emit(std::move(e));
  }
}

// NetworkManager starts WPS push button whenever it connects to a router
// that offers WPS (wifi-sec.wps-method "default"), and a router counts a
// device in push-button mode for 2 minutes: seen over the air in the radio
// lab. The router reports that laptop to the ER only when the ER was running.
void SupplicantExternalRegistrar::Overlap(Event e) {
  e.kind = EventKind::kOverlap;
  const std::string why =
      "NetworkManager starts WPS push button when it connects to a router that offers WPS, and the router counts "
      "that for 2 minutes. Try again in 2 minutes; to stop it for good: nmcli connection modify NAME "
      "wifi-sec.wps-method disabled (NAME: this computer's Wi-Fi connection).";
  e.error.message = own_push_button_
                        ? "The router also saw this computer in push-button mode, so nothing was paired: " + why
                        : "The router saw more than one device in push-button mode, so nothing was paired. If this "
                          "computer joined the router's Wi-Fi in the last 2 minutes, it was one of them: " +
                              why;
  Emit(std::move(e));
}

void SupplicantExternalRegistrar::OnBroken(const Error& error) {
  ping_timer_.reset();
  router_timer_.reset();
  Event e;
  e.kind = armed_ ? EventKind::kGone : EventKind::kUnavailable;
  e.error = error;
  if (armed_) e.error.message = "wpa_supplicant at " + path_ + " went away during pairing; start it again and retry.";
  Emit(std::move(e));
}

void SupplicantExternalRegistrar::Disarm(bool, std::function<void()> done) {
  disarming_ = true;
  ping_timer_.reset();
  router_timer_.reset();
  lost_timer_.reset();
  learn_timer_.reset();
  confirm_timer_.reset();
  network_scan_.reset();
  Wipe(pin_.str());
  Wipe(router_pin_.str());
  if (!socket_ || socket_->broken()) {
    if (!added_network_.empty()) {
      log::Info("wpa_supplicant may still have network " + added_network_ +
                " (disabled), added for this run; 'wpa_cli -p " + path_.substr(0, path_.rfind('/')) + " -i " +
                Ifname() + " remove_network " + added_network_ + "' removes it.");
    }
    poster_.Post(std::move(done));
    return;
  }
  auto detach = [this, done = std::move(done)]() mutable {
    auto bye = [this, done = std::move(done)]() mutable {
      Send("DETACH", [done = std::move(done)](const Result<std::string>&) { done(); });
    };
    if (added_network_.empty()) return bye();
    // --network saved elsewhere: it was wpa_supplicant's for this run only.
    Send("REMOVE_NETWORK " + std::exchange(added_network_, ""),
         [bye = std::move(bye)](const Result<std::string>& r) mutable {
           if (!r.ok() || r.value() != "OK") log::Debug("REMOVE_NETWORK was not answered OK");
           bye();
         });
  };
  if (!started_) return detach();
  // Also after a success: the router keeps a selected registrar for its
  // walk time otherwise, and a second device could pair through it.
  Send("WPS_ER_STOP", [this, detach = std::move(detach)](const Result<std::string>& r) mutable {
    if (!r.ok()) log::Debug("WPS_ER_STOP: " + r.error().detail);
    if (!pin_handed_) return detach();
    // wpa_supplicant keeps a PIN given to WPS_ER_PIN for 300 s, and a later
    // External Registrar (anyone's WPS_ER_START) would take it again; there
    // is no command to remove it, but a new "any" PIN replaces an unused
    // one. With the ER stopped, the new one reaches no router, and nobody
    // knows it: it is made up here and wiped.
    auto replacement = GeneratePin();
    if (!replacement) return detach();
    SecretString command;
    command.str().append("WPS_ER_PIN any ").append(replacement.value().digits());
    socket_->Request(std::move(command), "WPS_ER_PIN any ********",
                     [detach = std::move(detach)](const Result<std::string>& pin) mutable {
                       if (!pin.ok() || pin.value() != "OK") log::Debug("replacing the ER's PIN failed");
                       detach();
                     });
  });
}

}  // namespace cupswps::wps
