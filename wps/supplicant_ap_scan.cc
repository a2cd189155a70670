// SPDX-License-Identifier: Apache-2.0
// See supplicant_ap_scan.h.
#include "wps/supplicant_ap_scan.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <utility>

#include "common/ids.h"
#include "common/log.h"
#include "common/text.h"
#include "wps/ctrl_event.h"
#include "wps/event.h"
#include "wps/wps_ie.h"

namespace cupswps::wps {

std::vector<std::string> WpsBssids(std::string_view scan_results) {
  std::vector<std::string> out;
  std::istringstream in{std::string(scan_results)};
  std::string line;
  while (std::getline(in, line) && out.size() < 64) {
    // bssid / frequency / signal level / flags / ssid
    std::istringstream fields(line);
    std::string bssid, freq, level, flags;
    if (!std::getline(fields, bssid, '\t') || !std::getline(fields, freq, '\t') ||
        !std::getline(fields, level, '\t') || !std::getline(fields, flags, '\t')) {
      continue;
    }
    const std::string mac = NormalizeMac(bssid);
    if (mac.empty() || flags.find("[WPS") == std::string::npos) continue;
    out.push_back(mac);
  }
  return out;
}

AccessPoint ParseBss(std::string_view text) {
  AccessPoint ap;
  std::string beacon_uuid;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string_view value = std::string_view(line).substr(eq + 1);
    if (key == "bssid") ap.bssid = NormalizeMac(value);
    else if (key == "ssid") {
      ap.ssid = text::Clean(value, 32 * 4);
      ap.ssid_bytes = DecodeSupplicantText(value).value_or("");
    }
    else if (key == "wps_device_name") ap.name = CleanDeviceName(value);
    else if (key == "wps_primary_device_type") ap.category = DeviceCategory(value);
    else if (key == "wps_state") ap.configured = value == "configured";
    else if (key == "ie") ap.uuid = WpsUuidFromIes(value);
    else if (key == "beacon_ie") beacon_uuid = WpsUuidFromIes(value);
    else if ((key == "age" || key == "freq") && !value.empty() && value.size() <= 9 &&
             value.find_first_not_of("0123456789") == std::string_view::npos) {
      (key == "age" ? ap.age_s : ap.freq_mhz) = std::stoi(std::string(value));
    }
  }
  if (ap.uuid.empty()) ap.uuid = beacon_uuid;
  return ap;
}

bool IsRadio(std::string_view ifname) {
  if (ifname.empty() || ifname.find('/') != std::string_view::npos || ifname == "." || ifname == "..") return false;
  const std::string dir = "/sys/class/net/" + std::string(ifname);
  return access((dir + "/wireless").c_str(), F_OK) == 0 || access((dir + "/phy80211").c_str(), F_OK) == 0;
}

std::string Describe(const AccessPoint& ap) {
  return "'" + ap.ssid + "' (" + ap.bssid + (ap.name.empty() ? std::string() : ", " + ap.name) + ")";
}

namespace {

std::string Listed(std::vector<AccessPoint> aps) {
  std::sort(aps.begin(), aps.end(), [](const AccessPoint& a, const AccessPoint& b) { return a.bssid < b.bssid; });
  std::string list;
  for (const AccessPoint& ap : aps) list += (list.empty() ? "" : ", ") + Describe(ap);
  return list;
}

}  // namespace

Result<AccessPoint> ChoosePrinter(const std::vector<AccessPoint>& seen, std::string_view ifname) {
  std::vector<AccessPoint> printers;
  for (const AccessPoint& ap : seen) {
    if (ap.category == kDeviceCategoryPrinter) printers.push_back(ap);
  }
  if (printers.size() == 1) return printers.front();
  if (printers.empty()) {
    return Error{ErrorCode::kNotFound,
                 "No printer's own access point with WPS is in range of " + std::string(ifname) +
                     (seen.empty() ? std::string() : " (other access points with WPS: " + Listed(seen) + ")") +
                     ": put the printer in its Wi-Fi setup mode (its manual says how), or give its --bssid.",
                 std::to_string(seen.size()) + " access points with WPS, none of category 3"};
  }
  return Error{ErrorCode::kInvalidArgument,
               std::to_string(printers.size()) + " printers' access points are in range of " + std::string(ifname) +
                   " (" + Listed(printers) + "): choose one with --bssid.",
               ""};
}

SupplicantApScan::SupplicantApScan(GMainContext* context, std::string ctrl_path, Options options)
    : context_(context), path_(std::move(ctrl_path)), options_(options), poster_(context) {}

SupplicantApScan::~SupplicantApScan() = default;

void SupplicantApScan::Send(const std::string& command, CtrlSocket::ReplyFn then) {
  SecretString c;
  c.str() = command;
  socket_->Request(std::move(c), command, std::move(then));
}

void SupplicantApScan::Find(Done done) {
  done_ = std::move(done);
  auto opened = CtrlSocket::Open(context_, path_, CtrlSocket::Options{"wpa_supplicant", options_.reply_timeout},
                                 CtrlSocket::Callbacks{[this](std::string_view line) { OnLine(line); },
                                                       [this](const Error& e) { Finish(e); }});
  if (!opened) {
    poster_.Post([this, error = opened.error()] { Finish(error); });
    return;
  }
  socket_ = std::move(opened.value());
  Send("ATTACH", [this](const Result<std::string>& r) {
    if (!r.ok()) return Finish(r.error());
    RequestScan();
  });
}

void SupplicantApScan::RequestScan() {
  Send("SCAN", [this](const Result<std::string>& scan) {
    if (!scan.ok()) return Finish(scan.error());
    // FAIL-BUSY: a scan is under way (NetworkManager's): its results do.
    if (scan.value() != "OK" && scan.value() != "FAIL-BUSY") {
      return Finish(Error{ErrorCode::kWpsRefused, "wpa_supplicant at " + path_ + " would not scan.",
                          "SCAN answered \"" + scan.value().substr(0, 40) + "\""});
    }
  });
  limit_ = ScheduleOnce(context_, options_.scan_limit, [this] {
    Finish(Error{ErrorCode::kTimeout,
                 "wpa_supplicant at " + path_ + " did not finish a scan within " +
                     std::to_string(options_.scan_limit.count() / 1000) + " s.",
                 "no CTRL-EVENT-SCAN-RESULTS"});
  });
}

void SupplicantApScan::OnLine(std::string_view line) {
  if (reading_ || line.find("CTRL-EVENT-SCAN-RESULTS") == std::string_view::npos) return;
  ReadResults();
}

void SupplicantApScan::ReadResults() {
  reading_ = true;
  Send("SCAN_RESULTS", [this](const Result<std::string>& r) {
    if (!r.ok()) return Finish(r.error());
    pending_ = WpsBssids(r.value());
    ReadNext();
  });
}

void SupplicantApScan::ReadNext() {
  if (pending_.empty()) return OnScanRead();
  const std::string bssid = pending_.back();
  pending_.pop_back();
  Send("BSS " + bssid, [this](const Result<std::string>& r) {
    if (!r.ok()) return Finish(r.error());
    AccessPoint ap = ParseBss(r.value());
    if (!ap.bssid.empty() && ap.age_s <= options_.max_age_s) {
      auto same = std::find_if(found_.begin(), found_.end(), [&](const AccessPoint& a) { return a.bssid == ap.bssid; });
      if (same != found_.end()) *same = std::move(ap);
      else found_.push_back(std::move(ap));
    }
    ReadNext();
  });
}

void SupplicantApScan::OnScanRead() {
  ++scans_;
  const auto printers = static_cast<std::size_t>(std::count_if(
      found_.begin(), found_.end(), [](const AccessPoint& a) { return a.category == kDeviceCategoryPrinter; }));
  const bool settled = options_.enough ? options_.enough(found_) : printers > 0 && printers == printers_before_;
  log::Debug("scan " + std::to_string(scans_) + ": " + std::to_string(found_.size()) + " access points with WPS, " +
             std::to_string(printers) + " printers");
  if (settled || scans_ >= options_.scans) return Finish(std::move(found_));
  printers_before_ = printers;
  reading_ = false;
  RequestScan();
}

void SupplicantApScan::Finish(Result<std::vector<AccessPoint>> result) {
  limit_.reset();
  if (!done_) return;
  auto done = std::exchange(done_, nullptr);
  if (socket_ && !socket_->broken()) Send("DETACH", [](const Result<std::string>&) {});
  done(std::move(result));
}

}  // namespace cupswps::wps
