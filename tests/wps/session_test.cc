// SPDX-License-Identifier: Apache-2.0
// The pairing state machine, with fake daemons on a test-owned main context
// and a fake clock: the 120 s walk time passes without waiting.
#include "wps/session.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/support/fake_clock.h"
#include "tests/wps/fake_driver.h"

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;
using cupswps::testing::FakeClock;
using testing::FakeEnrollee;
using testing::FakeRegistrar;
using cupswps::testing::RunPending;

Event Registered(const std::string& mac, const std::string& uuid) {
  Event e;
  e.kind = EventKind::kRegistered;
  e.device.mac = mac;
  e.device.uuid = uuid;
  return e;
}

Event Failed(int message, int config_error) {
  Event e;
  e.kind = EventKind::kFailed;
  e.message = message;
  e.config_error = config_error;
  return e;
}

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : context_(g_main_context_new()), clock_(context_), registrar_(context_), enrollee_(context_) {}
  ~SessionTest() override {
    RunPending(context_);
    g_main_context_unref(context_);
  }

  void StartRegistrar(Method method, std::chrono::seconds run_time = 120s, const Pin* pin = nullptr) {
    session_.emplace(registrar_, clock_, Session::Options{method, run_time});
    Begin(pin);
  }
  void StartEnrollee(Method method, std::chrono::seconds run_time = 120s, const Pin* pin = nullptr) {
    session_.emplace(enrollee_, clock_, Session::Options{method, run_time});
    Begin(pin);
  }
  void Begin(const Pin* pin) {
    session_->Start(pin, Session::Listener{[this](const Progress& s) { phases_.push_back(s.phase); },
                                           [this](const Result<Pairing>& r) {
                                             ++done_calls_;
                                             result_.emplace(r);
                                           }});
    RunPending(context_);
  }
  void Run() { RunPending(context_); }
  ErrorCode Code() const { return result_->ok() ? ErrorCode::kOk : result_->error().code; }
  bool Saw(Progress::Phase p) const { return std::find(phases_.begin(), phases_.end(), p) != phases_.end(); }

  GMainContext* context_;
  FakeClock clock_;
  FakeRegistrar registrar_;
  FakeEnrollee enrollee_;
  std::optional<Session> session_;
  std::vector<Progress::Phase> phases_;
  std::optional<Result<Pairing>> result_;
  int done_calls_ = 0;
};

TEST_F(SessionTest, RegistrarPinSuccessReportsEnrolleeMacAndUuid) {
  auto pin = ParsePin("1234-5670");
  ASSERT_TRUE(pin.ok());
  StartRegistrar(Method::kPin, 120s, &pin.value());
  EXPECT_EQ(registrar_.pin_digits, "12345670");
  EXPECT_EQ(registrar_.timeout, 120s);
  EXPECT_TRUE(Saw(Progress::Phase::kWaiting));
  clock_.Advance(1500ms);
  registrar_.Emit(Registered("02:00:00:00:0a:01", "22222222-3333-4444-5555-66666666666a"));
  Run();
  ASSERT_TRUE(result_.has_value());
  ASSERT_TRUE(result_->ok());
  EXPECT_EQ(result_->value().device.mac, "02:00:00:00:0a:01");
  EXPECT_EQ(result_->value().device.uuid, "22222222-3333-4444-5555-66666666666a");
  EXPECT_EQ(result_->value().elapsed, 1500ms);
  EXPECT_TRUE(registrar_.disarmed_after_success);
  EXPECT_TRUE(session_->finished());
}

TEST_F(SessionTest, KeepsTheNameTheDaemonGaveForTheDevice) {
  StartRegistrar(Method::kPushButton);
  Event seen;
  seen.kind = EventKind::kEnrolleeSeen;
  seen.device = Device{"02:00:00:00:0a:01", "", "Acme LaserJet", kDeviceCategoryPrinter};
  registrar_.Emit(seen);
  registrar_.Emit(Registered("02:00:00:00:0a:01", "22222222-3333-4444-5555-66666666666a"));
  Run();
  ASSERT_TRUE(result_->ok());
  EXPECT_EQ(result_->value().device.name, "Acme LaserJet");
  EXPECT_TRUE(Saw(Progress::Phase::kDeviceSeen));
}

TEST_F(SessionTest, WalkTimeExpiryTimesOutAndDisarms) {
  StartRegistrar(Method::kPushButton);
  clock_.Advance(119s);
  Run();
  EXPECT_FALSE(result_.has_value());
  EXPECT_EQ(session_->Remaining(), 1s);
  clock_.Advance(1s);
  Run();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(Code(), ErrorCode::kTimeout);
  EXPECT_NE(result_->error().message.find("120 s"), std::string::npos);
  EXPECT_TRUE(registrar_.disarmed);
  EXPECT_FALSE(registrar_.disarmed_after_success);
  EXPECT_EQ(session_->Remaining(), 0ms);
}

TEST_F(SessionTest, ShortTimeoutEndsEarlier) {
  StartRegistrar(Method::kPin, 3s);
  clock_.Advance(3s);
  Run();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(Code(), ErrorCode::kTimeout);
}

TEST_F(SessionTest, TimeoutNamesTheLastFailedAttempt) {
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(Failed(5, 16));
  Run();
  EXPECT_TRUE(Saw(Progress::Phase::kRetrying));
  clock_.Advance(120s);
  Run();
  EXPECT_EQ(Code(), ErrorCode::kTimeout);
  EXPECT_NE(result_->error().detail.find("configuration error 16"), std::string::npos);
}

TEST_F(SessionTest, CancelDisarmsBeforeReporting) {
  registrar_.hold_disarm = true;
  StartRegistrar(Method::kPushButton);
  session_->Cancel();
  Run();
  EXPECT_TRUE(registrar_.disarmed);
  EXPECT_FALSE(result_.has_value()) << "done must wait for the daemon to be disarmed";
  registrar_.ConfirmDisarm();
  Run();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(Code(), ErrorCode::kCancelled);
  EXPECT_EQ(registrar_.disarm_calls, 1);
}

TEST_F(SessionTest, CancelWhileArmingStillDisarms) {
  registrar_.arm_answer = EventKind::kOther;  // the daemon has not answered yet
  StartRegistrar(Method::kPushButton);
  session_->Cancel();
  Run();
  EXPECT_TRUE(registrar_.disarmed);
  EXPECT_EQ(Code(), ErrorCode::kCancelled);
}

TEST_F(SessionTest, WrongPinEndsTheRunAtOnce) {
  StartRegistrar(Method::kPin);
  registrar_.Emit(Failed(8, kConfigErrorPasswordMismatch));
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsWrongPin);
  EXPECT_TRUE(registrar_.disarmed);
  EXPECT_FALSE(registrar_.disarmed_after_success);
}

TEST_F(SessionTest, PbcOverlapAbortsPairing) {
  registrar_.hold_disarm = true;
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(EventKind::kOverlap);
  // hostapd may still finish an exchange it had started; it does not count.
  registrar_.Emit(Registered("02:00:00:00:0a:01", "22222222-3333-4444-5555-66666666666a"));
  Run();
  registrar_.ConfirmDisarm();
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsOverlap);
  EXPECT_EQ(done_calls_, 1);
  EXPECT_FALSE(registrar_.disarmed_after_success);
}

TEST_F(SessionTest, OverlapAsAConfigurationErrorToo) {
  StartEnrollee(Method::kPushButton);
  enrollee_.Emit(Failed(4, kConfigErrorMultiplePbc));
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsOverlap);
}

TEST_F(SessionTest, OtherFailuresLetTheDeviceTryAgain) {
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(Failed(7, 16));
  Run();
  EXPECT_FALSE(result_.has_value());
  registrar_.Emit(Registered("02:00:00:00:0a:01", "22222222-3333-4444-5555-66666666666a"));
  Run();
  EXPECT_TRUE(result_->ok());
}

TEST_F(SessionTest, DaemonGoneEndsTheRun) {
  StartRegistrar(Method::kPushButton);
  Event gone;
  gone.kind = EventKind::kGone;
  gone.error = Error{ErrorCode::kWpsDaemonGone, "hostapd went away.", "recv"};
  registrar_.Emit(gone);
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsDaemonGone);
  EXPECT_EQ(result_->error().message, "hostapd went away.");
}

TEST_F(SessionTest, NoDaemonAtArmIsReported) {
  registrar_.arm_answer = EventKind::kUnavailable;
  StartRegistrar(Method::kPushButton);
  EXPECT_EQ(Code(), ErrorCode::kWpsNoDaemon);
}

TEST_F(SessionTest, RefusalIsReported) {
  registrar_.arm_answer = EventKind::kOther;
  StartRegistrar(Method::kPushButton);
  Event refused;
  refused.kind = EventKind::kRefused;
  refused.error = Error{ErrorCode::kWpsRefused, "hostapd refused push-button mode.", ""};
  registrar_.Emit(refused);
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsRefused);
}

TEST_F(SessionTest, SomeoneElseDisarmingEndsTheRun) {
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(EventKind::kDisarmed);
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsFailed);
}

TEST_F(SessionTest, RegistrarGoesOnWhenOnlyTheApPinIsLocked) {
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(EventKind::kLocked);
  Run();
  EXPECT_FALSE(result_.has_value());
  EXPECT_TRUE(Saw(Progress::Phase::kApLocked));
}

TEST_F(SessionTest, EnrolleeLockedOutFails) {
  StartEnrollee(Method::kPin);
  enrollee_.Emit(Failed(8, kConfigErrorSetupLocked));
  Run();
  EXPECT_EQ(Code(), ErrorCode::kWpsLocked);
}

TEST_F(SessionTest, EnrolleeSuccessCarriesTheNetworkReceived) {
  StartEnrollee(Method::kPushButton);
  Event m2d;
  m2d.kind = EventKind::kM2d;
  enrollee_.Emit(m2d);
  Event cred;
  cred.kind = EventKind::kCredentials;
  cred.network = NetworkCredentials{"cups-wps-lab", {"wpa2-psk"}, {"aes"}, true};
  enrollee_.Emit(cred);
  enrollee_.Emit(EventKind::kSuccess);
  Run();
  ASSERT_TRUE(result_->ok());
  ASSERT_EQ(result_->value().networks.size(), 1u);
  EXPECT_EQ(result_->value().networks[0].ssid, "cups-wps-lab");
  EXPECT_TRUE(Saw(Progress::Phase::kNotReady));
  // Cancelling now would cut off the connection just made.
  EXPECT_TRUE(enrollee_.disarmed_after_success);
}

TEST_F(SessionTest, RegistrarIgnoresItsOwnSuccessEventAndEnrolleeIgnoresRegistered) {
  StartRegistrar(Method::kPushButton);
  registrar_.Emit(EventKind::kSuccess);
  Run();
  EXPECT_FALSE(result_.has_value());
  StartEnrollee(Method::kPushButton);
  enrollee_.Emit(Registered("02:00:00:00:0a:01", ""));
  Run();
  EXPECT_FALSE(result_.has_value());
}

TEST_F(SessionTest, TheDaemonsOwnTimeoutEndsTheRun) {
  StartEnrollee(Method::kPushButton);
  enrollee_.Emit(EventKind::kTimeout);
  Run();
  EXPECT_EQ(Code(), ErrorCode::kTimeout);
}

TEST_F(SessionTest, DoneIsNeverCalledFromInsideStartOrCancel) {
  registrar_.arm_answer = EventKind::kUnavailable;
  session_.emplace(registrar_, clock_, Session::Options{Method::kPushButton, 120s});
  session_->Start(nullptr, Session::Listener{nullptr, [this](const Result<Pairing>&) { ++done_calls_; }});
  session_->Cancel();
  EXPECT_EQ(done_calls_, 0);
  Run();
  EXPECT_EQ(done_calls_, 1);
}

TEST_F(SessionTest, RemainingFollowsTheClock) {
  StartEnrollee(Method::kPin, 60s);
  EXPECT_EQ(session_->Remaining(), 60s);
  clock_.Advance(15s);
  EXPECT_EQ(session_->Remaining(), 45s);
}

TEST(SessionProgress, SaysWhatIsHappening) {
  Progress seen{Progress::Phase::kDeviceSeen, Device{"02:00:00:00:0a:01", "", "Acme One", 3}, 0};
  EXPECT_EQ(DescribeProgress(seen, Side::kRegistrar, Method::kPushButton), "printer seen: Acme One (02:00:00:00:0a:01)");
  EXPECT_EQ(DescribeProgress(Progress{Progress::Phase::kWaiting, {}, 0}, Side::kRegistrar, Method::kPushButton),
            "waiting for the printer's button");
  Progress exchanging{Progress::Phase::kExchanging, Device{"02:00:00:00:0a:01", "", "", 0}, 0};
  EXPECT_EQ(DescribeProgress(exchanging, Side::kRegistrar, Method::kPin), "exchanging keys with 02:00:00:00:0a:01");
}

}  // namespace
}  // namespace cupswps::wps
