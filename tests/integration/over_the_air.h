// SPDX-License-Identifier: Apache-2.0
// The fixture of the radio lab's tests (radio_integration_test.cc): a lab
// suite over the air, with what a test reads back from the printers, the
// router and the laptop (their own wpa_supplicant and hostapd), and the
// setup runs the tests share.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {

using std::chrono::seconds;

class OverTheAir : public LabSuite {
 protected:
  static std::unique_ptr<Child> Setup(const std::string& args) { return SpawnSetup(args); }
  // The printer's own view of its Wi-Fi (wpa_supplicant on its radio).
  static std::string PrinterWifi(const std::string& host) {
    return lab_->Sh(host, {"wpa_cli", "-p", lab_->dir() + "/" + host + "/wpas", "-i", "wlan0", "status"}).out;
  }
  static std::string Printed(const std::string& host) { return lab_->dir() + "/" + host + "/printed.log"; }
  static std::string HostapdLog(const std::string& host) { return FileText(lab_->dir() + "/" + host + "/log/hostapd.log"); }
  // The printer is connected to `ssid` at `bssid` with WPA2 (the 4-way
  // handshake passed: the key it received opens that network), on 2.4 GHz.
  static void ExpectOnNetwork(const std::string& host, const std::string& ssid, const std::string& bssid,
                              const std::string& ap_host) {
    const std::string wifi = PrinterWifi(host);
    EXPECT_EQ(LineValue(wifi, "wpa_state"), "COMPLETED") << wifi;
    EXPECT_EQ(LineValue(wifi, "ssid"), ssid) << wifi;
    EXPECT_EQ(LineValue(wifi, "bssid"), bssid) << wifi;
    EXPECT_EQ(LineValue(wifi, "key_mgmt"), "WPA2-PSK") << wifi;
    EXPECT_EQ(LineValue(wifi, "pairwise_cipher"), "CCMP") << wifi;
    const std::string freq = LineValue(wifi, "freq");
    EXPECT_TRUE(freq.size() == 4 && freq[0] == '2') << "a 2.4 GHz-only printer: " << wifi;
    EXPECT_TRUE(Contains(HostapdLog(ap_host), "EAPOL-4WAY-HS-COMPLETED " + LineValue(wifi, "address")))
        << "the access point's own log: no completed 4-way handshake with the printer";
  }
  // A field of the laptop's (ws's) wpa_supplicant STATUS.
  static std::string LaptopStatus(const std::string& key) {
    return LineValue(lab_->Sh("ws", {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0", "status"}).out, key);
  }
  static std::string RouterInfo(const std::string& key) { return LineValue(lab_->Run({"router-info"}).out, key); }
  static void ExpectOnTheRoutersNetwork(const std::string& host) {
    ExpectOnNetwork(host, "lab-router", RouterInfo("bssid"), "router");
  }
  // `setup --pbc --test-page` for the printer on `host`: once setup says
  // `ready_event`, the printer's button is pressed; its first line names
  // `first_line_has`. Returns it after its "done" (ExpectDone), or nullptr
  // (a failure recorded). `more_args`: setup's other options.
  static std::unique_ptr<Child> PushButtonSetup(const std::string& host, const std::string& queue,
                                                const std::string& ready_event, const std::string& first_line_has,
                                                const std::string& more_args = "") {
    auto setup = Setup("--pbc --test-page" + (more_args.empty() ? "" : " " + more_args));
    if (!setup->Seen("\"event\":\"" + ready_event + "\"", seconds(60))) {
      ADD_FAILURE() << setup->Text();
      return nullptr;
    }
    EXPECT_TRUE(Contains(setup->lines().front(), first_line_has)) << setup->lines().front();
    lab_->Run({"press-button", host});  // only the printer's button
    if (ExpectDone(*setup, queue, seconds(240)).empty()) return nullptr;
    return setup;
  }
  // `setup --pbc --test-page` where the External Registrar hands nothing on:
  // setup says `why` and asks for the router's own button; with it and the
  // printer's, the printer gets the router's own 2.4 GHz WPA2 network and
  // prints.
  static void RoutersOwnButtonInstead(const std::string& host, const std::string& queue, const std::string& why) {
    auto setup = Setup("--pbc --test-page");
    const auto say = setup->WaitForLineContaining("\"event\":\"press\"", seconds(60));
    ASSERT_TRUE(say.has_value()) << setup->Text();
    EXPECT_TRUE(Contains(*say, why)) << *say;
    EXPECT_TRUE(Contains(*say, "Press the WPS button on the router")) << *say;
    EXPECT_FALSE(Contains(setup->Text(), "router-button-pressed")) << "nothing was handed on over UPnP";
    lab_->Run({"router-button"});
    lab_->Run({"press-button", host});
    ASSERT_FALSE(ExpectDone(*setup, queue, seconds(240)).empty());
    EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
    ExpectOnTheRoutersNetwork(host);  // 'lab-router', the 2.4 GHz radio, WPA2-PSK, CCMP
  }
  // The laptop (ws) as the enrollee on the own access point of the printer on
  // `host`, named `name`, by its AP PIN: setup's output (it said `manager`)
  // once the test page reached that printer; the laptop really was on the
  // printer's network (the 4-way handshake with the key it learned, in the
  // printer's access point's own log).
  // Without `bssid`, setup finds the printer's access point by scanning.
  static std::string ApPinSetup(const std::string& host, const std::string& name, const std::string& manager,
                                bool bssid = true) {
    const std::string printer = Trim(lab_->Sh(host, {"cat", "/sys/class/net/wlan0/address"}).out);
    const std::string laptop = Trim(lab_->Sh("ws", {"cat", "/sys/class/net/wlan0/address"}).out);
    const std::string pin = "87654325";  // lab.d/wps.sh: WPS_AP_PIN
    std::vector<std::string> argv{CupsWpsPath(), "setup", "--json", "--enrollee", "wpa_supplicant:wlan0", "--ap-pin",
                                  "--pin-stdin", "--test-page", "--debug"};
    if (bssid) argv.insert(argv.end(), {"--bssid", printer});
    const CmdResult r = lab_->Sh("ws", argv, pin + "\n");
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_FALSE(Contains(r.out + r.err, pin)) << "the PIN is never printed";
    EXPECT_TRUE(Contains(r.out, "\"manager\":\"" + manager + "\"")) << r.out;
    EXPECT_TRUE(Contains(r.out, "\"event\":\"done\",\"printer\":\"" + name + "\",\"side\":\"enrollee\"")) << r.out;
    EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
    EXPECT_TRUE(Contains(HostapdLog(host), "EAPOL-4WAY-HS-COMPLETED " + laptop)) << HostapdLog(host);
    return r.out;
  }
};

}  // namespace cupswps::testing
