// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: wpa_supplicant's SCAN_RESULTS and BSS answers, whose
// SSIDs, WPS IE fields and raw elements (ie=) come from the air. Checks what the parsers promise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ids.h"
#include "common/text.h"
#include "wps/supplicant_ap_scan.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::string& bssid : wps::WpsBssids(text)) {
    if (bssid != NormalizeMac(bssid)) __builtin_trap();
  }
  const wps::AccessPoint ap = wps::ParseBss(text);
  if (!ap.bssid.empty() && ap.bssid != NormalizeMac(ap.bssid)) __builtin_trap();
  // The UUID-E of the access point's WPS element (wps_ie.h): canonical or none.
  if (!ap.uuid.empty() && ap.uuid != NormalizeUuid(ap.uuid)) __builtin_trap();
  if (ap.freq_mhz < 0) __builtin_trap();
  if (ap.ssid_bytes.size() > 32) __builtin_trap();  // an SSID's bytes, escapes undone
  for (const std::string* s : {&ap.ssid, &ap.name}) {
    if (!text::IsValidUtf8(*s) || text::HasControl(*s) || s->size() > 128) __builtin_trap();
  }
  wps::Describe(ap);
  return 0;
}
