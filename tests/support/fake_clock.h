// SPDX-License-Identifier: Apache-2.0
// A Clock whose time moves only when the test says so. Due calls are posted
// to the test's own GMainContext, so they still run through a main loop, as
// with GlibClock; RunPending() runs them.
#pragma once

#include <glib.h>

#include <chrono>
#include <map>

#include "common/clock.h"

namespace cupswps::testing {

// Runs everything `context` has ready, without blocking.
inline void RunPending(GMainContext* context) {
  while (g_main_context_iteration(context, FALSE)) {
  }
}

class FakeClock final : public Clock {
 public:
  explicit FakeClock(GMainContext* context) : context_(context) {}

  std::chrono::milliseconds Now() const override { return now_; }

  Timer After(std::chrono::milliseconds delay, std::function<void()> fn) override {
    const int id = next_id_++;
    timers_[id] = Entry{now_ + (delay.count() > 0 ? delay : std::chrono::milliseconds(0)), std::move(fn), {}};
    PostDue();
    return Timer([this, id] { timers_.erase(id); });
  }

  // Moves time forward; what falls due runs at the next RunPending.
  void Advance(std::chrono::milliseconds by) {
    now_ += by;
    PostDue();
  }

  std::size_t pending_timers() const { return timers_.size(); }

 private:
  struct Entry {
    std::chrono::milliseconds due;
    std::function<void()> fn;
    SourceGuard posted;
  };

  void PostDue() {
    for (auto& [id, entry] : timers_) {
      if (entry.due > now_ || entry.posted.active()) continue;
      entry.posted = Schedule(context_, 0, [this, id = id] {
        auto it = timers_.find(id);
        if (it == timers_.end()) return false;
        std::function<void()> fn = std::move(it->second.fn);
        timers_.erase(it);
        fn();
        return false;
      });
    }
  }

  GMainContext* context_;
  std::chrono::milliseconds now_{1000000};
  int next_id_ = 1;
  std::map<int, Entry> timers_;
};

}  // namespace cupswps::testing
