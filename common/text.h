// SPDX-License-Identifier: Apache-2.0
// Pure helpers for untrusted text: UTF-8 validation and cleaning. No I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cupswps::text {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// True when `s` has a C0 control character, DEL, or a C1 control (U+0080..U+009F).
bool HasControl(std::string_view s);

// True for a Unicode format character (category Cf): bidi overrides and
// isolates (U+202A..U+202E, U+2066..U+2069), zero-width characters
// (U+200B..U+200D, U+2060, U+FEFF), the soft hyphen, tags, and the others.
bool IsFormatCharacter(char32_t cp);

// A printable copy of untrusted text: invalid UTF-8 bytes, control
// characters and spaces act as word separators (runs become one space),
// format characters are removed (so that "Nice Jet" + U+202E + "gpj.exe"
// cannot show itself as "Nice Jetexe.jpg"), leading/trailing space is
// trimmed, and the result is cut at `max_bytes` on a character boundary.
std::string Clean(std::string_view s, std::size_t max_bytes);

// Number of code points (for column widths; assumes valid UTF-8).
std::size_t CodePoints(std::string_view s);

// At most `max_points` code points of `s`, with "…" when cut.
std::string Ellipsize(std::string_view s, std::size_t max_points);

// 0 to 15 for a hexadecimal digit, else -1.
int HexValue(char c);
// Each byte of `bytes` as two lower-case hexadecimal digits.
std::string Hex(std::string_view bytes);

// ASCII lower case.
std::string AsciiLower(std::string_view s);

}  // namespace cupswps::text
