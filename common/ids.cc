// SPDX-License-Identifier: Apache-2.0
// Canonical identifiers; see ids.h.
#include "common/ids.h"

#include "common/text.h"

namespace cupswps {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// True when `s` has hex digits where `pattern` has 'x' and the same character elsewhere.
bool Matches(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == 'x' ? !IsHex(s[i]) : s[i] != pattern[i]) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeUuid(std::string_view s) {
  if (s.size() >= 9 && text::AsciiLower(s.substr(0, 9)) == "urn:uuid:") s.remove_prefix(9);
  if (!Matches(s, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")) return {};
  std::string out = text::AsciiLower(s);
  if (out == "00000000-0000-0000-0000-000000000000") return {};
  return out;
}

std::string NormalizeMac(std::string_view s) {
  return Matches(s, "xx:xx:xx:xx:xx:xx") ? text::AsciiLower(s) : std::string();
}

}  // namespace cupswps
