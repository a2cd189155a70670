// SPDX-License-Identifier: Apache-2.0
// Parsers for wpa_supplicant's D-Bus WPS signals
// (fi.w1.wpa_supplicant1.Interface.WPS.Event and .Credentials). Pure: a
// GVariant in, an Event out. The values come from the other side of the
// exchange: every field is type-checked and cleaned. The network key is
// copied only into the event's ReceivedNetwork (a wiped buffer).
#pragma once

#include <glib.h>

#include "wps/event.h"

namespace cupswps::wps {

// Event(s name, a{sv} args): "success", "fail" {msg, config_error,
// error_indication}, "m2d" {dev_name, primary_dev_type, config_error, ...},
// "pbc-overlap". `args` may be null; unknown names become kOther.
Event ParseSupplicantEvent(const char* name, GVariant* args);

// Credentials(a{sv}): {BSSID ay, SSID ay, AuthType as, EncrType as, Key ay,
// KeyIndex u}. A dictionary without an SSID still yields kCredentials. A key
// longer than 64 bytes (no PSK is) is not kept: `received` then has none.
Event ParseCredentials(GVariant* dict);

}  // namespace cupswps::wps
