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

// A printable copy of untrusted text: invalid UTF-8 bytes, control
// characters and spaces act as word separators (runs become one space),
// leading/trailing space is trimmed, and the result is cut at `max_bytes`
// on a character boundary.
std::string Clean(std::string_view s, std::size_t max_bytes);

// Number of code points (for column widths; assumes valid UTF-8).
std::size_t CodePoints(std::string_view s);

// At most `max_points` code points of `s`, with "…" when cut.
std::string Ellipsize(std::string_view s, std::size_t max_points);

// ASCII lower case.
std::string AsciiLower(std::string_view s);

}  // namespace cupswps::text
