// SPDX-License-Identifier: Apache-2.0
// SupplicantExternalRegistrar with the router's own AP PIN
// (supplicant_er_learn.cc): WPS_ER_LEARN instead of this host's network,
// the router's settings checked before anything is pressed, a refused AP
// PIN. Against the real router's hostapd:
// tests/integration/router_setup_integration_test.cc.
#include "tests/wps/er_fixture.h"
#include "wps/pin.h"

namespace cupswps::wps {
namespace {

constexpr char kSettings[] =
    "WPS-ER-AP-SETTINGS uuid=12345678-9abc-def0-1234-0000000000a1 ssid=lab-router auth_type=0x0020 "
    "encr_type=0x0008 key=lab-passphrase-0f7c2a91";
const std::string kLearn = std::string("WPS_ER_LEARN ") + kRouter + " 87654325";

class ErLearnTest : public ErTest {
 protected:
  ErLearnTest() {
    // This host is on the router's 5 GHz network, which it could not hand on.
    daemon_.replies["STATUS"] = "bssid=02:00:00:00:01:02\nfreq=5180\nid=3\nssid=lab-router-5G\nwpa_state=COMPLETED";
    auto pin = ParsePin("87654325");
    er_->UseRouterPin(pin.value());
  }
  // Armed with the router's PIN; the router answers; WPS_ER_LEARN went out.
  void Learning(Method method, const Pin* pin = nullptr) {
    Arm(method, pin);
    ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
    daemon_.SendEvent(kRouterAdd);
    ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRouterLearning) != nullptr; }));
    EXPECT_TRUE(Sent(kLearn));
  }
  bool Pressed() const {
    for (const std::string& c : daemon_.commands()) {
      if (c.rfind("WPS_ER_PBC", 0) == 0 || c.rfind("WPS_ER_PIN", 0) == 0) return true;
    }
    return false;
  }
};

TEST_F(ErLearnTest, TheRoutersOwnSettingsAreLearntAndThenTheButtonIsPressed) {
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  EXPECT_FALSE(Pressed()) << "not before the router's settings";
  daemon_.SendEvent(kSettings);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_PBC ") + kRouter));
  const Event* got = Find(EventKind::kRouterSettings);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->network.ssid, "lab-router");
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr) << "a 5 GHz link is no matter: it is not handed on";
  for (const std::string& c : daemon_.commands()) {
    EXPECT_NE(c.rfind("WPS_ER_SET_CONFIG", 0), 0u) << "this host's network is not handed on";
    EXPECT_NE(c.rfind("GET_NETWORK", 0), 0u) << c;
  }
}

TEST_F(ErLearnTest, WithThePrintersPinThePinIsHandedOnAfterTheSettings) {
  auto pin = ParsePin("12345670");
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPin, &pin.value()));
  daemon_.SendEvent(kSettings);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent("WPS_ER_PIN any 12345670"));
}

TEST_F(ErLearnTest, ARefusedApPinIsAWrongPinAndNothingIsPressed) {
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  daemon_.SendEvent("WPS-FAIL msg=8 config_error=18");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRefused) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRefused)->error.code, ErrorCode::kWpsWrongPin);
  EXPECT_EQ(Find(EventKind::kRefused)->error.message.find("87654325"), std::string::npos);
  EXPECT_FALSE(Pressed());
}

TEST_F(ErLearnTest, AnOpenRouterNetworkIsGivenToNoPrinter) {
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  daemon_.SendEvent("WPS-ER-AP-SETTINGS uuid=12345678-9abc-def0-1234-0000000000a1 ssid=cafe auth_type=0x0001 "
                    "encr_type=0x0001 key=");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRefused) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRefused)->error.message,
            "The router gave its network's settings, but its network is open, so cups-wps gives them to no "
            "printer; set up the router's Wi-Fi with WPA2 and a passphrase first.");
  EXPECT_FALSE(Pressed());
}

// Anyone on the LAN may have wpa_supplicant learn another device's
// settings: only the router taken counts.
TEST_F(ErLearnTest, AnotherDevicesSettingsAreNotTheRouters) {
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  daemon_.SendEvent("WPS-ER-AP-SETTINGS uuid=12345678-9abc-def0-1234-0000000000e1 ssid=other auth_type=0x0020 "
                    "encr_type=0x0008 key=passphrase");
  daemon_.SendEvent(kSettings);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRouterSettings)->network.ssid, "lab-router");
}

TEST_F(ErLearnTest, ARouterThatGivesNoSettingsEndsTheRunWithoutAPress) {
  Use({.router_wait = 60ms, .reply_timeout = 200ms, .learn_limit = 100ms});
  er_->UseRouterPin(ParsePin("87654325").value());
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRefused) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRefused)->error.code, ErrorCode::kWpsRefused);
  EXPECT_FALSE(Pressed());
}

// Right after the settings, wpa_supplicant may still be ending the learn
// with the router (an HTTP request of its own), and then drops the press's
// SetSelectedRegistrar without a word (seen over the air): the press is made
// again until wpa_supplicant says the router took it (state=DONE, at debug
// level, which the ER asks for).
TEST_F(ErLearnTest, APressTheRouterDidNotTakeIsMadeAgainUntilItDoes) {
  Use({.router_wait = 60ms, .reply_timeout = 200ms, .press_confirm = 250ms});
  er_->UseRouterPin(ParsePin("87654325").value());
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  EXPECT_TRUE(Sent("LEVEL 2"));
  daemon_.SendEvent(kSettings);
  const std::string press = std::string("WPS_ER_PBC ") + kRouter;
  ASSERT_TRUE(RunUntil([&] { return Count(press) == 2; }));
  daemon_.SendEvent(std::string("WPS-ER-SET-SEL-REG uuid=") + kRouter + " state=DONE");
  // A few confirmation times go by without another press.
  bool waited = false;
  SourceGuard later = ScheduleOnce(context_, 800ms, [&] { waited = true; });
  ASSERT_TRUE(RunUntil([&] { return waited; }));
  EXPECT_EQ(Count(press), 2u);
  EXPECT_EQ(Count("WPS_ER_LEARN " + std::string(kRouter) + " 87654325"), 1u);
}

// A router that restarts its UPnP after giving its settings keeps them in
// wpa_supplicant: it is pressed again, not asked again.
TEST_F(ErLearnTest, ARouterThatComesBackIsPressedAgainWithoutLearning) {
  ASSERT_NO_FATAL_FAILURE(Learning(Method::kPushButton));
  daemon_.SendEvent(kSettings);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  daemon_.SendEvent(std::string("WPS-ER-AP-REMOVE ") + kRouter);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRouterLost) != nullptr; }));
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Count(std::string("WPS_ER_PBC ") + kRouter) == 2; }));
  EXPECT_EQ(Count(kLearn), 1u);
}

}  // namespace
}  // namespace cupswps::wps
