// SPDX-License-Identifier: Apache-2.0
// The lab fixture of the `cups-wps pair` tests (pair_integration_test.cc,
// join_integration_test.cc): `cups-wps pair` against the real daemons in the
// lab: hostapd (driver=wired) on the workstation as the access point, wpa_supplicant (-Dwired) printers
// as enrollees, and, for the enrollee driver, a printer's own hostapd with a
// wpa_supplicant on a private D-Bus system bus. The full WPS registration
// protocol runs over the veth links. Every wait is on an event line (pair's
// JSON lines, the daemons' events), never a sleep.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {

using std::chrono::seconds;

constexpr char kPin[] = "12345670";
constexpr char kWrongPin[] = "11111115";  // valid checksum, not the armed one
constexpr char kApPin[] = "87654325";     // hostapd's ap_pin in lab.d/wps.sh
constexpr char kPassphrase[] = "lab-passphrase-0f7c2a91";
constexpr char kCtrl[] = "/run/hostapd/eth0";

// Exit statuses of `pair` (backend/commands.h).
constexpr int kExitWrongPin = 3, kExitTimeout = 4, kExitOverlap = 5, kExitLocked = 6, kExitNoDaemon = 7,
              kExitInterrupted = 130;

inline std::string Field(const std::string& line, const std::string& key) {
  std::smatch m;
  if (std::regex_search(line, m, std::regex("\"" + key + "\":\"([^\"]*)\""))) return m[1];
  return {};
}

inline long long IntField(const std::string& line, const std::string& key) {
  std::smatch m;
  if (std::regex_search(line, m, std::regex("\"" + key + "\":(-?[0-9]+)"))) return std::stoll(m[1]);
  return -1;
}

class WpsPairing : public LabSuite {
 protected:

  void TearDown() override {
    children_.clear();
    for (const std::string& h : enrollees_) lab_->Run({"remove-enrollee", h});
    for (const std::string& h : aps_) lab_->Run({"ap-down", h});
  }

  // The WPS events of `host`'s daemon, from now on.
  Child* Events(const std::string& host) {
    children_.push_back(lab_->Events(host));
    return children_.back().get();
  }
  Child* Spawn(const std::string& host, const std::vector<std::string>& argv) {
    children_.push_back(lab_->Spawn(host, argv));
    return children_.back().get();
  }

  // A fresh hostapd on the workstation, and its event monitor.
  void AccessPointOnWorkstation() {
    ASSERT_EQ(Trim(lab_->Run({"ap-up", "ws"}).out), kCtrl);
    aps_.push_back("ws");
    ap_events_ = Events("ws");
  }
  // A new printer host whose wpa_supplicant is an enrollee; a new name each
  // time, because hostapd holds a station's MAC for a while after a failure.
  std::string Enrollee(const std::string& name, bool dbus = false) {
    std::vector<std::string> args = {"add-enrollee", name};
    if (dbus) args.push_back("--dbus");
    const std::string host = Trim(lab_->Run(args).out);
    enrollees_.push_back(host);
    return host;
  }
  std::string MacOf(const std::string& host) {
    return Trim(lab_->Sh(host, {"cat", "/sys/class/net/eth0/address"}).out);
  }
  std::string UuidOf(const std::string& host) { return lab_->WpsUuid(host); }
  void EnterPin(const std::string& host, const std::string& pin) {
    const CmdResult r = RunCommand({"env", std::string("CUPS_WPS_LAB_ID=") + CUPS_WPS_LAB_ID,
                                    "CUPS_WPS_LAB_DIR=" + lab_->dir(), LabScriptPath(), "enter-pin", host},
                                   pin + "\n");
    ASSERT_EQ(r.status, 0) << r.err;
  }
  // A PIN file the way a careful user makes one (mode 600).
  std::string PinFile(const std::string& pin) {
    const std::string path = lab_->dir() + "/pin-" + std::to_string(++pin_files_);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, (pin + "\n").data(), pin.size() + 1), static_cast<ssize_t>(pin.size() + 1));
    close(fd);
    return path;
  }
  // `pair` on the workstation, with --json.
  Child* Pair(const std::vector<std::string>& args, const std::string& host = "ws") {
    std::vector<std::string> argv = {CupsWpsPath(), "pair", "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return Spawn(host, argv);
  }
  static std::string Armed(Child* pair) {
    auto line = pair->WaitForLineContaining("\"event\":\"armed\"", seconds(15));
    return line ? *line : "";
  }
  static std::string Final(Child* pair, seconds timeout = seconds(30)) {
    auto line = pair->WaitForLine(
        [](const std::string& l) {
          return Contains(l, "\"event\":\"paired\"") || Contains(l, "\"event\":\"failed\"");
        },
        timeout);
    return line ? *line : "";
  }
  // hostapd has no PIN armed: an enrollee that tries `pin` is asked for one.
  void ExpectNoPinArmed(const std::string& name, const std::string& pin) {
    const std::string probe = Enrollee(name);
    const std::string mac = MacOf(probe);
    EnterPin(probe, pin);
    auto line = ap_events_->WaitForLine(
        [&](const std::string& l) {
          return (Contains(l, "WPS-PIN-NEEDED") || Contains(l, "WPS-REG-SUCCESS")) && Contains(l, mac);
        },
        seconds(20));
    ASSERT_TRUE(line.has_value()) << "hostapd said nothing about " << mac << "\n" << ap_events_->Text();
    EXPECT_TRUE(Contains(*line, "WPS-PIN-NEEDED")) << "the PIN was still armed: " << *line;
  }
  std::string WpsStatus() { return lab_->Run({"wps-status", "ws"}).out; }
  // `pair` arms hostapd with `armed`; once it is armed the printer tries
  // `typed`. Returns pair's last line (paired or failed); `*pair` is the run.
  std::string PinExchange(const std::string& printer, const std::string& armed, const std::string& typed,
                          Child** pair) {
    *pair = Pair({"--pin-file", PinFile(armed), "--registrar", std::string("hostapd:") + kCtrl});
    if (Armed(*pair).empty()) return "";
    EnterPin(printer, typed);
    return Final(*pair);
  }

  Child* ap_events_ = nullptr;
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<std::string> enrollees_, aps_;
  int pin_files_ = 0;
};

}  // namespace cupswps::testing
