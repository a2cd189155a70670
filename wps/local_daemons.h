// Which Wi-Fi daemon `pair` talks to: parsing what the user names
// (--registrar hostapd:PATH, --enrollee wpa_supplicant:IFACE), and, when the
// user names none, finding the one this host offers: a hostapd control
// socket (this host is an access point), else a wpa_supplicant interface on
// the system bus.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "wps/driver.h"

namespace cupswps::wps {

struct DaemonChoice {
  Side side = Side::kRegistrar;
  std::string daemon;  // "hostapd" or "wpa_supplicant"
  std::string target;  // registrar: control socket path; enrollee: interface name
  std::string reason;  // how it was found, for the user ("" when named)
};

// "hostapd:/run/hostapd/wlan0", "wpa_supplicant:/run/wpa_supplicant/wlan0"
// (an access point run by wpa_supplicant), or a bare path. Pure.
Result<DaemonChoice> ParseRegistrarSpec(std::string_view spec);
// "wpa_supplicant:wlan0" or a bare interface name. Pure.
Result<DaemonChoice> ParseEnrolleeSpec(std::string_view spec);

// The control sockets in `dir` (hostapd's, one per interface), sorted.
std::vector<std::string> ControlSockets(const std::string& dir);

// The interfaces wpa_supplicant manages, from the system bus (empty when it
// is not running).
std::vector<std::string> SupplicantInterfaces();

// The only hostapd socket in `hostapd_dir`, else the only wpa_supplicant
// interface; an Error (kWpsNoDaemon, or kInvalidArgument when there are
// several to choose from) says what to do.
Result<DaemonChoice> PickDaemon(const std::string& hostapd_dir);

}  // namespace cupswps::wps
