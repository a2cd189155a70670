// SPDX-License-Identifier: Apache-2.0
// Which Wi-Fi daemon `pair` and `setup` talk to: parsing what the user names
// (--registrar hostapd:PATH, --enrollee wpa_supplicant:IFACE, --router with
// --er wpa_supplicant:PATH), and, when the user names none, choosing the
// mode: registrar when this host runs hostapd (it is the access point),
// otherwise router mode (the home router is the access point and this host
// one of its stations), with wpa_supplicant's External Registrar when this
// host has one control socket for it. An enrollee run, which takes this
// host's Wi-Fi off its own network, is never chosen by itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "wps/driver.h"

namespace cupswps::wps {

struct DaemonChoice {
  Side side = Side::kRegistrar;
  std::string daemon;  // "hostapd" or "wpa_supplicant"; "" in router mode without an External Registrar
  // registrar: control socket path; enrollee: interface name; router: the
  // External Registrar's control socket, or "" (the person presses the router's button)
  std::string target;
  std::string reason;  // how it was chosen, for the user ("" when named)
  bool router = false;  // router mode (side is kRegistrar: the router registers the printer)
};

// "hostapd:/run/hostapd/wlan0", "wpa_supplicant:/run/wpa_supplicant/wlan0"
// (an access point run by wpa_supplicant), or a bare path. Pure.
Result<DaemonChoice> ParseRegistrarSpec(std::string_view spec);
// "wpa_supplicant:wlan0" or a bare interface name. Pure.
Result<DaemonChoice> ParseEnrolleeSpec(std::string_view spec);
// --er: "wpa_supplicant:/run/wpa_supplicant/wlan0" or a bare path. Pure.
Result<DaemonChoice> ParseExternalRegistrarSpec(std::string_view spec);

// The control sockets in `dir` (hostapd's, one per interface), sorted.
std::vector<std::string> ControlSockets(const std::string& dir);

// Router mode: the External Registrar in `supplicant_dir` (its only control
// socket), or none. An Error (kInvalidArgument) when there are several.
Result<DaemonChoice> PickRouter(const std::string& supplicant_dir);

// With no daemon named: the only hostapd socket in `hostapd_dir` (registrar),
// else router mode (PickRouter). An Error (kInvalidArgument) says what to
// name when there are several to choose from.
Result<DaemonChoice> PickDaemon(const std::string& hostapd_dir, const std::string& supplicant_dir);

}  // namespace cupswps::wps
