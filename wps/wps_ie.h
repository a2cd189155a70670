// SPDX-License-Identifier: Apache-2.0
// What cups-wps reads of an access point's information elements as
// wpa_supplicant's BSS command gives them (ie=, beacon_ie=: hex digits): the
// UUID-E of its WPS element, which names the WPS device behind it. A router
// with several radios gives the same UUID on each, and the same over UPnP
// (WPS-ER-AP-ADD), so it tells which networks one router serves. It came
// over the air: any device can claim any UUID, so it only ever narrows a
// choice the person made.
#pragma once

#include <string>
#include <string_view>

namespace cupswps::wps {

// The UUID-E of the WPS vendor elements (221, 00:50:F2:04; their payloads
// joined, as the standard splits long ones) in `ie_hex`, lower case
// with dashes as wpa_supplicant writes UUIDs; "" when there is none, it is
// the nil UUID, or the elements are malformed.
std::string WpsUuidFromIes(std::string_view ie_hex);

}  // namespace cupswps::wps
