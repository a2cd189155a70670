// SPDX-License-Identifier: Apache-2.0
// HostapdRegistrar and its control-socket client against a scripted fake
// socket: the command sequence, reply handling and a daemon that dies or
// hangs. The real hostapd is in pair_integration_test.cc.
#include "wps/hostapd_registrar.h"

#include <gtest/gtest.h>

#include "tests/wps/fake_ctrl_daemon.h"

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;
using testing::FakeCtrlDaemon;

class HostapdRegistrarTest : public ::testing::Test {
 protected:
  HostapdRegistrarTest()
      : context_(g_main_context_new()),
        daemon_(context_),
        registrar_(context_, daemon_.path(), HostapdRegistrar::Options{"hostapd", 20ms, 200ms}) {}
  ~HostapdRegistrarTest() override { g_main_context_unref(context_); }

  void Arm(Method method, const Pin* pin = nullptr, std::chrono::seconds timeout = 120s) {
    registrar_.Arm(Arming{method, pin, timeout}, [this](const Event& e) { events_.push_back(e); });
  }
  // Runs the loop until `pred` holds or 3 s pass (the fake answers at once;
  // only the ping and reply timers take real, short, time).
  bool RunUntil(const std::function<bool()>& pred) {
    return testing::RunUntil(context_, pred);
  }
  bool Got(EventKind kind) const {
    for (const Event& e : events_) {
      if (e.kind == kind) return true;
    }
    return false;
  }
  const Event* Find(EventKind kind) const {
    for (const Event& e : events_) {
      if (e.kind == kind) return &e;
    }
    return nullptr;
  }

  GMainContext* context_;
  FakeCtrlDaemon daemon_;
  HostapdRegistrar registrar_;
  std::vector<Event> events_;
};

TEST_F(HostapdRegistrarTest, AttachesThenArmsPushButton) {
  Arm(Method::kPushButton);
  EXPECT_TRUE(events_.empty()) << "nothing is reported from inside Arm";
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  ASSERT_GE(daemon_.commands().size(), 2u);
  EXPECT_EQ(daemon_.commands()[0], "ATTACH");
  EXPECT_EQ(daemon_.commands()[1], "WPS_PBC");
}

TEST_F(HostapdRegistrarTest, PinCommandCarriesThePinAndTheTimeout) {
  auto pin = ParsePin("1234-5670");
  ASSERT_TRUE(pin.ok());
  Arm(Method::kPin, &pin.value(), 90s);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  EXPECT_EQ(daemon_.commands()[1], "WPS_PIN any 12345670 90");
}

TEST_F(HostapdRegistrarTest, EventsArriveParsed) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  daemon_.SendEvent("WPS-REG-SUCCESS 02:00:00:00:0a:01 22222222-3333-4444-5555-66666666666a");
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kRegistered); }));
  EXPECT_EQ(Find(EventKind::kRegistered)->device.mac, "02:00:00:00:0a:01");
}

TEST_F(HostapdRegistrarTest, RefusalIsReportedWithASentence) {
  daemon_.replies["WPS_PBC"] = "FAIL";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kRefused); }));
  EXPECT_NE(Find(EventKind::kRefused)->error.message.find("refused push-button mode"), std::string::npos);
}

TEST_F(HostapdRegistrarTest, DisarmCancelsThenDetaches) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  bool done = false;
  registrar_.Disarm(false, [&] { done = true; });
  EXPECT_FALSE(done);
  ASSERT_TRUE(RunUntil([&] { return done; }));
  const auto& c = daemon_.commands();
  ASSERT_GE(c.size(), 4u);
  EXPECT_EQ(c[c.size() - 2], "WPS_CANCEL");
  EXPECT_EQ(c.back(), "DETACH");
}

TEST_F(HostapdRegistrarTest, AfterSuccessItOnlyDetaches) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  bool done = false;
  registrar_.Disarm(true, [&] { done = true; });
  ASSERT_TRUE(RunUntil([&] { return done; }));
  for (const std::string& c : daemon_.commands()) EXPECT_NE(c, "WPS_CANCEL");
  EXPECT_EQ(daemon_.commands().back(), "DETACH");
}

TEST_F(HostapdRegistrarTest, DisarmWhileArmingStillCancels) {
  Arm(Method::kPushButton);
  bool done = false;
  registrar_.Disarm(false, [&] { done = true; });
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(daemon_.commands(), (std::vector<std::string>{"ATTACH", "WPS_PBC", "WPS_CANCEL", "DETACH"}));
  EXPECT_FALSE(Got(EventKind::kArmed)) << "no events after Disarm";
}

TEST_F(HostapdRegistrarTest, ADeadDaemonIsNoticedByThePing) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  daemon_.Die();
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kGone); }));
  EXPECT_EQ(Find(EventKind::kGone)->error.code, ErrorCode::kWpsDaemonGone);
  EXPECT_NE(Find(EventKind::kGone)->error.message.find("went away"), std::string::npos);
  bool done = false;
  registrar_.Disarm(false, [&] { done = true; });
  ASSERT_TRUE(RunUntil([&] { return done; }));
}

TEST_F(HostapdRegistrarTest, AHungDaemonIsGoneAfterTheReplyTimeout) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  daemon_.silent = true;
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kGone); }));
}

TEST_F(HostapdRegistrarTest, TerminatingDaemonIsGone) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kArmed); }));
  daemon_.SendEvent("CTRL-EVENT-TERMINATING ");
  ASSERT_TRUE(RunUntil([&] { return Got(EventKind::kGone); }));
}

TEST(HostapdRegistrarNoDaemon, MissingSocketIsNoDaemon) {
  GMainContext* context = g_main_context_new();
  {
    HostapdRegistrar registrar(context, "/nonexistent/hostapd/wlan0");
    std::vector<Event> events;
    registrar.Arm(Arming{}, [&](const Event& e) { events.push_back(e); });
    while (g_main_context_iteration(context, FALSE)) {
    }
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::kUnavailable);
    EXPECT_EQ(events[0].error.code, ErrorCode::kWpsNoDaemon);
    EXPECT_NE(events[0].error.message.find("/nonexistent/hostapd/wlan0"), std::string::npos);
  }
  g_main_context_unref(context);
}

}  // namespace
}  // namespace cupswps::wps
