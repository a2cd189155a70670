// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: WPS-ER-AP-SETTINGS, the router's own settings as
// wpa_supplicant's ER reports them (they came from the router over UPnP).
// Checks what the parser promises: a clean SSID, a normalized UUID, a key
// length within the line, and a sentence for whatever it says.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ids.h"
#include "common/text.h"
#include "wps/router_settings.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto s = wps::ParseRouterSettings(line);
  if (!s) return 0;
  if (s->uuid != NormalizeUuid(s->uuid) || s->uuid.empty()) __builtin_trap();
  if (!text::IsValidUtf8(s->ssid) || text::HasControl(s->ssid) || s->ssid.size() > 128) __builtin_trap();
  if (s->key_length > size || (s->key_hex && s->key_length != 64)) __builtin_trap();
  if (s->auth_type > 0xffff || s->encr_type > 0xffff) __builtin_trap();
  wps::WhyUnusable(*s);
  wps::DescribeSettings(*s);
  return 0;
}
