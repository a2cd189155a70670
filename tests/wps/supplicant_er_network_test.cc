// SPDX-License-Identifier: Apache-2.0
// --network SSID in the External Registrar, against a scripted
// wpa_supplicant: a saved network other than this host's goes to the
// printer only once a scan saw the router taken serve it at 2.4 GHz. Over
// the air, with a dual-band router: tests/integration/radio_integration_test.cc.
#include "tests/wps/er_fixture.h"

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;

constexpr char kSaved[] =
    "network id / ssid / bssid / flags\n"
    "0\tlab-router-5G\tany\t[CURRENT]\n"
    "1\tlab-router\tany\t\n"
    "2\tcafe\tany\t[DISABLED]\n";
constexpr char kScanResults[] =
    "bssid / frequency / signal level / flags / ssid\n"
    "02:00:00:00:01:02\t2437\t-30\t[WPA2-PSK-CCMP][WPS][ESS]\tlab-router\n";
// The router's UUID (kRouter) in a WPS element.
constexpr char kRouterIes[] = "dd1d0050f204104a00011010470010123456789abcdef012340000000000a1";
constexpr char kNeighbourIes[] = "dd1d0050f204104a00011010470010123456789abcdef01234000000000bad";

bool IsRadio(std::string_view) { return true; }
bool IsWired(std::string_view) { return false; }

class ErNetworkTest : public ErTest {
 protected:
  ErNetworkTest() {
    // The laptop on the router's 5 GHz network, its 2.4 GHz one saved.
    daemon_.replies["STATUS"] = "bssid=02:00:00:00:05:00\nfreq=5180\nssid=lab-router-5G\nid=0\nkey_mgmt=WPA2-PSK\n"
                                "wpa_state=COMPLETED";
    daemon_.replies["LIST_NETWORKS"] = kSaved;
    daemon_.replies["SCAN_RESULTS"] = kScanResults;
    Bss("2437", kRouterIes);
    UseNetwork("lab-router", &IsRadio);
  }
  void UseNetwork(const std::string& ssid, bool (*is_radio)(std::string_view)) {
    SupplicantExternalRegistrar::Options o{60ms, 20ms, 200ms};
    o.network = ssid;
    o.is_radio = is_radio;
    Use(std::move(o));
  }
  void Bss(const std::string& freq, const std::string& ies) {
    daemon_.replies["BSS"] = "bssid=02:00:00:00:01:02\nfreq=" + freq + "\nage=0\nssid=lab-router\nie=" + ies +
                             "\nwps_state=configured\nwps_primary_device_type=6-0050F204-1\n";
  }
  // Arms, the router answers, and each scan the ER asks for is made (up to
  // `scans`) until `done`.
  void ArmAndScan(const std::function<bool()>& done, int scans = 4) {
    Arm(Method::kPushButton);
    ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
    daemon_.SendEvent(kRouterAdd);
    for (int i = 1; i <= scans && !done(); ++i) {
      ASSERT_TRUE(RunUntil([&] { return Count("SCAN") >= static_cast<std::size_t>(i) || done(); }));
      if (done()) break;
      daemon_.SendEvent("CTRL-EVENT-SCAN-RESULTS ");
      RunUntil([&] { return Count("SCAN") > static_cast<std::size_t>(i) || done(); }, 500'000);
    }
    ASSERT_TRUE(RunUntil(done));
  }
};

TEST_F(ErNetworkTest, TheRoutersSavedTwoPointFourGigahertzNetworkIsHandedOnOnceAScanSawIt) {
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent("LIST_NETWORKS"));
  EXPECT_TRUE(Sent("GET_NETWORK 1 key_mgmt")) << "the saved network's, not the 5 GHz one's";
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 1"));
  EXPECT_FALSE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 0"));
  ASSERT_NE(Find(EventKind::kRouterNetworkScan), nullptr);
  EXPECT_EQ(Find(EventKind::kRouterNetworkScan)->network.ssid, "lab-router");
  ASSERT_NE(Find(EventKind::kRouterSettings), nullptr);
  EXPECT_EQ(Find(EventKind::kRouterSettings)->network.ssid, "lab-router");
  EXPECT_NE(Find(EventKind::kButtonPressed), nullptr);
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErNetworkTest, ANetworkOfThatNameFromAnotherDeviceIsNotHandedOn) {
  Bss("2437", kNeighbourIes);
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message,
            "The router does not serve 'lab-router' at 2.4 GHz within range of this computer (seen: 02:00:00:00:01:02 "
            "from another device (12345678-9abc-def0-1234-000000000bad)), so cups-wps does not hand it to the printer.");
  EXPECT_EQ(Count("SCAN"), 4u) << "scanned until the scans were over";
  EXPECT_FALSE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 1"));
  EXPECT_EQ(Find(EventKind::kArmed), nullptr);
}

TEST_F(ErNetworkTest, TheRoutersNetworkOfThatNameOnlyAtFiveGigahertzIsNotHandedOn) {
  Bss("5180", kRouterIes);
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_NE(Find(EventKind::kUnavailable)->error.message.find("(seen: 02:00:00:00:01:02 at 5180 MHz)"),
            std::string::npos)
      << Find(EventKind::kUnavailable)->error.message;
  EXPECT_EQ(Find(EventKind::kArmed), nullptr);
}

// wpa_supplicant escapes an SSID's bytes in LIST_NETWORKS and BSS
// (printf_encode): the name as the person types it (UTF-8) is compared with
// the bytes, not with the escapes.
TEST_F(ErNetworkTest, ANonAsciiNameIsComparedByItsBytes) {
  daemon_.replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n0\tlab-router-5G\tany\t[CURRENT]\n"
                                     "1\tCaf\\xc3\\xa9 \\\"1\\\"\tany\t\n";
  daemon_.replies["SCAN_RESULTS"] =
      "bssid / frequency / signal level / flags / ssid\n"
      "02:00:00:00:01:02\t2437\t-30\t[WPA2-PSK-CCMP][WPS][ESS]\tCaf\\xc3\\xa9 \\\"1\\\"\n";
  daemon_.replies["BSS"] = std::string("bssid=02:00:00:00:01:02\nfreq=2437\nage=0\nssid=Caf\\xc3\\xa9 \\\"1\\\"\nie=") +
                           kRouterIes + "\n";
  UseNetwork("Caf\xc3\xa9 \"1\"", &IsRadio);
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 1"));
  EXPECT_EQ(Find(EventKind::kRouterSettings)->network.ssid, "Caf\xc3\xa9 \"1\"");
}

// Sub-GHz (802.11ah) is not 2.4 GHz either.
TEST_F(ErNetworkTest, TheRoutersNetworkBelowTwoPointFourGigahertzIsNotHandedOn) {
  Bss("915", kRouterIes);
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kArmed), nullptr);
}

// The router leaving UPnP and coming back while the scan is under way: the
// network is handed on only when the scan has seen it, and once.
TEST_F(ErNetworkTest, ARouterThatComesBackDuringTheScanIsNotPressedBeforeTheScanSawItsNetwork) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Sent("SCAN"); }));
  daemon_.SendEvent(std::string("WPS-ER-AP-REMOVE ") + kRouter);
  daemon_.SendEvent(kRouterAdd);
  RunUntil([] { return false; }, 100'000);
  EXPECT_FALSE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 1")) << "before the scan saw the network";
  daemon_.SendEvent("CTRL-EVENT-SCAN-RESULTS ");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  RunUntil([] { return false; }, 100'000);
  EXPECT_EQ(Count(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 1"), 1u);
  EXPECT_EQ(Count(std::string("WPS_ER_PBC ") + kRouter), 1u);
}

TEST_F(ErNetworkTest, ANetworkThatIsNotSavedIsNamedWithTheSavedOnesAndNothingStarts) {
  UseNetwork("Home", &IsRadio);
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message, "wpa_supplicant at " + daemon_.path() +
                           " has no saved network 'Home' (it has 'lab-router-5G', 'lab-router', 'cafe'), so cups-wps "
                           "has no such network to hand to the printer. Give the router's AP PIN (--router-pin) or "
                           "press the router's own button.");
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

// wpa_supplicant's answer holds 4 kB: it leaves out the lines that do not
// fit, and gives the rest after LAST_ID=. A second network of the name on
// a later page is still seen, and nothing is guessed.
TEST_F(ErNetworkTest, TheSavedNetworksAreReadPageByPageAndTwoOfTheNameAreNotGuessedAt) {
  daemon_.replies["LIST_NETWORKS"] = kSaved;  // ids 0 to 2
  daemon_.replies["LIST_NETWORKS LAST_ID=2"] = "network id / ssid / bssid / flags\n7\tlab-router\tany\t\n";
  daemon_.replies["LIST_NETWORKS LAST_ID=7"] = "network id / ssid / bssid / flags\n";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.message,
            "wpa_supplicant at " + daemon_.path() +
                " has 2 saved networks named 'lab-router', and cups-wps does not guess which to hand on.");
  EXPECT_TRUE(Sent("LIST_NETWORKS LAST_ID=7")) << "until a page had none";
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

TEST_F(ErNetworkTest, ASavedNetworkForWpa3OnlyIsRefusedAsThisHostsWouldBe) {
  daemon_.replies["GET_NETWORK"] = "SAE";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_NE(Find(EventKind::kUnavailable)->error.message.find(
                "saved network 'lab-router' is set up for WPA3 (SAE) only"),
            std::string::npos);
  EXPECT_TRUE(Sent("GET_NETWORK 1 key_mgmt"));
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

TEST_F(ErNetworkTest, WithoutARadioToScanWithNothingIsHandedOn) {
  UseNetwork("lab-router", &IsWired);
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_NE(Find(EventKind::kUnavailable)->error.message.find("(not a radio) whether the router serves 'lab-router'"),
            std::string::npos);
  EXPECT_FALSE(Sent("SCAN"));
  EXPECT_EQ(Find(EventKind::kArmed), nullptr);
}

// NetworkManager gives wpa_supplicant only the profile in use: a network
// saved as another profile (saved_elsewhere) is added for the run, disabled,
// its key over the control socket only, and removed at Disarm.
class ErNetworkElsewhereTest : public ErNetworkTest {
 protected:
  ErNetworkElsewhereTest() {
    daemon_.replies["LIST_NETWORKS"] = "network id / ssid / bssid / flags\n0\tlab-router-5G\tany\t[CURRENT]\n";
    daemon_.replies["ADD_NETWORK"] = "5";
    Elsewhere([](const std::string&) -> Result<SavedNetwork> {
      SavedNetwork n;
      n.name = "NetworkManager's profile 'Home 2.4'";
      n.passphrase.str() = "correct horse";
      return n;
    });
  }
  void Elsewhere(std::function<Result<SavedNetwork>(const std::string& ssid)> answer) {
    SupplicantExternalRegistrar::Options o{60ms, 20ms, 200ms};
    o.network = "lab-router";
    o.is_radio = &IsRadio;
    o.saved_elsewhere = [this, answer](const std::string& ssid, std::function<void(Result<SavedNetwork>)> done) {
      asked_ = ssid;
      done(answer(ssid));
    };
    Use(std::move(o));
  }
  std::string asked_;
};

TEST_F(ErNetworkElsewhereTest, ANetworkManagerProfileIsAddedForTheRunHandedOnAndRemovedAtDisarm) {
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_EQ(asked_, "lab-router");
  const std::vector<std::string> expected = {"SET_NETWORK 5 ssid 6c61622d726f75746572",
                                             "SET_NETWORK 5 key_mgmt WPA-PSK", "SET_NETWORK 5 disabled 1",
                                             "SET_NETWORK 5 psk \"correct horse\""};
  auto at = std::find(daemon_.commands().begin(), daemon_.commands().end(), "ADD_NETWORK");
  ASSERT_NE(at, daemon_.commands().end());
  EXPECT_EQ(std::vector<std::string>(at + 1, at + 5), expected);
  EXPECT_FALSE(Sent("GET_NETWORK 5 key_mgmt")) << "it is set up here as WPA-PSK";
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 5"));
  EXPECT_NE(Find(EventKind::kButtonPressed), nullptr);
  EXPECT_FALSE(Sent("REMOVE_NETWORK 5"));
  Disarm();
  EXPECT_TRUE(Sent("REMOVE_NETWORK 5"));
  EXPECT_EQ(daemon_.commands().back(), "DETACH");
  for (const Event& e : events_) {
    EXPECT_EQ(e.error.message.find("correct horse"), std::string::npos);
    EXPECT_EQ(e.network.ssid.find("correct horse"), std::string::npos);
  }
}

// A run that ends (Ctrl-C, the router gone) while the network is being
// added: whatever was added is removed, nothing more is set, and no other
// network of wpa_supplicant's is touched.
TEST_F(ErNetworkElsewhereTest, DisarmedWhileTheNetworkIsAddedItIsRemovedAndNothingElseIsSet) {
  std::function<void(Result<SavedNetwork>)> answer;
  SupplicantExternalRegistrar::Options o{60ms, 20ms, 200ms};
  o.network = "lab-router";
  o.is_radio = &IsRadio;
  o.saved_elsewhere = [&](const std::string&, std::function<void(Result<SavedNetwork>)> done) { answer = done; };
  Use(std::move(o));
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return answer != nullptr; }));
  SavedNetwork n;
  n.passphrase.str() = "correct horse";
  answer(std::move(n));  // ADD_NETWORK goes out; its answer is not read yet
  bool done = false;
  er_->Disarm(false, [&] { done = true; });
  ASSERT_TRUE(RunUntil([&] { return done && Sent("REMOVE_NETWORK 5"); }));
  EXPECT_FALSE(Sent("SET_NETWORK 5 ssid 6c61622d726f75746572"));
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

TEST_F(ErNetworkElsewhereTest, DisarmedWhileTheNetworkIsSetItIsRemovedAndTheKeyIsNotSent) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("SET_NETWORK 5 ssid 6c61622d726f75746572"); }));
  bool done = false;
  er_->Disarm(false, [&] { done = true; });  // that SET_NETWORK's answer is not read yet
  ASSERT_TRUE(RunUntil([&] { return done; }));
  RunUntil([] { return false; }, 100'000);
  EXPECT_TRUE(Sent("REMOVE_NETWORK 5"));
  for (const std::string& c : daemon_.commands()) {
    EXPECT_NE(c.rfind("SET_NETWORK  ", 0), 0u) << "a SET_NETWORK without the id sets network 0: " << c;
    EXPECT_EQ(c.find("correct horse"), std::string::npos) << c;
  }
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

TEST_F(ErNetworkElsewhereTest, AfterAFailedScanTheAddedNetworkIsRemovedToo) {
  Bss("2437", kNeighbourIes);
  ASSERT_NO_FATAL_FAILURE(ArmAndScan([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_FALSE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 5"));
  Disarm();
  EXPECT_TRUE(Sent("REMOVE_NETWORK 5"));
}

TEST_F(ErNetworkElsewhereTest, AProfileThatCannotBeHandedOnIsRefusedInItsOwnWordsAndNothingIsAdded) {
  Elsewhere([](const std::string&) -> Result<SavedNetwork> {
    return Error{ErrorCode::kRefused, "NetworkManager's profile 'Home 2.4' for 'lab-router' is set up for WPA3 (SAE) only.",
                 "key-mgmt sae"};
  });
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.message,
            "NetworkManager's profile 'Home 2.4' for 'lab-router' is set up for WPA3 (SAE) only.");
  EXPECT_FALSE(Sent("ADD_NETWORK"));
  EXPECT_FALSE(Sent("WPS_ER_START"));
  Disarm();
  EXPECT_FALSE(Sent("REMOVE_NETWORK 5"));
}

TEST_F(ErNetworkElsewhereTest, SavedNowhereNamesWhatWasLookedAt) {
  Elsewhere([](const std::string&) -> Result<SavedNetwork> {
    return Error{ErrorCode::kNotFound, "and NetworkManager has no Wi-Fi profile for it (it has 'Home')", ""};
  });
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.message,
            "wpa_supplicant at " + daemon_.path() +
                " has no saved network 'lab-router' (it has 'lab-router-5G'), and NetworkManager has no Wi-Fi "
                "profile for it (it has 'Home'), so cups-wps has no such network to hand to the printer. Give the "
                "router's AP PIN (--router-pin) or press the router's own button.");
  EXPECT_FALSE(Sent("ADD_NETWORK"));
}

}  // namespace
}  // namespace cupswps::wps
