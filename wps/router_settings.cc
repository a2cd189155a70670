// SPDX-License-Identifier: Apache-2.0
// See router_settings.h.
#include "wps/router_settings.h"

#include <cctype>

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::wps {
namespace {

constexpr std::string_view kName = "WPS-ER-AP-SETTINGS ";
constexpr unsigned kAuthWpaPsk = 0x0002, kAuthWpa2Psk = 0x0020;
constexpr unsigned kEncrTkip = 0x0004, kEncrAes = 0x0008;

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// "0x%04x" at `s`: its value, or nullopt.
std::optional<unsigned> Hex4(std::string_view s) {
  if (s.size() < 6 || s.substr(0, 2) != "0x" || !IsHex(s.substr(2, 4))) return std::nullopt;
  return static_cast<unsigned>(std::stoul(std::string(s.substr(2, 4)), nullptr, 16));
}

}  // namespace

std::optional<RouterSettings> ParseRouterSettings(std::string_view line) {
  if (line.size() > 3 && line[0] == '<' && line[2] == '>') line.remove_prefix(3);
  if (line.substr(0, kName.size()) != kName) return std::nullopt;
  line.remove_prefix(kName.size());
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 5) != "uuid=") return std::nullopt;
  const std::size_t ssid_at = line.find(" ssid=");
  if (ssid_at == std::string_view::npos) return std::nullopt;
  RouterSettings s;
  s.uuid = NormalizeUuid(line.substr(5, ssid_at - 5));
  if (s.uuid.empty()) return std::nullopt;
  // The SSID (at most 32 bytes, printable or escaped) cannot hold the
  // 39 characters of " auth_type=0x.... encr_type=0x.... key=": the first
  // place they stand is theirs. The key after them may hold anything.
  const std::string_view rest = line.substr(ssid_at + 6);
  for (std::size_t at = rest.find(" auth_type="); at != std::string_view::npos;
       at = rest.find(" auth_type=", at + 1)) {
    const std::string_view tail = rest.substr(at);
    // " auth_type=0x0020 encr_type=0x0008 key="
    if (tail.size() < 39 || tail.substr(17, 11) != " encr_type=" || tail.substr(34, 5) != " key=") continue;
    const auto auth = Hex4(tail.substr(11, 6));
    const auto encr = Hex4(tail.substr(28, 6));
    if (!auth || !encr) continue;
    s.ssid = text::Clean(rest.substr(0, at), 32 * 4);
    s.auth_type = *auth;
    s.encr_type = *encr;
    const std::string_view key = tail.substr(39);
    s.key_length = key.size();
    s.key_hex = key.size() == 64 && IsHex(key);
    return s;
  }
  return std::nullopt;
}

std::string WhyUnusable(const RouterSettings& s) {
  if (s.ssid.empty()) return "it gave no network name (a router not set up yet)";
  if ((s.auth_type & (kAuthWpaPsk | kAuthWpa2Psk)) == 0) {
    return (s.auth_type & 0x0001) != 0 || s.auth_type == 0 ? "its network is open"
                                                           : "its network is not WPA or WPA2 personal";
  }
  if ((s.encr_type & (kEncrAes | kEncrTkip)) == 0) return "its network's encryption is neither AES nor TKIP";
  if (s.key_hex) return "";
  if (s.key_length < 8 || s.key_length > 63) return "it gave no key a printer could use";
  return "";
}

std::string DescribeSettings(const RouterSettings& s) {
  const std::string auth = (s.auth_type & kAuthWpa2Psk) != 0 ? "WPA2" : "WPA";
  const std::string encr = (s.encr_type & kEncrAes) != 0 ? "AES" : "TKIP";
  return "'" + s.ssid + "' (" + auth + ", " + encr + ")";
}

}  // namespace cupswps::wps
