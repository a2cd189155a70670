// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation and cleaning; see text.h.
#include "common/text.h"

#include <cstdint>

namespace cupswps::text {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid.
std::size_t SeqLen(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  std::size_t len;
  char32_t v;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2; v = b0 & 0x1F; min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3; v = b0 & 0x0F; min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4; v = b0 & 0x07; min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

bool IsControl(char32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }

// Unicode's format characters (general category Cf, Unicode 15.1): bidi
// embeddings, overrides and isolates, zero-width space and joiners, the soft
// hyphen, the BOM, invisible operators, tags. They render as nothing, or
// reorder what follows them.
constexpr struct {
  char32_t first, last;
} kFormatRanges[] = {
    {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
    {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},   {0x200B, 0x200F},   {0x202A, 0x202E},
    {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F},
};

}  // namespace

bool IsFormatCharacter(char32_t cp) {
  for (const auto& r : kFormatRanges) {
    if (cp < r.first) return false;  // the ranges are sorted
    if (cp <= r.last) return true;
  }
  return false;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const std::size_t n = SeqLen(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool HasControl(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const std::size_t n = SeqLen(s, i, &cp);
    if (n == 0) {
      ++i;
      continue;
    }
    if (IsControl(cp)) return true;
    i += n;
  }
  return false;
}

std::string Clean(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(s.size() < max_bytes ? s.size() : max_bytes);
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    std::size_t n = SeqLen(s, i, &cp);
    if (n != 0 && IsFormatCharacter(cp)) {  // dropped without a trace, not a word break
      i += n;
      continue;
    }
    const bool bad = n == 0 || IsControl(cp) || cp == ' ';
    if (n == 0) n = 1;
    if (bad) {
      pending_space = !out.empty();
      i += n;
      continue;
    }
    const std::size_t need = n + (pending_space ? 1 : 0);
    if (out.size() + need > max_bytes) break;
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Ellipsize(std::string_view s, std::size_t max_points) {
  if (CodePoints(s) <= max_points) return std::string(s);
  if (max_points == 0) return {};
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++points == max_points) break;
    out.push_back(s[i]);
  }
  out.append("\xE2\x80\xA6");  // …
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace cupswps::text
