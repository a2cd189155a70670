// SPDX-License-Identifier: Apache-2.0
// The form of the key of the network this host is on, where wpa_supplicant
// does not show it (GET_NETWORK psk answers "*" for both): a passphrase, or
// a PSK given as 64 hex digits, which wpa_supplicant keeps as 32 raw bytes
// and WPS_ER_SET_CONFIG would hand a printer as its key, byte for byte
// (wpas_wps_network_to_cred): a key no printer can use. NetworkManager hands
// wpa_supplicant a 64-hex-digit psk the same way (as bytes).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace cupswps::wps {

enum class KeyForm { kUnknown, kPassphrase, kRawPsk };

// Finds the form of the key of `ssid` (as STATUS names it), which this host
// is on through interface `ifname`; `done` exactly once, on the caller's loop.
using KeyFormLookup =
    std::function<void(const std::string& ifname, const std::string& ssid, std::function<void(KeyForm)> done)>;

// 64 hex digits: a PSK, not a passphrase (those have 8 to 63 characters).
bool IsHexPsk(std::string_view key);

}  // namespace cupswps::wps
