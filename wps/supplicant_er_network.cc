// SPDX-License-Identifier: Apache-2.0
// --network SSID in the External Registrar (see supplicant_er.h): a saved
// network of this wpa_supplicant's other than the one this host is on goes
// to the printer, e.g. the router's 2.4 GHz network for a laptop on its
// 5 GHz one. Its id comes from LIST_NETWORKS; it gets the checks of this
// host's own network (key management, the key's form); and only when a scan
// has seen the router taken serve it at 2.4 GHz (the router's UPnP UUID in
// that network's WPS element) does WPS_ER_SET_CONFIG hand it on. A network of
// that name served by another device (a neighbour's, an extender's) or only
// at 5 GHz is refused with one sentence. A network wpa_supplicant does not
// have (NetworkManager gives it only the profile in use) comes from
// options.saved_elsewhere and is added for this run only.
#include <algorithm>
#include <memory>
#include <sstream>
#include <utility>

#include "common/log.h"
#include "common/text.h"
#include "wps/ctrl_event.h"
#include "wps/supplicant_er.h"

namespace cupswps::wps {

// The ids of LIST_NETWORKS' lines ("id\tssid\tbssid\tflags") for `ssid`
// (its bytes; LIST_NETWORKS escapes them as printf_encode does), and the
// names of the others. wpa_supplicant leaves out the lines that do not fit
// its 4 kB answer: the list is asked for again after the last id it gave
// (LAST_ID=), until a page has none.
struct SupplicantExternalRegistrar::Saved {
  std::vector<std::string> ids;
  std::vector<std::string> others;
  int last_id = -1;  // of this page; -1: it had none
  int pages = 0;
};

namespace {

constexpr int kMaxPages = 64;  // 64 pages of saved networks is more than anyone has

void ReadPage(const std::string& list, const std::string& ssid, int after, SupplicantExternalRegistrar::Saved& saved) {
  saved.last_id = -1;
  ++saved.pages;
  std::istringstream in(list);
  std::string line;
  std::getline(in, line);  // "network id / ssid / bssid / flags"
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab > 6) continue;
    const std::string id = line.substr(0, tab);
    if (id.find_first_not_of("0123456789") != std::string::npos || std::stoi(id) <= after) continue;
    saved.last_id = std::max(saved.last_id, std::stoi(id));
    const auto end = line.find('\t', tab + 1);
    const std::string name = line.substr(tab + 1, end == std::string::npos ? std::string::npos : end - tab - 1);
    if (DecodeSupplicantText(name) == ssid) {
      saved.ids.push_back(id);
    } else if (saved.others.size() < 8) {
      saved.others.push_back("'" + text::Clean(name, 32 * 4) + "'");
    }
  }
}

bool IsTwoPointFourGigahertz(const AccessPoint& ap) { return ap.freq_mhz >= 2400 && ap.freq_mhz < 2500; }

std::string Joined(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += (s.empty() ? "" : ", ") + w;
  return s;
}

}  // namespace

void SupplicantExternalRegistrar::ChooseNetwork() { ListNetworks(std::make_shared<Saved>(), -1); }

void SupplicantExternalRegistrar::ListNetworks(std::shared_ptr<Saved> saved, int after) {
  const std::string command =
      after < 0 ? std::string("LIST_NETWORKS") : "LIST_NETWORKS LAST_ID=" + std::to_string(after);
  Send(command, [this, saved, after](const Result<std::string>& r) {
    if (!r.ok() || r.value().rfind("FAIL", 0) == 0) return Refused("LIST_NETWORKS", r);
    ReadPage(r.value(), options_.network, after, *saved);
    if (saved->last_id > after && saved->pages < kMaxPages) return ListNetworks(saved, saved->last_id);
    OnSavedNetworks(*saved);
  });
}

void SupplicantExternalRegistrar::OnSavedNetworks(const Saved& saved) {
  const std::string& want = options_.network;
  const std::string shown = text::Clean(want, 32 * 4);
  if (saved.ids.empty()) {
    if (!options_.saved_elsewhere) return NotSaved(saved, "");
    std::weak_ptr<int> alive = alive_;
    return options_.saved_elsewhere(want, [this, alive, saved](Result<SavedNetwork> found) {
      if (alive.expired() || disarming_) return;
      if (found.ok()) return AddNetwork(std::make_shared<SavedNetwork>(std::move(found.value())));
      if (found.error().code == ErrorCode::kNotFound) return NotSaved(saved, found.error().message);
      Unavailable(ErrorCode::kWpsNoRouterWps, found.error().message, found.error().detail);
    });
  }
  if (saved.ids.size() > 1) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "wpa_supplicant at " + path_ + " has " + std::to_string(saved.ids.size()) +
                           " saved networks named '" + shown + "', and cups-wps does not guess which to hand on.",
                       "LIST_NETWORKS: ids " + Joined(saved.ids));
  }
  network_id_ = saved.ids.front();
  CheckKeyMgmt(want, "saved network '" + shown + "'");
}

void SupplicantExternalRegistrar::NotSaved(const Saved& saved, const std::string& elsewhere) {
  const std::string shown = text::Clean(options_.network, 32 * 4);
  Unavailable(ErrorCode::kWpsNoRouterWps,
              "wpa_supplicant at " + path_ + " has no saved network '" + shown + "'" +
                  (saved.others.empty() ? std::string() : " (it has " + Joined(saved.others) + ")") +
                  (elsewhere.empty() ? std::string() : ", " + elsewhere) +
                  ", so cups-wps has no such network to hand to the printer. Give the router's AP PIN "
                  "(--router-pin) or press the router's own button.",
              "LIST_NETWORKS: no " + shown);
}

// The network saved elsewhere, in wpa_supplicant for this run: disabled
// (ADD_NETWORK makes it so), so that wpa_supplicant never joins it by
// itself, and removed at Disarm. Its key goes only over the control socket.
void SupplicantExternalRegistrar::AddNetwork(std::shared_ptr<SavedNetwork> network) {
  Send("ADD_NETWORK", [this, network](const Result<std::string>& r) {
    const bool added = r.ok() && !r.value().empty() && r.value().size() <= 6 &&
                       r.value().find_first_not_of("0123456789") == std::string::npos;
    if (added && disarming_) {
      // Disarm came first and found nothing to remove: the network goes at
      // once (sent now, whatever happens to this registrar next).
      return Send("REMOVE_NETWORK " + r.value(), [](const Result<std::string>&) {});
    }
    if (disarming_) return;
    if (!added) return Refused("ADD_NETWORK", r);
    added_network_ = r.value();
    SetNetwork(network, added_network_, 0);
  });
}

// Step by step, each after the last was answered OK. `id` is the added
// network's own (never another's: Disarm clears added_network_).
void SupplicantExternalRegistrar::SetNetwork(std::shared_ptr<SavedNetwork> network, const std::string& id, int step) {
  if (disarming_ || id.empty()) return;
  const std::string set = "SET_NETWORK " + id + " ";
  SecretString command;
  std::string shown;
  switch (step) {
    case 0:  // unquoted: hex, the SSID's bytes as they are
      command.str() = set + "ssid " + text::Hex(options_.network);
      break;
    case 1:
      command.str() = set + "key_mgmt WPA-PSK";
      break;
    case 2:
      command.str() = set + "disabled 1";
      break;
    case 3:  // a passphrase (8 to 63 printable ASCII): quoted
      command.str().append(set).append("psk \"").append(network->passphrase.str()).append("\"");
      shown = set + "psk (the key)";
      break;
    default:
      network_id_ = id;
      log::Debug("--network: " + network->name + " is network " + id + " of wpa_supplicant's for this run");
      return StartEr();
  }
  if (shown.empty()) shown = command.str();
  socket_->Request(std::move(command), shown, [this, network, id, step](const Result<std::string>& r) {
    if (disarming_) return;
    if (!r.ok() || r.value() != "OK") return Refused("SET_NETWORK", r);
    SetNetwork(network, id, step + 1);
  });
}

void SupplicantExternalRegistrar::CheckNetworkServed() {
  const std::string ifname = Ifname();
  const std::string shown = text::Clean(options_.network, 32 * 4);
  if (!options_.is_radio(ifname)) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "cups-wps cannot see from " + ifname + " (not a radio) whether the router serves '" + shown +
                           "', so it does not hand that network to the printer.",
                       ifname + ": no wireless");
  }
  Event scanning;
  scanning.kind = EventKind::kRouterNetworkScan;
  scanning.network.ssid = shown;
  Emit(std::move(scanning));
  SupplicantApScan::Options options;
  options.reply_timeout = options_.reply_timeout;
  options.enough = [this](const std::vector<AccessPoint>& seen) {
    return std::any_of(seen.begin(), seen.end(), [&](const AccessPoint& ap) {
      return ap.ssid_bytes == options_.network && ap.uuid == router_uuid_ && IsTwoPointFourGigahertz(ap);
    });
  };
  network_scan_ = std::make_unique<SupplicantApScan>(context_, path_, std::move(options));
  network_scan_->Find([this](Result<std::vector<AccessPoint>> seen) { OnNetworkScan(std::move(seen)); });
}

void SupplicantExternalRegistrar::OnNetworkScan(Result<std::vector<AccessPoint>> seen) {
  if (disarming_) return;
  const std::string shown = text::Clean(options_.network, 32 * 4);
  if (!seen) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "cups-wps could not scan for the router's network '" + shown + "': " + seen.error().message,
                       seen.error().detail);
  }
  std::vector<std::string> elsewhere;
  for (const AccessPoint& ap : seen.value()) {
    if (ap.ssid_bytes != options_.network) continue;
    const bool ours = ap.uuid == router_uuid_;
    if (ours && IsTwoPointFourGigahertz(ap)) {
      Event served;
      served.kind = EventKind::kRouterSettings;
      served.name = "--network";
      served.network.ssid = shown;
      served.network.auth_types = {"'" + shown + "' (its 2.4 GHz network at " + ap.bssid + ")"};
      Emit(std::move(served));
      network_checked_ = true;
      return SetConfig();
    }
    elsewhere.push_back(ap.bssid + (ours ? " at " + std::to_string(ap.freq_mhz) + " MHz"
                                         : " from another device" + (ap.uuid.empty() ? std::string()
                                                                                     : " (" + ap.uuid + ")")));
  }
  Unavailable(ErrorCode::kWpsNoRouterWps,
              "The router does not serve '" + shown + "' at 2.4 GHz within range of this computer" +
                  (elsewhere.empty() ? std::string(" (no access point of that name with WPS answered)")
                                     : " (seen: " + Joined(elsewhere) + ")") +
                  ", so cups-wps does not hand it to the printer.",
              "scan: router " + router_uuid_);
}

}  // namespace cupswps::wps
