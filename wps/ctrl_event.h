// SPDX-License-Identifier: Apache-2.0
// Parser for the event lines of hostapd's (and wpa_supplicant's) control
// socket, e.g. "<3>WPS-REG-SUCCESS 02:00:00:00:0a:01 2222...". Pure. The lines
// carry data from the air (device names from probe requests): every field is
// validated, and a line that does not parse becomes EventKind::kOther.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wps/event.h"

namespace cupswps::wps {

// True when a datagram from the control socket is an unsolicited event
// ("<N>..." or "IFNAME=... <N>...") rather than the reply to a command.
bool IsCtrlEvent(std::string_view datagram);

// The category of a WSC primary device type ("3-0050F204-1" -> 3), or 0.
int DeviceCategory(std::string_view device_type);

// The bytes of text wpa_supplicant escaped for its control socket
// (printf_encode: SSIDs in STATUS, LIST_NETWORKS, BSS): \\ \" \n \r \t \e,
// \xNN and octal \NNN; anything else is kept as it is. At most `max_bytes`
// bytes; nullopt when the text decodes to more (no SSID has over 32).
std::optional<std::string> DecodeSupplicantText(std::string_view text, std::size_t max_bytes = 32);

// One event line, with or without its "<N>" priority prefix.
Event ParseCtrlEvent(std::string_view line);

}  // namespace cupswps::wps
