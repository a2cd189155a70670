// SPDX-License-Identifier: Apache-2.0
// Finds the printers' own access points in range, for an AP-PIN run without
// --bssid: wpa_supplicant's registrar-role WPS needs the access point's
// BSSID (without one its SSID stays empty and every scan result is skipped,
// "SSID mismatch"). wpa_supplicant scans on its control socket: SCAN (or
// the scan under way: FAIL-BUSY), CTRL-EVENT-SCAN-RESULTS, SCAN_RESULTS
// (the access points with [WPS...] in their flags), then BSS <bssid> for
// each: its WPS IE, as wpa_supplicant read it (wps_state,
// wps_primary_device_type, wps_device_name), its frequency, and the UUID-E
// of its elements (ie=, else beacon_ie=). A printer is one whose primary
// device type is of category 3. Everything there came over the air: each
// field is validated and cleaned here. Changes nothing but the scan.
//
// One scan is not enough: a scan dwells some tens of milliseconds on each
// channel, and an access point that answers probes late (a busy printer; in
// the radio lab a hostapd under emulation, measured at 50 ms) is missed
// while the router beside it is heard. So the scan is repeated, its results
// merged, until one scan after the first printer is seen adds no other
// printer, or `scans` scans have been made.
#pragma once

#include <glib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/glib.h"
#include "common/result.h"
#include "wps/ctrl_socket.h"

namespace cupswps::wps {

struct AccessPoint {
  std::string bssid;  // lower case; "" when BSS gave none valid
  std::string ssid;   // cleaned for display
  std::string ssid_bytes;  // the SSID itself (wpa_supplicant's escapes undone), for comparing; "" when malformed
  std::string name;   // the WPS device name, cleaned; or ""
  int category = 0;   // WSC primary device type category, 0 when not given
  bool configured = false;  // wps_state=configured
  int age_s = -1;  // seconds since wpa_supplicant last heard it; -1 when not said
  int freq_mhz = 0;  // its channel's frequency; 0 when not said
  std::string uuid;  // the UUID-E of its WPS element (wps_ie.h), or ""
};

// The BSSIDs of SCAN_RESULTS' lines with [WPS in their flags (at most 64).
std::vector<std::string> WpsBssids(std::string_view scan_results);
// One BSS command's answer (key=value lines).
AccessPoint ParseBss(std::string_view text);

// Whether `ifname` is a radio (/sys/class/net/IFACE/wireless or phy80211),
// where the registrar role needs the access point's BSSID; a wired
// interface (driver=wired, 802.1X) has none to find.
bool IsRadio(std::string_view ifname);

// Of the access points a scan saw, the one printer (category 3) to run the
// AP PIN against. None: kNotFound, naming what was seen; several:
// kInvalidArgument, naming them (--bssid picks). `ifname` is for the sentences.
Result<AccessPoint> ChoosePrinter(const std::vector<AccessPoint>& seen, std::string_view ifname);
// "'ssid' (bssid, name)", for lines that name one.
std::string Describe(const AccessPoint& ap);

class SupplicantApScan {
 public:
  struct Options {
    std::chrono::milliseconds scan_limit{15000};  // for each CTRL-EVENT-SCAN-RESULTS
    int scans = 4;  // at most; at least 2 when a printer is seen
    std::chrono::milliseconds reply_timeout{2000};
    // wpa_supplicant keeps an access point it no longer hears for a while
    // (180 s, two scans): older ones than this are gone.
    int max_age_s = 10;
    // When the scans have seen enough (e.g. one router's network): they
    // stop then. Empty: the printers' rule above.
    std::function<bool(const std::vector<AccessPoint>&)> enough;
  };
  using Done = std::function<void(Result<std::vector<AccessPoint>>)>;
  // `context` (nullptr: the default one) must outlive the scan.
  SupplicantApScan(GMainContext* context, std::string ctrl_path, Options options);
  ~SupplicantApScan();

  // `done` once, from the loop: every access point with WPS seen (printers
  // or not), or why there was no scan.
  void Find(Done done);

 private:
  void Send(const std::string& command, CtrlSocket::ReplyFn then);
  void RequestScan();
  void OnLine(std::string_view line);
  void OnScanRead();
  void ReadResults();
  void ReadNext();
  void Finish(Result<std::vector<AccessPoint>> result);

  GMainContext* context_;
  std::string path_;
  Options options_;
  Done done_;
  std::unique_ptr<CtrlSocket> socket_;
  bool reading_ = false;
  std::vector<std::string> pending_;  // BSSIDs still to read
  std::vector<AccessPoint> found_;  // by BSSID, the latest reading of each
  int scans_ = 0;  // finished
  std::size_t printers_before_ = 0;  // printers seen before this scan
  SourceGuard limit_;
  Poster poster_;
};

}  // namespace cupswps::wps
