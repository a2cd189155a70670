// SPDX-License-Identifier: Apache-2.0
// Device-listing report; see report.h.
#include "backend/report.h"

#include <string_view>
#include <utility>

#include "common/text.h"
#include "discovery/wps_uri.h"

namespace cupswps::backend {
namespace {

std::string IdValue(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == ':' || c == ';' || c == '"' || c == '\\') continue;
    out.push_back(c);
  }
  return out;
}

// Device ID command-set names for the MIME types printers advertise.
std::string_view CommandSet(std::string_view mime) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"application/pdf", "PDF"},
      {"application/postscript", "POSTSCRIPT"},
      {"image/urf", "URF"},
      {"image/pwg-raster", "PWGRaster"},
      {"application/vnd.hp-pcl", "PCL"},
      {"application/pclm", "PCLM"},
      {"image/jpeg", "JPEG"},
  };
  for (const auto& [m, cmd] : kMap) {
    if (m.size() == mime.size()) {
      bool same = true;
      for (std::size_t i = 0; i < m.size() && same; ++i) {
        char c = mime[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        same = c == m[i];
      }
      if (same) return cmd;
    }
  }
  return {};
}

}  // namespace

std::string PrinterLabel(const discovery::Printer& printer) {
  std::string name;
  for (const char c : IdValue(printer.name)) {
    if (c != '[' && c != ']' && c != '(' && c != ')' && c != ',' && c != '/') name.push_back(c);
  }
  name = text::Clean(name, 64);
  const std::string uuid = printer.uuid.substr(0, 8);
  if (name.empty()) return uuid;
  return uuid.empty() ? name : name + " / " + uuid;
}

std::string DeviceId(const discovery::Printer& printer) {
  std::string id;
  // MFG and MDL always: system-config-printer matches drivers on them, and
  // the cups-wps driver lists this same ID for the printer's PPD.
  const std::string mfg = IdValue(printer.info.manufacturer);
  const std::string mdl = IdValue(printer.info.model);
  id += "MFG:" + (mfg.empty() ? std::string("Unknown") : mfg) + ";";
  const std::string label = PrinterLabel(printer);
  id += "MDL:" + (mdl.empty() ? std::string("Unknown") : mdl) + (label.empty() ? "" : " [" + label + "]") + ";";
  std::string cmd;
  for (const std::string& mime : printer.info.pdl) {
    const std::string_view c = CommandSet(mime);
    if (c.empty() || cmd.find(c) != std::string::npos) continue;
    if (!cmd.empty()) cmd += ",";
    cmd += c;
  }
  if (!cmd.empty()) id += "CMD:" + cmd + ";";
  // The serial number keeps two printers of one model apart in the dialogs
  // (system-config-printer's GroupPhysicalDevices reads wps://uuid/... as
  // host "uuid.local" for every printer).
  if (!printer.uuid.empty()) id += "SN:" + printer.uuid + ";";
  return id;
}

DeviceReport MakeDeviceReport(const discovery::Printer& printer) {
  DeviceReport r;
  r.uri = discovery::FormatWpsUri(printer);
  r.make_and_model = printer.info.make_and_model.empty() ? "Unknown" : printer.info.make_and_model;
  r.info = printer.name;
  r.device_id = DeviceId(printer);
  r.location = printer.info.location;
  return r;
}

}  // namespace cupswps::backend
