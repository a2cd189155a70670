// SPDX-License-Identifier: Apache-2.0
// `cups-wps pair` with this host as the access point: hostapd on the
// workstation, printers in setup mode as wpa_supplicant enrollees.
#include "tests/wps/pair_fixture.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

// ---------------------------------------------------------------- registrar

TEST_F(WpsPairing, PinPairsThePrinterAndReportsItsMacAndUuid) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("pin");
  Child* pair = nullptr;
  const std::string result = PinExchange(printer, kPin, kPin, &pair);
  ASSERT_TRUE(Contains(result, "\"event\":\"paired\"")) << pair->Text();
  EXPECT_EQ(Field(result, "mac"), MacOf(printer));
  EXPECT_EQ(Field(result, "uuid"), UuidOf(printer));
  EXPECT_EQ(pair->Wait(), 0);
  std::cout << "PIN run: " << IntField(result, "elapsed_ms") << " ms from arming to WPS-REG-SUCCESS\n";
  ASSERT_TRUE(ap_events_->WaitForLineContaining("WPS-REG-SUCCESS " + MacOf(printer), seconds(5)));
  // hostapd dropped the used PIN itself: nothing is left armed.
  ExpectNoPinArmed("pin-after", kPin);
}

TEST_F(WpsPairing, FourDigitPinPairs) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("pin4");
  Child* pair = nullptr;
  const std::string result = PinExchange(printer, "4321", "4321", &pair);
  ASSERT_TRUE(Contains(result, "\"event\":\"paired\"")) << pair->Text();
  EXPECT_EQ(Field(result, "mac"), MacOf(printer));
  EXPECT_EQ(pair->Wait(), 0);
}

// The harness's absence checks can fail: an event the daemon sent just before
// the check (no wait for it) is in the text once ReadAllEvents returns, and
// without that read it need not be.
TEST_F(WpsPairing, AnAbsenceCheckSeesTheEventSentJustBeforeIt) {
  AccessPointOnWorkstation();
  lab_->Run({"ap-pbc", "ws"});  // the forbidden event: hostapd says WPS-PBC-ACTIVE
  ASSERT_TRUE(Lab::ReadAllEvents(*ap_events_));
  EXPECT_TRUE(Contains(ap_events_->Text(), "WPS-PBC-ACTIVE")) << ap_events_->Text();
  lab_->Sh("ws", {"hostapd_cli", "-p", "/run/hostapd", "-i", "eth0", "wps_cancel"});
}

TEST_F(WpsPairing, PushButtonPairsWithTheOnlyAccessPointFoundByItself) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("pbc");
  Child* pair = Pair({"--pbc"});  // no --registrar: /run/hostapd has one socket
  auto daemon = pair->WaitForLineContaining("\"event\":\"daemon\"", seconds(15));
  ASSERT_TRUE(daemon.has_value()) << pair->Text();
  EXPECT_EQ(Field(*daemon, "target"), kCtrl);
  EXPECT_EQ(Field(*daemon, "side"), "registrar");
  ASSERT_FALSE(Armed(pair).empty()) << pair->Text();
  EXPECT_TRUE(Contains(WpsStatus(), "PBC Status: Active"));
  lab_->Run({"press-button", printer});
  const std::string result = Final(pair);
  ASSERT_TRUE(Contains(result, "\"event\":\"paired\"")) << pair->Text();
  EXPECT_EQ(Field(result, "mac"), MacOf(printer));
  EXPECT_EQ(pair->Wait(), 0);
  EXPECT_FALSE(Contains(WpsStatus(), "PBC Status: Active"));
}

TEST_F(WpsPairing, PlainOutputWhenNotATerminal) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("plain");
  Child* pair = Spawn("ws", {CupsWpsPath(), "pair", "--pbc"});
  ASSERT_TRUE(pair->WaitForLineContaining("waiting for the printer's button (120 s)", seconds(15))) << pair->Text();
  lab_->Run({"press-button", printer});
  auto done = pair->WaitForLineContaining("Paired " + MacOf(printer), seconds(30));
  ASSERT_TRUE(done.has_value()) << pair->Text();
  EXPECT_TRUE(Contains(*done, UuidOf(printer)));
  EXPECT_FALSE(Contains(pair->Text(), "\033")) << "no terminal control sequences in a pipe";
  EXPECT_EQ(pair->Wait(), 0);
}

TEST_F(WpsPairing, WrongPinFailsAndLeavesNothingArmed) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("wrong");
  Child* pair = nullptr;
  const std::string result = PinExchange(printer, kPin, kWrongPin, &pair);
  EXPECT_EQ(Field(result, "result"), "wrong-pin") << pair->Text();
  EXPECT_TRUE(Contains(Field(result, "message"), "different PIN"));
  EXPECT_EQ(pair->Wait(), kExitWrongPin);
  ASSERT_TRUE(Lab::ReadAllEvents(*ap_events_)) << "hostapd's events up to now";
  EXPECT_FALSE(Contains(ap_events_->Text(), "WPS-REG-SUCCESS"));
  ExpectNoPinArmed("wrong-after", kPin);
}

TEST_F(WpsPairing, NoPrinterWithinAShortTimeoutTimesOutAndDisarms) {
  AccessPointOnWorkstation();
  const auto start = std::chrono::steady_clock::now();
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "pair", "--pin-stdin", "--timeout", "2"}, std::string(kPin) + "\n");
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(r.status, kExitTimeout) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "No printer used the PIN within 2 s")) << r.err;
  EXPECT_LT(took, std::chrono::milliseconds(8000));
  std::cout << "--timeout 2 run took " << took.count() << " ms\n";
  ExpectNoPinArmed("late", kPin);
}

TEST_F(WpsPairing, PushButtonTimeoutSwitchesPushButtonModeOff) {
  AccessPointOnWorkstation();
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "pair", "--pbc", "--timeout", "1"});
  EXPECT_EQ(r.status, kExitTimeout) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "No printer pressed its WPS button within 1 s")) << r.err;
  EXPECT_FALSE(Contains(WpsStatus(), "PBC Status: Active"));
}

// On Wi-Fi, hostapd sees two enrollees in push-button mode in their probe
// requests. On the wire it notices them by their M1 messages, so the first
// enrollee is held half-way (its M2 is dropped) while the second one asks.
TEST_F(WpsPairing, TwoPrintersPressingAtOnceOverlapAndNeitherIsPaired) {
  AccessPointOnWorkstation();
  const std::string first = Enrollee("ovl-a");
  const std::string second = Enrollee("ovl-b");
  Child* first_events = Events(first);
  Child* pair = Pair({"--pbc"});
  ASSERT_FALSE(Armed(pair).empty()) << pair->Text();
  lab_->Run({"stall-enrollee", first});
  lab_->Run({"press-button", first});
  // WSC starts with the first printer; its M1 follows within a millisecond.
  ASSERT_TRUE(ap_events_->WaitForLineContaining("CTRL-EVENT-EAP-STARTED " + MacOf(first), seconds(20)));
  ASSERT_TRUE(ap_events_->WaitForLineContaining("method=254", seconds(10)));
  lab_->Run({"press-button", second});
  const std::string result = Final(pair);
  EXPECT_EQ(Field(result, "result"), "overlap") << pair->Text();
  EXPECT_TRUE(Contains(Field(result, "message"), "none was paired"));
  EXPECT_EQ(pair->Wait(), kExitOverlap);
  // Let the first printer's exchange go on: hostapd must refuse it now.
  lab_->Run({"unstall-enrollee", first});
  ASSERT_TRUE(first_events->WaitForLine(
      [](const std::string& l) { return Contains(l, "WPS-FAIL") || Contains(l, "WPS-SUCCESS"); }, seconds(30)))
      << first_events->Text();
  ASSERT_TRUE(Lab::ReadAllEvents(*first_events));
  ASSERT_TRUE(Lab::ReadAllEvents(*ap_events_));
  EXPECT_FALSE(Contains(first_events->Text(), "WPS-SUCCESS"));
  EXPECT_FALSE(Contains(ap_events_->Text(), "WPS-REG-SUCCESS")) << ap_events_->Text();
  EXPECT_FALSE(Contains(WpsStatus(), "PBC Status: Active"));
}

TEST_F(WpsPairing, HostapdKilledMidRunIsDaemonGone) {
  AccessPointOnWorkstation();
  Child* pair = Pair({"--pbc"});
  ASSERT_FALSE(Armed(pair).empty()) << pair->Text();
  lab_->Run({"ap-down", "ws", "--kill"});
  aps_.clear();
  const auto start = std::chrono::steady_clock::now();
  const std::string result = Final(pair, seconds(10));
  EXPECT_EQ(Field(result, "result"), "daemon-gone") << pair->Text();
  EXPECT_TRUE(Contains(Field(result, "message"), "went away"));
  EXPECT_EQ(pair->Wait(), kExitNoDaemon);
  std::cout << "hostapd's death noticed after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()
            << " ms\n";
}

TEST_F(WpsPairing, NoHostapdIsNoDaemon) {
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "pair", "--pbc", "--registrar", "hostapd:/run/hostapd/nothing"});
  EXPECT_EQ(r.status, kExitNoDaemon) << r.err;
  EXPECT_TRUE(Contains(r.err, "no hostapd control socket at /run/hostapd/nothing")) << r.err;
}

TEST_F(WpsPairing, InterruptDisarmsTheAccessPoint) {
  AccessPointOnWorkstation();
  Child* pbc = Pair({"--pbc"});
  ASSERT_FALSE(Armed(pbc).empty()) << pbc->Text();
  EXPECT_TRUE(Contains(WpsStatus(), "PBC Status: Active"));
  pbc->Signal(SIGINT);
  EXPECT_EQ(Field(Final(pbc), "result"), "cancelled");
  EXPECT_EQ(pbc->Wait(), kExitInterrupted);
  EXPECT_FALSE(Contains(WpsStatus(), "PBC Status: Active"));

  Child* pin = Pair({"--pin-file", PinFile(kPin)});
  ASSERT_FALSE(Armed(pin).empty()) << pin->Text();
  pin->Signal(SIGTERM);
  EXPECT_EQ(pin->Wait(), kExitInterrupted);
  ExpectNoPinArmed("after-term", kPin);
}

TEST_F(WpsPairing, ThePinStaysOutOfArgvAndLogs) {
  AccessPointOnWorkstation();
  // A PIN on the command line is refused without being repeated.
  const CmdResult argv_pin = lab_->Sh("ws", {CupsWpsPath(), "pair", "--pin", kPin});
  EXPECT_EQ(argv_pin.status, 2);
  EXPECT_FALSE(Contains(argv_pin.out + argv_pin.err, kPin)) << argv_pin.err;
  // The debug log names the commands, never the PIN.
  const CmdResult debug =
      lab_->Sh("ws", {CupsWpsPath(), "pair", "--pin-stdin", "--timeout", "1", "--debug"}, std::string(kPin) + "\n");
  EXPECT_EQ(debug.status, kExitTimeout);
  EXPECT_TRUE(Contains(debug.err, "WPS_PIN any ******** 1")) << debug.err;
  EXPECT_FALSE(Contains(debug.out + debug.err, kPin));
  EXPECT_FALSE(Contains(debug.out + debug.err, "1234-5670"));
  // A PIN file others can read is refused.
  const std::string loose = PinFile(kPin);
  chmod(loose.c_str(), 0644);
  const CmdResult open_file = lab_->Sh("ws", {CupsWpsPath(), "pair", "--pin-file", loose});
  EXPECT_EQ(open_file.status, 2);
  EXPECT_TRUE(Contains(open_file.err, "can be read by others")) << open_file.err;
}

TEST_F(WpsPairing, GeneratedPinIsShownOnceAndWorks) {
  AccessPointOnWorkstation();
  const std::string printer = Enrollee("gen");
  Child* pair = Pair({"--generate-pin"});
  auto shown = pair->WaitForLineContaining("\"event\":\"pin\"", seconds(15));
  ASSERT_TRUE(shown.has_value()) << pair->Text();
  std::string pin = Field(*shown, "pin");
  ASSERT_EQ(pin.size(), 9u) << *shown;  // 1234-5670
  pin.erase(4, 1);
  ASSERT_FALSE(Armed(pair).empty());
  EnterPin(printer, pin);
  const std::string result = Final(pair);
  ASSERT_TRUE(Contains(result, "\"event\":\"paired\"")) << pair->Text();
  EXPECT_EQ(Field(result, "mac"), MacOf(printer));
  EXPECT_EQ(pair->Wait(), 0);
}

}  // namespace
}  // namespace cupswps::testing
