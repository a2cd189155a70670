// `cups-wps pair` against the real daemons in the lab: hostapd (driver=wired)
// on the workstation as the access point, wpa_supplicant (-Dwired) printers
// as enrollees, and, for the enrollee driver, a printer's own hostapd with a
// wpa_supplicant on a private D-Bus system bus. The full WPS registration
// protocol runs over the veth links. Every wait is on an event line (pair's
// JSON lines, the daemons' events), never a sleep.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

constexpr char kPin[] = "12345670";
constexpr char kWrongPin[] = "11111115";  // valid checksum, not the armed one
constexpr char kApPin[] = "87654325";     // hostapd's ap_pin in lab.d/wps.sh
constexpr char kPassphrase[] = "lab-passphrase-0f7c2a91";
constexpr char kCtrl[] = "/run/hostapd/eth0";

// Exit statuses of `pair` (backend/commands.h).
constexpr int kExitWrongPin = 3, kExitTimeout = 4, kExitOverlap = 5, kExitLocked = 6, kExitNoDaemon = 7,
              kExitInterrupted = 130;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Field(const std::string& line, const std::string& key) {
  std::smatch m;
  if (std::regex_search(line, m, std::regex("\"" + key + "\":\"([^\"]*)\""))) return m[1];
  return {};
}

long long IntField(const std::string& line, const std::string& key) {
  std::smatch m;
  if (std::regex_search(line, m, std::regex("\"" + key + "\":(-?[0-9]+)"))) return std::stoll(m[1]);
  return -1;
}

bool Contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

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

TEST_F(WpsJoining, PushButtonReceivesTheNetworkWithTheOnlyInterfaceFoundByItself) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-pbc", true);
  lab_->Run({"ap-pbc", printer_ap_});
  // No --enrollee: this host has no hostapd and one wpa_supplicant interface.
  const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--pbc", "--json"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "\"side\":\"enrollee\",\"target\":\"eth0\"")) << r.out;
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
  const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--pbc", "--timeout", "2"});
  EXPECT_EQ(r.status, kExitTimeout) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "did not finish within 2 s")) << r.err;
  const CmdResult status = lab_->Sh(
      station, {"wpa_cli", "-p", lab_->dir() + "/" + station + "/wpas", "-i", "eth0", "status"});
  EXPECT_FALSE(Contains(status.out, "key_mgmt=WPS")) << status.out;
}

TEST_F(WpsJoining, InterruptCancelsTheSupplicantsRun) {
  PrinterAccessPoint();
  const std::string station = Enrollee("join-int", true);
  Child* pair = Pair({"--pbc"}, station);
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
    const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--ap-pin", "--pin-stdin"},
                                 std::string(kWrongPin) + "\n");
    ASSERT_EQ(r.status, kExitWrongPin) << r.out << r.err;
  }
  ASSERT_TRUE(ap_events->WaitForLineContaining("WPS-AP-SETUP-LOCKED", seconds(10))) << ap_events->Text();
  const std::string station = Enrollee("guess4", true);
  const CmdResult r = lab_->Sh(station, {CupsWpsPath(), "pair", "--ap-pin", "--pin-stdin"}, std::string(kApPin) + "\n");
  EXPECT_EQ(r.status, kExitLocked) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "locked its PIN")) << r.err;
  EXPECT_FALSE(Contains(r.out, "cups-wps-lab")) << "no network while locked, even with the right PIN";
}

}  // namespace
}  // namespace cupswps::testing
