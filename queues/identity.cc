// SPDX-License-Identifier: Apache-2.0
// Identities and pin files; see identity.h.
#include "queues/identity.h"

#include <charconv>
#include <map>

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::queues {
namespace {

constexpr std::size_t kMaxPinFileBytes = 4096;
constexpr std::size_t kMaxNameBytes = 127;
constexpr std::size_t kMaxUriBytes = 1023;
constexpr std::string_view kKeyPinPrefix = "sha256/";

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// line 0: about the file as a whole.
Error Bad(int line, const std::string& what) {
  return Error{ErrorCode::kInvalidArgument,
               (line > 0 ? "pin file line " + std::to_string(line) : std::string("pin file")) + ": " + what, ""};
}

// A printer key as a wps:// URI gives it: a canonical UUID, or a name that
// text::Clean leaves as it is.
bool IsPrinterKey(std::string_view k) {
  if (k.substr(0, 5) == "uuid:") {
    const std::string uuid = NormalizeUuid(k.substr(5));
    return !uuid.empty() && uuid == k.substr(5);
  }
  if (k.substr(0, 5) == "name:") {
    const std::string_view name = k.substr(5);
    return !name.empty() && text::Clean(name, kMaxNameBytes) == name;
  }
  return false;
}

}  // namespace

std::string PrinterKeyOf(const discovery::WpsUri& uri) {
  return uri.uuid.empty() ? "name:" + uri.name : "uuid:" + uri.uuid;
}

bool IsKeyPin(std::string_view s) {
  if (s.size() != kKeyPinPrefix.size() + 44 || s.substr(0, kKeyPinPrefix.size()) != kKeyPinPrefix) return false;
  const std::string_view b64 = s.substr(kKeyPinPrefix.size());
  // 32 bytes: 42 characters, then one that carries only 4 bits, then '='.
  for (std::size_t i = 0; i < 43; ++i) {
    if (!IsBase64Char(b64[i])) return false;
  }
  return std::string_view("AEIMQUYcgkosw048").find(b64[42]) != std::string_view::npos && b64[43] == '=';
}

std::string_view IdentityWord(const PrinterIdentity& identity) { return identity.tls ? "tls" : "unverified"; }

std::string FormatPin(const Pin& pin) {
  std::string out =
      "# cups-wps: the identity of a printer, pinned by cups-wps add/setup/watch and cups-wps trust.\n"
      "# The wps backend sends a queue's jobs only to the printer that matches it. Do not edit.\n";
  out += "printer " + pin.printer + "\n";
  out += std::string("tls ") + (pin.identity.tls ? "yes" : "no") + "\n";
  if (pin.identity.tls) out += "key " + pin.identity.key_pin + "\n";
  if (!pin.name.empty()) out += "name " + pin.name + "\n";
  if (!pin.uri.empty()) out += "uri " + pin.uri + "\n";
  out += "pinned-at " + std::to_string(pin.pinned_at) + "\n";
  return out;
}

Result<Pin> ParsePin(std::string_view text) {
  if (text.size() > kMaxPinFileBytes) return Bad(0, "the file is larger than 4 KiB");
  if (!text::IsValidUtf8(text)) return Bad(0, "the file is not UTF-8");
  std::map<std::string, std::string, std::less<>> fields;
  int n = 0;
  while (!text.empty()) {
    ++n;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return Bad(n, "expected 'field value'");
    const std::string field(line.substr(0, sp));
    const std::string_view value = line.substr(sp + 1);
    if (text::HasControl(value)) return Bad(n, "'" + field + "' carries a control character");
    if (field != "printer" && field != "tls" && field != "key" && field != "name" && field != "uri" &&
        field != "pinned-at") {
      return Bad(n, "unknown field '" + text::Clean(field, 40) + "'");
    }
    if (!fields.emplace(field, value).second) return Bad(n, "'" + field + "' is repeated");
  }
  Pin pin;
  auto get = [&](std::string_view f) {
    const auto it = fields.find(f);
    return it == fields.end() ? std::string() : it->second;
  };
  pin.printer = get("printer");
  if (!IsPrinterKey(pin.printer)) return Bad(0, "'printer' must be uuid:<uuid> or name:<name>");
  const std::string tls = get("tls");
  if (tls != "yes" && tls != "no") return Bad(0, "'tls' must be yes or no");
  pin.identity.tls = tls == "yes";
  pin.identity.key_pin = get("key");
  if (pin.identity.tls != IsKeyPin(pin.identity.key_pin) || (!pin.identity.tls && fields.count("key") != 0)) {
    return Bad(0, "'key' (sha256/<base64 of 32 bytes>) goes with 'tls yes', and only with it");
  }
  pin.name = get("name");
  if (text::Clean(pin.name, kMaxNameBytes) != pin.name) return Bad(0, "'name' is not a clean printer name");
  pin.uri = get("uri");
  if (pin.uri.size() > kMaxUriBytes) return Bad(0, "'uri' is too long");
  const std::string at = get("pinned-at");
  const auto [end, ec] = std::from_chars(at.data(), at.data() + at.size(), pin.pinned_at);
  if (at.empty() || ec != std::errc() || end != at.data() + at.size() || pin.pinned_at < 0) {
    return Bad(0, "'pinned-at' must be a number of seconds");
  }
  return pin;
}

}  // namespace cupswps::queues
