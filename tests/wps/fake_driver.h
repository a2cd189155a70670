// SPDX-License-Identifier: Apache-2.0
// Hand-written fakes of the two seams, with manipulation methods: the test
// plays the daemon by calling Emit(). Like the real drivers, they call back
// through the main context, never from inside Arm or Disarm.
#pragma once

#include <glib.h>

#include <string>
#include <vector>

#include "wps/enrollee.h"
#include "common/glib.h"
#include "wps/registrar.h"

namespace cupswps::wps::testing {

template <typename Seam>
class FakeDriver final : public Seam {
 public:
  explicit FakeDriver(GMainContext* context) : poster_(context) {}

  // What Arm answers by itself (kArmed); kOther: nothing, the test answers.
  EventKind arm_answer = EventKind::kArmed;

  std::string Describe() const override { return "fake daemon"; }

  void Arm(const Arming& arming, WpsDriver::EventSink sink) override {
    ++arm_calls;
    method = arming.method;
    timeout = arming.timeout;
    if (arming.pin != nullptr) pin_digits = std::string(arming.pin->digits());
    sink_ = std::move(sink);
    if (arm_answer != EventKind::kOther) {
      Event e;
      e.kind = arm_answer;
      if (arm_answer != EventKind::kArmed) e.error = Error{ErrorCode::kWpsNoDaemon, "no fake daemon", "fake"};
      Emit(e);
    }
  }

  void Disarm(bool run_succeeded, std::function<void()> done) override {
    ++disarm_calls;
    disarmed_after_success = run_succeeded;
    disarmed = true;
    if (hold_disarm) {
      held_done_ = std::move(done);
      return;
    }
    poster_.Post(std::move(done));
  }

  // The daemon reports something (delivered at the next loop iteration).
  void Emit(Event e) {
    poster_.Post([this, e] {
      if (sink_) sink_(e);  // also after Disarm: the session must ignore late events
    });
  }
  void Emit(EventKind kind) {
    Event e;
    e.kind = kind;
    Emit(e);
  }
  // Lets a held Disarm complete.
  void ConfirmDisarm() {
    if (held_done_) poster_.Post(std::move(held_done_));
  }

  int arm_calls = 0;
  int disarm_calls = 0;
  bool disarmed = false;
  bool disarmed_after_success = false;
  bool hold_disarm = false;  // Disarm waits for ConfirmDisarm()
  Method method = Method::kPushButton;
  std::chrono::seconds timeout{0};
  std::string pin_digits;  // a test PIN, not a secret

 private:
  WpsDriver::EventSink sink_;
  std::function<void()> held_done_;
  Poster poster_;
};

using FakeRegistrar = FakeDriver<WpsRegistrar>;
using FakeEnrollee = FakeDriver<WpsEnrollee>;

}  // namespace cupswps::wps::testing
