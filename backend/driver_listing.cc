// SPDX-License-Identifier: Apache-2.0
// The cups-wps driver's PPD names and listing lines; see driver_listing.h.
#include "backend/driver_listing.h"

#include <vector>

#include "backend/report.h"
#include "common/text.h"

namespace cupswps::backend {
namespace {

constexpr std::string_view kWpsPrefix = "wps://";
constexpr std::string_view kUnknown = "Unknown";

// At most `max_bytes` of `s`, cut on a UTF-8 character boundary.
std::string_view CutOnCharacter(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// One quoted field's text: no '"', control characters and runs of spaces as
// one space (text::Clean), at most `max_bytes`.
std::string Field(std::string_view s, std::size_t max_bytes) {
  std::string unquoted;
  unquoted.reserve(s.size());
  for (const char c : s) {
    if (c != '"') unquoted.push_back(c);
  }
  return text::Clean(unquoted, max_bytes);
}

std::string FieldOr(std::string_view s, std::size_t max_bytes, std::string_view fallback) {
  std::string f = Field(s, max_bytes);
  return f.empty() ? std::string(fallback) : f;
}

// "cups-wps Make Model [label]" within `budget` bytes (label: PrinterLabel).
// system-config-printer reads "cups-wps" as this entry's make
// (ppdMakeModelSplit), so its matching by the printer's own make and model
// never offers a cups-wps PPD for another device (a twin, an ipps row); the
// device ID (MDL with the same label) matches this printer's row only. The
// label is shortened first, then left out, then the make and model are.
std::string MakeModelAndLabel(const discovery::Printer& printer, std::size_t budget) {
  constexpr std::string_view kPrefix = "cups-wps ";
  const std::string make_model = FieldOr(printer.info.make_and_model, budget - kPrefix.size(), kUnknown);
  const std::size_t around = kPrefix.size() + make_model.size() + 3;  // " [" and "]"
  std::string out = std::string(kPrefix) + make_model;
  if (around >= budget) return out;
  const std::string label = Field(PrinterLabel(printer), budget - around);
  return label.empty() ? out : out + " [" + label + "]";
}

// The device ID as the backend reports it when that is already a safe field
// (the usual case: identical, byte for byte), else a cleaned copy.
std::string DeviceIdField(const discovery::Printer& printer) {
  const std::string id = FitDeviceId(DeviceId(printer), kMaxDeviceIdBytes);
  if (id.find('"') == std::string::npos && text::IsValidUtf8(id) && !text::HasControl(id)) return id;
  return Field(id, kMaxDeviceIdBytes);
}

void AppendQuoted(std::string& line, std::string_view field) {
  line.append(" \"").append(field).push_back('"');
}

}  // namespace

std::string DriverPpdName(const discovery::Printer& printer) {
  const std::string uri = discovery::FormatWpsUri(printer);  // "wps://uuid/..." or "wps://name/..."
  std::string name = std::string(kDriverScheme) + uri.substr(kWpsPrefix.size());
  return name.size() <= kMaxPpdNameBytes ? name : std::string();
}

std::optional<discovery::WpsUri> ParseDriverPpdName(std::string_view ppd_name) {
  if (ppd_name.size() > kMaxPpdNameBytes || ppd_name.substr(0, kDriverScheme.size()) != kDriverScheme) {
    return std::nullopt;
  }
  const std::string_view rest = ppd_name.substr(kDriverScheme.size());
  auto parsed = discovery::ParseWpsUri(std::string(kWpsPrefix) + std::string(rest));
  if (!parsed) return std::nullopt;
  // Only the one spelling DriverPpdName produces: no upper case, no other
  // escapes, no trailing slash.
  const std::string canonical =
      parsed->uuid.empty() ? "name/" + discovery::PercentEncode(parsed->name) : "uuid/" + parsed->uuid;
  if (canonical != rest) return std::nullopt;
  return parsed;
}

std::string FitDeviceId(std::string_view device_id, std::size_t max_bytes) {
  if (device_id.size() <= max_bytes) return std::string(device_id);
  std::vector<std::string_view> fields;  // each with its ';'
  for (std::size_t start = 0; start < device_id.size();) {
    std::size_t end = device_id.find(';', start);
    end = end == std::string_view::npos ? device_id.size() : end + 1;
    fields.push_back(device_id.substr(start, end - start));
    start = end;
  }
  std::size_t size = device_id.size();
  while (size > max_bytes && fields.size() > 2) {
    size -= fields.back().size();
    fields.pop_back();
  }
  std::string out;
  for (const std::string_view f : fields) out.append(f);
  if (out.size() <= max_bytes) return out;
  if (max_bytes == 0) return {};
  std::string cut(CutOnCharacter(out, max_bytes - 1));
  if (!cut.empty() && cut.back() != ';') cut.push_back(';');
  return cut;
}

std::string DriverListLine(const discovery::Printer& printer, std::string_view version) {
  const std::string ppd_name = DriverPpdName(printer);
  if (ppd_name.empty()) return {};
  const std::string suffix = ", driverless " + Field(version, 32);
  const std::string device_id = DeviceIdField(printer);

  std::string line = "\"" + ppd_name + "\" en";
  AppendQuoted(line, FieldOr(printer.info.manufacturer, kMaxMakeBytes, kUnknown));
  AppendQuoted(line, MakeModelAndLabel(printer, kMaxMakeAndModelBytes - suffix.size()) + suffix);
  // cups-driverd's sscanf stops at an empty field, so an empty ID would
  // also lose the product: leave both out then.
  if (!device_id.empty()) {
    AppendQuoted(line, device_id);
    AppendQuoted(line, "(" + FieldOr(printer.info.model, kMaxProductBytes - 2, kUnknown) + ")");
  }
  line.push_back('\n');
  return line;
}

}  // namespace cupswps::backend
