// SPDX-License-Identifier: Apache-2.0
// `cups-wps pair` with this host as the enrollee: the printer runs its own
// access point; the workstation's wpa_supplicant joins it, driven over D-Bus.
#include "tests/wps/pair_fixture.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

// ---------------------------------------------------------------- enrollee

// The printer runs its own access point (hostapd); the workstation side is a
// wpa_supplicant on its host's own D-Bus system bus, driven by `pair`.
class WpsJoining : public WpsPairing {
 protected:
  void PrinterAccessPoint() {
    printer_ap_ = Trim(lab_->Run({"add-ap", "printer"}).out);
    aps_.push_back(printer_ap_);
  }
  void ArmPrinterPin(const std::string& pin) {
    const CmdResult r = RunCommand({"env", std::string("CUPS_WPS_LAB_ID=") + CUPS_WPS_LAB_ID,
                                    "CUPS_WPS_LAB_DIR=" + lab_->dir(), LabScriptPath(), "ap-pin", printer_ap_},
                                   pin + "\n");
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void ExpectNetworkShownWithoutKey(const CmdResult& r) {
    EXPECT_TRUE(Contains(r.out, "cups-wps-lab")) << r.out;
    EXPECT_TRUE(Contains(r.out, "wpa2-psk")) << r.out;
    EXPECT_FALSE(Contains(r.out + r.err, kPassphrase)) << "the network key was printed";
  }
  std::string printer_ap_;
};

TEST_F(WpsJoining, PinReceivesTheNetwork) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-pin", true);
  ArmPrinterPin(kPin);
  const CmdResult r = lab_->Sh(station,
                               {CupsWpsPath(), "pair", "--pin-stdin", "--enrollee", "wpa_supplicant:eth0", "--debug"},
                               std::string(kPin) + "\n");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "Received the printer's network")) << r.out;
  ExpectNetworkShownWithoutKey(r);
  EXPECT_FALSE(Contains(r.err, kPin));
}

TEST_F(WpsJoining, PushButtonReceivesTheNetworkOnlyWhenTheEnrolleeIsNamed) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-pbc", true);
  // No daemon named: this host has no hostapd, so the home router is taken
  // to be the access point. An enrollee run would take the interface off
  // its network: it is never chosen by itself.
  const CmdResult guessed = lab_->Sh(station, {CupsWpsPath(), "pair", "--pbc", "--json", "--timeout", "3"});
  EXPECT_TRUE(Contains(guessed.out, "\"mode\":\"router\"")) << guessed.out;
  EXPECT_FALSE(Contains(guessed.out, "\"side\":\"enrollee\"")) << guessed.out;
  EXPECT_EQ(guessed.status, 7) << "no router WPS to drive here\n" << guessed.out << guessed.err;
  lab_->Run({"ap-pbc", printer_ap_});
  const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--pbc", "--json", "--enrollee", "wpa_supplicant:eth0"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "\"mode\":\"enrollee\",\"side\":\"enrollee\",\"target\":\"eth0\"")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"ssid\":\"cups-wps-lab\",\"auth\":[\"wpa2-psk\"],\"encryption\":[\"aes\"]")) << r.out;
  ExpectNetworkShownWithoutKey(r);
}

TEST_F(WpsJoining, WrongPinFailsCleanly) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-wrong", true);
  ArmPrinterPin(kPin);
  const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--pin-stdin", "--enrollee", "wpa_supplicant:eth0"},
                               std::string(kWrongPin) + "\n");
  EXPECT_EQ(r.status, kExitWrongPin) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "did not accept the PIN")) << r.err;
  EXPECT_FALSE(Contains(r.out, "cups-wps-lab"));
  // WPS.Cancel ran: the supplicant is not left in a WPS run.
  const CmdResult status = lab_->Sh(
      station, {"wpa_cli", "-p", lab_->dir() + "/" + station + "/wpas", "-i", "eth0", "status"});
  EXPECT_FALSE(Contains(status.out, "key_mgmt=WPS")) << status.out;
}

TEST_F(WpsJoining, NoAnswerTimesOutAndCancels) {
  PrinterAccessPoint();  // not armed: it answers with M2D
  const std::string station = Enrollee("join-late", true);
  const CmdResult r =
      lab_->Sh(station, {CupsWpsPath(), "pair", "--pbc", "--timeout", "2", "--enrollee", "wpa_supplicant:eth0"});
  EXPECT_EQ(r.status, kExitTimeout) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "did not finish within 2 s")) << r.err;
  const CmdResult status = lab_->Sh(
      station, {"wpa_cli", "-p", lab_->dir() + "/" + station + "/wpas", "-i", "eth0", "status"});
  EXPECT_FALSE(Contains(status.out, "key_mgmt=WPS")) << status.out;
}

TEST_F(WpsJoining, InterruptCancelsTheSupplicantsRun) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-int", true);
  Child* pair = Pair({"--pbc", "--enrollee", "wpa_supplicant:eth0"}, station);
  ASSERT_FALSE(Armed(pair).empty()) << pair->Text();
  const std::string wpa_cli_status[] = {"wpa_cli", "-p", lab_->dir() + "/" + station + "/wpas", "-i", "eth0", "status"};
  EXPECT_TRUE(Contains(lab_->Sh(station, {std::begin(wpa_cli_status), std::end(wpa_cli_status)}).out, "key_mgmt=WPS"));
  pair->Signal(SIGINT);
  EXPECT_EQ(pair->Wait(), kExitInterrupted);
  EXPECT_FALSE(Contains(lab_->Sh(station, {std::begin(wpa_cli_status), std::end(wpa_cli_status)}).out, "key_mgmt=WPS"));
}

TEST_F(WpsJoining, SupplicantGoneMidRunIsDaemonGone) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-gone", true);
  Child* pair = Pair({"--pbc", "--enrollee", "wpa_supplicant:eth0"}, station);
  ASSERT_FALSE(Armed(pair).empty()) << pair->Text();
  lab_->Run({"remove-enrollee", station});
  const std::string result = Final(pair, seconds(10));
  EXPECT_EQ(Field(result, "result"), "daemon-gone") << pair->Text();
  EXPECT_EQ(pair->Wait(), kExitNoDaemon);
}

TEST_F(WpsJoining, ThePrintersApPinLearnsItsNetwork) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-ap-pin", true);
  const CmdResult r = lab_->Sh(station,
                               {CupsWpsPath(), "pair", "--ap-pin", "--pin-stdin", "--enrollee", "wpa_supplicant:eth0"},
                               std::string(kApPin) + "\n");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  ExpectNetworkShownWithoutKey(r);
}

// hostapd locks its AP PIN after three failures (from any stations) and then
// refuses registrars with configuration error 15 for a while.
TEST_F(WpsJoining, RepeatedWrongApPinsLockTheAccessPoint) {
  PrinterAccessPoint();
  Child* ap_events = Events(printer_ap_);
  for (int i = 1; i <= 3; ++i) {
    const std::string station = Enrollee("guess" + std::to_string(i), true);
    const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--ap-pin", "--pin-stdin", "--enrollee",
                                           "wpa_supplicant:eth0"},
                                 std::string(kWrongPin) + "\n");
    ASSERT_EQ(r.status, kExitWrongPin) << r.out << r.err;
  }
  ASSERT_TRUE(ap_events->WaitForLineContaining("WPS-AP-SETUP-LOCKED", seconds(10))) << ap_events->Text();
  const std::string station = Enrollee("guess4", true);
  const CmdResult r = lab_->Sh(
      station, {CupsWpsPath(), "pair", "--ap-pin", "--pin-stdin", "--enrollee", "wpa_supplicant:eth0"},
      std::string(kApPin) + "\n");
  EXPECT_EQ(r.status, kExitLocked) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "locked its PIN")) << r.err;
  EXPECT_FALSE(Contains(r.out, "cups-wps-lab")) << "no network while locked, even with the right PIN";
}

}  // namespace
}  // namespace cupswps::testing
