// SPDX-License-Identifier: Apache-2.0
// The Clock seam: time and deferred calls for the state machines (wps::Session,
// queues::Watcher, queues::PairedPrinterMatcher). GlibClock runs them on
// a GMainContext with GLib timeouts; tests use a fake on a test-owned context
// that moves time forward by hand, so a 120 s walk time is checked without
// waiting 120 s.
#pragma once

#include <glib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "common/glib.h"

namespace cupswps {

// A pending call; cancelling or destroying it means the call never happens.
class Timer {
 public:
  Timer() = default;
  explicit Timer(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  ~Timer() { Cancel(); }
  Timer(Timer&& o) noexcept : cancel_(std::exchange(o.cancel_, nullptr)) {}
  Timer& operator=(Timer&& o) noexcept {
    if (this != &o) {
      Cancel();
      cancel_ = std::exchange(o.cancel_, nullptr);
    }
    return *this;
  }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  void Cancel() {
    if (cancel_) std::exchange(cancel_, nullptr)();
  }

 private:
  std::function<void()> cancel_;
};

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time.
  virtual std::chrono::milliseconds Now() const = 0;
  // Calls `fn` once from the clock's main context after `delay` (0: soon, but
  // never from inside After itself).
  [[nodiscard]] virtual Timer After(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

// Clock on a GMainContext (nullptr: the default one), which must outlive it.
class GlibClock final : public Clock {
 public:
  explicit GlibClock(GMainContext* context) : context_(context) {}
  std::chrono::milliseconds Now() const override;
  Timer After(std::chrono::milliseconds delay, std::function<void()> fn) override;

 private:
  GMainContext* context_;
};

}  // namespace cupswps
