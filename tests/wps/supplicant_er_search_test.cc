// SPDX-License-Identifier: Apache-2.0
// SupplicantExternalRegistrar finding its router (supplicant_er_search.cc):
// the repeated search, the choice among devices that answer, --router-uuid,
// and a router that leaves UPnP and comes back. The real ones:
// tests/integration/router_setup_integration_test.cc.
#include "tests/wps/er_fixture.h"

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;

TEST_F(ErTest, OfTwoRoutersThisHostsAccessPointIsTaken) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  ExtenderAndRouterAnswer();
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3"));
  EXPECT_TRUE(Sent(std::string("WPS_ER_PBC ") + kRouter));
  EXPECT_FALSE(Sent("WPS_ER_PBC 12345678-9abc-def0-1234-0000000000e1"));
  EXPECT_EQ(Find(EventKind::kRouterFound)->device.name, "Lab Router");
}

TEST_F(ErTest, TheOnlyRouterIsTakenWhenItsMacIsNotTheAccessPoints) {
  OnAnotherAccessPoint();
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  EXPECT_TRUE(Sent(std::string("WPS_ER_PBC ") + kRouter));
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErTest, SeveralRoutersNoneOfThemThisHostsAccessPointAreNamedAndNoneIsGuessed) {
  OnAnotherAccessPoint();
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  ExtenderAndRouterAnswer();
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& error = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(error.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(error.message,
            "2 devices answer as WPS routers over UPnP ('Extender' (02:00:00:00:0e:01, "
            "12345678-9abc-def0-1234-0000000000e1), 'Lab Router' (02:00:00:00:01:02, "
            "12345678-9abc-def0-1234-0000000000a1)), and none is the access point this computer is connected to "
            "(02:00:00:00:01:99), so cups-wps does not guess (--router-uuid UUID picks one).");
  for (const std::string& c : daemon_.commands()) {
    EXPECT_NE(c.rfind("WPS_ER_SET_CONFIG", 0), 0u) << c;
    EXPECT_NE(c.rfind("WPS_ER_PBC", 0), 0u) << c;
  }
}

TEST_F(ErTest, ARouterThatLeftIsNoLongerAChoice) {
  OnAnotherAccessPoint();
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  ExtenderAndRouterAnswer();
  daemon_.SendEvent("WPS-ER-AP-REMOVE 12345678-9abc-def0-1234-0000000000e1");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_PBC ") + kRouter));
}

TEST_F(ErTest, ARouterThatDoesNotAnswerOverUpnpHasNoWpsForComputers) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_FALSE(Sent(std::string("WPS_ER_PBC ") + kRouter));
}

TEST_F(ErTest, WhileNoRouterAnsweredTheSearchIsRepeatedWithProgress) {
  OnAnotherAccessPoint();
  Use({.router_wait = 600ms, .reply_timeout = 200ms, .search_interval = 100ms});
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Count("WPS_ER_START") == 2; }));
  ASSERT_NE(Find(EventKind::kRouterSearch), nullptr);
  EXPECT_EQ(Find(EventKind::kRouterSearch)->left_s, 1) << "500 ms left, rounded up";
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_PBC ") + kRouter));
  EXPECT_EQ(Count("WPS_ER_START"), 2u) << "no search after the router answered";
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErTest, NoRouterAtAllSaysHowLongAndHowOftenAndWhyItMayBe) {
  Use({.router_wait = 300ms, .reply_timeout = 200ms, .search_interval = 100ms,
       .silence_hint = [] { return std::string("A firewall here drops them."); }});
  Arm(Method::kPin, nullptr);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message, "The router did not answer over UPnP within 1 s (asked 3 times). A firewall here drops them.");
  EXPECT_EQ(Count("WPS_ER_START"), 3u);
}

TEST_F(ErTest, TheRouterNamedByUuidIsTakenAtOnce) {
  OnAnotherAccessPoint();
  Use({.router_wait = 10s, .reply_timeout = 200ms, .router_uuid = kRouter});
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  ExtenderAndRouterAnswer();
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }, 1 * G_USEC_PER_SEC));
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3"));
  EXPECT_FALSE(Sent("WPS_ER_SET_CONFIG 12345678-9abc-def0-1234-0000000000e1 3"));
}

TEST_F(ErTest, ARouterUuidThatNobodyAnswersWithArmsNothingAndNamesWhoDid) {
  Use({.router_wait = 200ms, .reply_timeout = 200ms, .search_interval = 100ms,
       .router_uuid = "12345678-9abc-def0-1234-0000000000ff"});
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.message,
            "No router with UUID 12345678-9abc-def0-1234-0000000000ff answered over UPnP within 1 s; these did: "
            "'Lab Router' (02:00:00:00:01:02, 12345678-9abc-def0-1234-0000000000a1).");
  EXPECT_FALSE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3"));
}

TEST_F(ErTest, TheRouterLeavingAndComingBackGetsThePinAgain) {
  auto pin = ParsePin("12345670");
  ASSERT_TRUE(pin.ok());
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPin, &pin.value()));
  daemon_.SendEvent(std::string("WPS-ER-AP-REMOVE ") + kRouter);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRouterLost) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRouterLost)->left_s, 30);
  daemon_.SendEvent(kRouterAdd);
  auto armed = [&] {
    return std::count_if(events_.begin(), events_.end(), [](const Event& e) { return e.kind == EventKind::kArmed; });
  };
  ASSERT_TRUE(RunUntil([&] { return armed() == 2; }));
  EXPECT_EQ(Count("WPS_ER_PIN any 12345670"), 2u);
  EXPECT_EQ(Count(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3"), 2u);
  EXPECT_EQ(Find(EventKind::kGone), nullptr);
}

TEST_F(ErTest, TheRouterComingBackIsPressedAgainAndAnotherRoutersArrivalIsNoNews) {
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  daemon_.SendEvent(std::string("WPS-ER-AP-REMOVE ") + kRouter);
  ExtenderAndRouterAnswer();
  ASSERT_TRUE(RunUntil([&] { return Count(std::string("WPS_ER_PBC ") + kRouter) == 2; }));
  EXPECT_FALSE(Sent("WPS_ER_PBC 12345678-9abc-def0-1234-0000000000e1"));
}

TEST_F(ErTest, ARouterThatDoesNotComeBackEndsTheRunSayingSo) {
  Use({.router_wait = 60ms, .reply_timeout = 200ms, .router_return = 100ms});
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  daemon_.SendEvent(std::string("WPS-ER-AP-REMOVE ") + kRouter);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kGone) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kGone)->error.message,
            "The router stopped answering over UPnP during pairing and did not come back within 1 s.");
  ASSERT_NE(Find(EventKind::kRouterLost), nullptr);
}

}  // namespace
}  // namespace cupswps::wps
