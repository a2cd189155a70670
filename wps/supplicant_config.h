// SPDX-License-Identifier: Apache-2.0
// What wpa_supplicant's configuration file says about a network's key, and
// where that file is: the interface's ConfigFile on wpa_supplicant's D-Bus
// API (interfaces added over D-Bus, as the lab's), or the -c of the process
// that runs the interface (wpa_supplicant@IFACE.service, ifupdown's
// wpa-conf). Reads only; the file is root's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wps/network_key.h"

namespace cupswps::wps {

// The network={...} blocks whose ssid is `ssid` (quoted, or hex): kRawPsk
// when each has psk=<64 hex digits> unquoted, kPassphrase when each has a
// quoted psk, kUnknown otherwise (none, both, psk=ext:...).
KeyForm KeyFormInConfig(std::string_view config, std::string_view ssid);

// The -c of the interface group (-N starts a new one) that has -i `ifname`,
// in one wpa_supplicant's argv; "" when none.
std::string ConfigFileInArgv(const std::vector<std::string>& argv, std::string_view ifname);

// ConfigFileInArgv over every wpa_supplicant process in /proc; "" when none.
std::string ConfigFileOfRunningSupplicant(std::string_view ifname);

}  // namespace cupswps::wps
