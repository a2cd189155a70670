// SPDX-License-Identifier: Apache-2.0
// The printer's network, as received by an enrollee run, in the words of the
// daemon that joins it: a NetworkManager connection profile with the options
// of AddAndActivateConnection2, or the arguments of wpa_supplicant's
// AddNetwork. Pure: ReceivedNetwork in, GVariants out.
//
// The key goes only into the returned variant, from a buffer of its own that
// is wiped when the variant is freed (GDBus's message buffers, which we
// cannot reach, hold it once more while the call is sent).
#pragma once

#include <glib.h>

#include <string>

#include "common/result.h"
#include "wps/dbus_caller.h"
#include "wps/event.h"

namespace cupswps::wps {

struct ProfileOptions {
  std::string ifname;  // the interface the profile is for
  std::string bssid;   // --bssid: the printer's access point; "" to use the received one, if any
  bool keep = false;   // --keep-network: saved on disk and not tied to this process
};

// Which kind of network it is. Only open and WPA/WPA2 personal networks can
// be joined; anything else (WEP, 802.1X, an unusable key) is an Error
// (kRefused) with one sentence.
enum class Security { kOpen, kPsk };
Result<Security> SecurityOf(const ReceivedNetwork& network);

// a{sa{sv}} for AddAndActivateConnection2: connection (id, type, autoconnect
// false, interface-name), 802-11-wireless (ssid, mode infrastructure, bssid
// when known), 802-11-wireless-security (key-mgmt wpa-psk, psk) for a PSK
// network, ipv4 (auto, never-default, ignore-auto-dns), ipv6 (link-local,
// never-default): never the host's default route, never its DNS.
Result<VariantPtr> NetworkManagerSettings(const ReceivedNetwork& network, const ProfileOptions& options);

// a{sv}: persist=volatile (gone when deactivated, never on disk) and
// bind-activation=dbus-client (deactivated when this process goes); with
// `keep`, persist=disk and bind-activation=none.
VariantPtr NetworkManagerOptions(bool keep);

// a{sv} for wpa_supplicant's AddNetwork: ssid (bytes), key_mgmt (WPA-PSK or
// NONE), psk (a passphrase as a string, which wpa_supplicant quotes; a
// 64-digit PSK as 32 bytes), bssid when known.
Result<VariantPtr> SupplicantNetworkArgs(const ReceivedNetwork& network, const ProfileOptions& options);

}  // namespace cupswps::wps
