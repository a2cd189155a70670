// SPDX-License-Identifier: Apache-2.0
// cups-wps setup end to end on the lab: hostapd on the workstation as the
// access point, printers in setup mode (wpa_supplicant as their Wi-Fi stack;
// address, avahi-daemon and ippeveprinter come up only after WPS succeeds),
// a private cupsd. From button press or PIN to a printed test page. And the
// other way round: printers that run their own access point, which the
// workstation joins.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const char kCtrl[] = "--registrar=hostapd:/run/hostapd/eth0";

class SetupIntegration : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    lab_->Run({"ap-up"});
  }
  // The workstation's interface to a printer's own access point.
  static std::string LinkTo(const std::string& printer) {
    std::string link = lab_->Run({"own-ap-link", printer}).out;
    while (!link.empty() && (link.back() == '\n' || link.back() == ' ')) link.pop_back();
    return link;
  }
  static std::unique_ptr<Child> Setup(const std::string& args) {
    return lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " setup " + kCtrl + " --json " + args + " 2>&1"});
  }
};

TEST_F(SetupIntegration, PushButtonToPrintedTestPage) {
  const std::string host = lab_->AddPrinter("Button Jet", {"--wps"});
  auto setup = Setup("--pbc --test-page");
  ASSERT_TRUE(setup->Seen("\"event\":\"armed\"", seconds(30))) << setup->Text();
  lab_->Run({"press-button", host});
  const auto done = setup->WaitForLineContaining("\"event\":\"done\"", seconds(120));
  ASSERT_TRUE(done.has_value()) << setup->Text();
  EXPECT_EQ(setup->Wait(), 0);
  EXPECT_EQ(JsonField(*done, "queue"), "Button_Jet");
  EXPECT_NE(setup->Text().find("\"matched_by\":\"mac\""), std::string::npos) << setup->Text();
  EXPECT_NE(Queues().find("device for Button_Jet: wps://uuid/"), std::string::npos) << Queues();
  EXPECT_EQ(LineCount(lab_->dir() + "/" + host + "/printed.log"), 1) << "the test page reached that printer";
}

TEST_F(SetupIntegration, ThePrintersPinToPrintedTestPage) {
  const std::string host = lab_->AddPrinter("Pin Jet", {"--wps"});
  // The printer shows its PIN and starts WPS; the user types it into setup.
  const std::string pin = "12345670";
  const CmdResult entered = RunCommand({"env", "CUPS_WPS_LAB_ID=" + std::string(CUPS_WPS_LAB_ID),
                                        "CUPS_WPS_LAB_DIR=" + lab_->dir(), LabScriptPath(), "enter-pin", host},
                                       pin + "\n");
  ASSERT_EQ(entered.status, 0) << entered.err;
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "setup", kCtrl, "--pin-stdin", "--test-page", "--json"}, pin + "\n");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"event\":\"done\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(pin), std::string::npos) << "the PIN is never printed";
  EXPECT_EQ(r.err.find(pin), std::string::npos);
  EXPECT_NE(Queues().find("device for Pin_Jet: wps://uuid/"), std::string::npos) << Queues();
  EXPECT_EQ(LineCount(lab_->dir() + "/" + host + "/printed.log"), 1);
}

TEST_F(SetupIntegration, ThePinStaysOutOfArgvLogsAndOutput) {
  const std::string host = lab_->AddPrinter("Secret Jet", {"--wps"});
  const std::string pin = "24681230";  // the printer's PIN (valid checksum)
  const std::string pin_file = lab_->dir() + "/secret-pin";
  { std::ofstream(pin_file) << pin << "\n"; }
  chmod(pin_file.c_str(), 0600);
  const CmdResult entered = RunCommand({"env", "CUPS_WPS_LAB_ID=" + std::string(CUPS_WPS_LAB_ID),
                                        "CUPS_WPS_LAB_DIR=" + lab_->dir(), LabScriptPath(), "enter-pin", host},
                                       pin + "\n");
  ASSERT_EQ(entered.status, 0) << entered.err;
  auto setup = Setup("--pin-file " + pin_file + " --test-page --debug");
  const std::string argv_seen = ArgvWhileRunning(*setup, seconds(120), "\"event\":\"done\"");
  EXPECT_EQ(setup->Wait(), 0) << setup->Text();
  EXPECT_EQ(argv_seen.find(pin), std::string::npos) << "the PIN in some process's argv";
  EXPECT_EQ(setup->Text().find(pin), std::string::npos) << "the PIN in setup's output (stdout+stderr, --debug)";
  EXPECT_EQ(setup->Text().find("2468-1230"), std::string::npos);
  // The scheduler's logs (cupsd, and the backends' DEBUG lines in it).
  for (const char* log : {"/ws/cups/log/error_log", "/ws/cups/log/access_log", "/ws/log/cupsd.log"}) {
    EXPECT_EQ(FileText(lab_->dir() + log).find(pin), std::string::npos) << log;
  }
}

TEST_F(SetupIntegration, ADecoyJoiningDuringSetupIsNotRegistered) {
  const std::string host = lab_->AddPrinter("Real Jet", {"--wps"});
  auto setup = Setup("--pbc");
  ASSERT_TRUE(setup->Seen("\"event\":\"armed\"", seconds(30))) << setup->Text();
  // Another printer comes onto the network while this one pairs and joins.
  lab_->AddPrinter("Decoy Jet");
  lab_->Run({"press-button", host});
  ASSERT_TRUE(setup->WaitForLineContaining("\"event\":\"done\"", seconds(120))) << setup->Text();
  EXPECT_EQ(setup->Wait(), 0);
  const std::string queues = Queues();
  EXPECT_NE(queues.find("device for Real_Jet:"), std::string::npos) << queues;
  EXPECT_EQ(queues.find("Decoy"), std::string::npos) << queues;
}

TEST_F(SetupIntegration, APrinterThatPairsButNeverAdvertisesFailsClearlyWithNoQueue) {
  const std::string host = lab_->AddPrinter("Mute Jet", {"--wps", "--no-ipp"});
  const std::string before = Queues();
  auto setup = Setup("--pbc --join-timeout 5");
  ASSERT_TRUE(setup->Seen("\"event\":\"armed\"", seconds(30))) << setup->Text();
  lab_->Run({"press-button", host});
  const auto failed = setup->WaitForLineContaining("\"event\":\"failed\"", seconds(60));
  ASSERT_TRUE(failed.has_value()) << setup->Text();
  EXPECT_NE(failed->find("paired, but it did not advertise IPP"), std::string::npos) << *failed;
  EXPECT_EQ(setup->Wait(), 8);
  EXPECT_EQ(Queues(), before);
}

// ---------------------------------------------------------------- enrollee
// The printer runs its own access point (hostapd with the lab's AP PIN, on a
// link of its own to the workstation, as its Wi-Fi would be): setup drives the
// workstation's wpa_supplicant, which receives the printer's network; the
// lab's stand-in for the workstation's network manager then joins it (an
// address on that link), and the printer is found there.

const char kApPin[] = "87654325";                     // lab.d/wps.sh: WPS_AP_PIN
const char kPassphrase[] = "lab-passphrase-0f7c2a91";  // lab.d/wps.sh: WPS_PASSPHRASE

TEST_F(SetupIntegration, ThePrintersAccessPointPinToPrintedTestPage) {
  const std::string host = lab_->AddPrinter("Hotspot Jet", {"--own-ap"});
  const std::string link = LinkTo("Hotspot Jet");
  ASSERT_FALSE(link.empty());
  // Before setup the workstation is not on the printer's network.
  const CmdResult listed = lab_->Sh("ws", {CupsWpsPath(), "list", "--json"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(listed.out.find("Hotspot Jet"), std::string::npos) << listed.out;

  const CmdResult r = lab_->Sh("ws",
                               {CupsWpsPath(), "setup", "--enrollee", "wpa_supplicant:" + link, "--ap-pin",
                                "--pin-stdin", "--test-page", "--json"},
                               std::string(kApPin) + "\n");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"matched_by\":\"network\""), std::string::npos) << r.out;
  const std::string done = r.out.substr(r.out.find("{\"event\":\"done\""));
  EXPECT_EQ(JsonField(done, "side"), "enrollee") << done;
  EXPECT_EQ(JsonField(done, "queue"), "Hotspot_Jet") << done;
  std::string mac = lab_->Sh(host, {"cat", "/sys/class/net/eth0/address"}).out;
  while (!mac.empty() && mac.back() == '\n') mac.pop_back();
  EXPECT_EQ(JsonField(done, "mac"), mac) << done;
  EXPECT_NE(Queues().find("device for Hotspot_Jet: wps://uuid/"), std::string::npos) << Queues();
  EXPECT_EQ(LineCount(lab_->dir() + "/" + host + "/printed.log"), 1) << "the test page reached that printer";
  for (const std::string& secret : {std::string(kApPin), std::string(kPassphrase)}) {
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << "a secret was printed";
  }
}

TEST_F(SetupIntegration, PushButtonOnThePrintersAccessPoint) {
  const std::string host = lab_->AddPrinter("Button Spot", {"--own-ap"});
  const std::string link = LinkTo("Button Spot");
  lab_->Run({"ap-pbc", host});  // the printer's button: its access point takes one device for 2 minutes
  const CmdResult r =
      lab_->Sh("ws", {CupsWpsPath(), "setup", "--enrollee", "wpa_supplicant:" + link, "--pbc", "--json"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"event\":\"done\""), std::string::npos) << r.out;
  EXPECT_NE(Queues().find("device for Button_Spot: wps://uuid/"), std::string::npos) << Queues();
}

TEST_F(SetupIntegration, APrinterNetworkWithoutIppFailsClearlyWithNoQueue) {
  lab_->AddPrinter("Quiet Spot", {"--own-ap", "--no-ipp"});
  const std::string link = LinkTo("Quiet Spot");
  const std::string before = Queues();
  const CmdResult r = lab_->Sh("ws",
                               {CupsWpsPath(), "setup", "--enrollee", "wpa_supplicant:" + link, "--ap-pin",
                                "--pin-stdin", "--join-timeout", "5"},
                               std::string(kApPin) + "\n");
  EXPECT_EQ(r.status, 8) << r.out << r.err;
  EXPECT_NE(r.err.find("no printer advertised IPP on " + link), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No queue was made"), std::string::npos) << r.err;
  EXPECT_EQ(Queues(), before);
}

}  // namespace
}  // namespace cupswps::testing
