// SPDX-License-Identifier: Apache-2.0
// wps:// URIs; see wps_uri.h.
#include "discovery/wps_uri.h"

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::discovery {
namespace {

constexpr std::string_view kPrefix = "wps://";
constexpr std::size_t kMaxUriBytes = 1024;

}  // namespace

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = text::HexValue(s[i + 1]);
    const int lo = text::HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string FormatWpsUri(const Printer& printer) {
  if (!printer.uuid.empty()) return std::string(kPrefix) + "uuid/" + printer.uuid;
  return std::string(kPrefix) + "name/" + PercentEncode(printer.name);
}

bool NamesPrinter(const WpsUri& uri, const Printer& printer) {
  return uri.uuid.empty() ? !uri.name.empty() && printer.name == uri.name : printer.uuid == uri.uuid;
}

std::optional<WpsUri> ParseWpsUri(std::string_view uri) {
  if (uri.size() > kMaxUriBytes || uri.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  uri.remove_prefix(kPrefix.size());
  const std::size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view kind = uri.substr(0, slash);
  std::string_view rest = uri.substr(slash + 1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  WpsUri out;
  if (kind == "uuid") {
    out.uuid = NormalizeUuid(rest);
    if (out.uuid.empty()) return std::nullopt;
    return out;
  }
  if (kind == "name") {
    auto decoded = PercentDecode(rest);
    if (!decoded || decoded->empty() || !text::IsValidUtf8(*decoded) || text::HasControl(*decoded)) {
      return std::nullopt;
    }
    out.name = std::move(*decoded);
    return out;
  }
  return std::nullopt;
}

}  // namespace cupswps::discovery
