// SPDX-License-Identifier: Apache-2.0
// See wps_ie.h.
#include "wps/wps_ie.h"

#include <cstdint>
#include <vector>

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::wps {
namespace {

constexpr std::size_t kMaxIeBytes = 4096;  // a frame's elements fit in far less
constexpr std::uint16_t kAttrUuidE = 0x1047;

bool FromHex(std::string_view hex, std::vector<std::uint8_t>& out) {
  if (hex.size() % 2 != 0 || hex.size() / 2 > kMaxIeBytes) return false;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = text::HexValue(hex[i]), lo = text::HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return true;
}

std::string UuidText(const std::uint8_t* b) {
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += text::Hex(std::string_view(reinterpret_cast<const char*>(b + i), 1));
  }
  return s;
}

}  // namespace

std::string WpsUuidFromIes(std::string_view ie_hex) {
  std::vector<std::uint8_t> ies;
  if (!FromHex(ie_hex, ies)) return {};
  // The WPS vendor elements' payloads, joined.
  std::vector<std::uint8_t> wsc;
  for (std::size_t i = 0; i + 2 <= ies.size();) {
    const std::uint8_t id = ies[i], len = ies[i + 1];
    if (i + 2 + len > ies.size()) return {};
    const std::uint8_t* body = &ies[i + 2];
    if (id == 221 && len >= 4 && body[0] == 0x00 && body[1] == 0x50 && body[2] == 0xf2 && body[3] == 0x04) {
      wsc.insert(wsc.end(), body + 4, body + len);
    }
    i += 2 + static_cast<std::size_t>(len);
  }
  for (std::size_t i = 0; i + 4 <= wsc.size();) {
    const auto type = static_cast<std::uint16_t>(wsc[i] << 8 | wsc[i + 1]);
    const std::size_t len = static_cast<std::size_t>(wsc[i + 2] << 8 | wsc[i + 3]);
    if (i + 4 + len > wsc.size()) return {};
    if (type == kAttrUuidE) return len == 16 ? NormalizeUuid(UuidText(&wsc[i + 4])) : std::string();  // nil: none
    i += 4 + len;
  }
  return {};
}

}  // namespace cupswps::wps
