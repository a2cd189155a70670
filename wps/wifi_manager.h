// SPDX-License-Identifier: Apache-2.0
// Who manages a Wi-Fi interface of this host, decided before an enrollee run
// (this host joins the printer's own network) arms anything, and what the
// person is told about it. Pure: WifiManagerProbe (wifi_manager_probe.h)
// gathers the facts over D-Bus and from ifupdown's files.
//
//   1. NetworkManager, when it runs and has a managed device of that name:
//      the printer's network is handed to it (network_manager_handover.h);
//   2. iwd, when it has a device of that name: it has its own WPS but no way
//      to be handed a network, so the person joins with iwctl;
//   3. otherwise wpa_supplicant alone (supplicant_handover.h), and then
//      systemd-networkd, ifupdown or nothing gives the interface an address.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wps/driver.h"

namespace cupswps::wps {

enum class WifiManager { kNetworkManager, kIwd, kSupplicant };
// With wpa_supplicant alone: what gives the interface an address once it joined.
enum class AddressSource { kNone, kNetworkd, kIfupdown };

// What NetworkManager says of the interface.
struct NetworkManagerDevice {
  std::string path;     // its Device object
  bool managed = false;
  bool wifi = false;    // DeviceType 2 (NM_DEVICE_TYPE_WIFI)
  bool autoconnect = true;
  std::string active;             // its ActiveConnection, or ""
  std::string active_connection;  // that one's profile (Settings.Connection), or ""
  std::string active_id;          // that one's name ("Home"), or ""
  std::string version;            // NetworkManager's Version ("1.42.4")
};

struct ManagerFacts {
  std::string ifname;
  std::optional<NetworkManagerDevice> network_manager;  // NetworkManager runs and has a device of that name
  bool iwd = false;       // iwd runs and has a device of that name
  bool networkd = false;  // systemd-networkd manages the link
  bool ifupdown = false;  // /etc/network/interfaces configures it
};

WifiManager DecideManager(const ManagerFacts& facts);
AddressSource DecideAddressSource(const ManagerFacts& facts);  // meaningful for kSupplicant

// "networkmanager", "iwd", "wpa_supplicant"; "networkd", "ifupdown", "none" (JSON).
std::string_view ManagerName(WifiManager manager);
std::string_view AddressSourceName(AddressSource source);

// NetworkManager 1.16 brought AddAndActivateConnection2 with persist and
// bind-activation; older ones (or an unreadable version) are not driven.
bool NetworkManagerSupported(std::string_view version);

// The part of the first line that says who manages the interface: "NetworkManager
// manages wl0: ...", "iwd manages wl0", "wpa_supplicant alone manages wl0; ...".
std::string DescribeManagement(const ManagerFacts& facts);
// NetworkManager: this host's Wi-Fi leaves its network during the run (one
// radio). `keep`: it stays on the printer's network afterwards.
std::string NetworkManagerWarning(const ManagerFacts& facts, bool keep);
// Once the manager took the printer's network `ssid` (cleaned for display) on.
std::string JoiningLine(const ManagerFacts& facts, const std::string& ssid, bool keep);
// Once everything was put back (or, with `keep`, what stays).
std::string RestoredLine(const ManagerFacts& facts, bool keep);
// iwd: how the person joins the printer's network with iwctl; `setup_waits`:
// setup looks for the printer meanwhile (else: what to run afterwards).
std::string IwdInstruction(const std::string& ifname, Method method, bool setup_waits);
// wpa_supplicant alone with nothing to give the interface an address: why
// setup would never find the printer, and what to do instead.
std::string NoAddressProblem(const std::string& ifname);

// ifupdown (/etc/network/interfaces(5)): whether `text` has a stanza that
// gives `ifname` an address ("iface IFNAME inet dhcp|static|...", "inet6
// auto|dhcp|static...", or one that hands it to wpa_supplicant's roaming
// mode with wpa-roam); and the files it includes ("source PATTERN",
// "source-directory DIR"), for the reader to look at too.
bool IfupdownConfigures(std::string_view text, std::string_view ifname);
struct IfupdownIncludes {
  std::vector<std::string> patterns;     // source: glob patterns
  std::vector<std::string> directories;  // source-directory: run-parts style
};
IfupdownIncludes IfupdownSources(std::string_view text);

}  // namespace cupswps::wps
