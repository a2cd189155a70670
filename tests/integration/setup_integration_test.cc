// cups-wps setup end to end on the lab: hostapd on the workstation as the
// access point, printers in setup mode (wpa_supplicant as their Wi-Fi stack;
// address, avahi-daemon and ippeveprinter come up only after WPS succeeds),
// a private cupsd. From button press or PIN to a printed test page.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "tests/support/lab.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const char kCtrl[] = "--registrar=hostapd:/run/hostapd/eth0";

class SetupIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lab_ = new Lab(CUPS_WPS_LAB_ID);
    lab_->Up();
    lab_->Run({"ap-up"});
  }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }
  static std::string Queues() { return lab_->Sh("ws", {"lpstat", "-v"}).out; }
  static std::unique_ptr<Child> Setup(const std::string& args) {
    return lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " setup " + kCtrl + " --json " + args + " 2>&1"});
  }
  static Lab* lab_;
};

Lab* SetupIntegration::lab_ = nullptr;

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

}  // namespace
}  // namespace cupswps::testing
