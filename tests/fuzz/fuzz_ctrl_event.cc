// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: control-socket datagrams from hostapd/wpa_supplicant,
// whose device names come from the air. Checks what the parser promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/text.h"
#include "wps/ctrl_event.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  wps::IsCtrlEvent(line);
  const wps::Event e = wps::ParseCtrlEvent(line);
  if (!e.device.mac.empty() && e.device.mac != NormalizeMac(e.device.mac)) __builtin_trap();
  if (!e.device.uuid.empty() && e.device.uuid != NormalizeUuid(e.device.uuid)) __builtin_trap();
  if (!text::IsValidUtf8(e.device.name) || text::HasControl(e.device.name) || e.device.name.size() > 64) {
    __builtin_trap();
  }
  wps::Describe(e);
  return 0;
}
