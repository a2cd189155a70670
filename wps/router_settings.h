// SPDX-License-Identifier: Apache-2.0
// The router's own network, as wpa_supplicant's External Registrar learnt
// it with the router's AP PIN (WPS_ER_LEARN <uuid> <AP PIN>):
//
//   WPS-ER-AP-SETTINGS uuid=<uuid> ssid=<ssid> auth_type=0x%04x
//     encr_type=0x%04x key=<key>
//
// wpa_supplicant keeps those settings for that router and hands them to the
// printer it relays next (wps_er.c: the station's use_cred), instead of this
// host's network. The line carries the network's key in the clear: only its
// length and form are read here, and nothing of it is kept. The line comes
// from the router: every field is checked, and the SSID is cleaned for display.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cupswps::wps {

struct RouterSettings {
  std::string uuid;  // lower case, as NormalizeUuid
  std::string ssid;  // cleaned for display; "" when the router gave none
  unsigned auth_type = 0;  // WSC Authentication Type bits (0x0020: WPA2-Personal)
  unsigned encr_type = 0;  // WSC Encryption Type bits (0x0008: AES)
  std::size_t key_length = 0;
  bool key_hex = false;  // 64 hex digits: a PSK in the form WPS carries
};

// One WPS-ER-AP-SETTINGS line (with or without the "<3>" level); nullopt
// for any other line or one that does not parse.
std::optional<RouterSettings> ParseRouterSettings(std::string_view line);

// Why a printer must not be given these settings, as the end of a sentence
// ("its network is open"), or "" when it may: WPA or WPA2 personal, AES or
// TKIP, a passphrase of 8 to 63 characters or 64 hex digits, an SSID.
std::string WhyUnusable(const RouterSettings& settings);

// "'lab-router' (WPA2, AES)", for the line that says what the printer gets.
std::string DescribeSettings(const RouterSettings& settings);

}  // namespace cupswps::wps
