// SPDX-License-Identifier: Apache-2.0
// GlibClock; see clock.h.
#include "common/clock.h"

namespace cupswps {

std::chrono::milliseconds GlibClock::Now() const {
  return std::chrono::milliseconds(g_get_monotonic_time() / 1000);
}

Timer GlibClock::After(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto source = std::make_shared<SourceGuard>(ScheduleOnce(context_, delay, std::move(fn)));
  return Timer([source] { source->reset(); });
}

}  // namespace cupswps
