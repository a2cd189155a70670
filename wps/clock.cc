// GlibClock; see clock.h.
#include "wps/clock.h"

namespace cupswps::wps {

std::chrono::milliseconds GlibClock::Now() const {
  return std::chrono::milliseconds(g_get_monotonic_time() / 1000);
}

Timer GlibClock::After(std::chrono::milliseconds delay, std::function<void()> fn) {
  const guint ms = delay.count() <= 0 ? 0 : static_cast<guint>(delay.count());
  auto source = std::make_shared<SourceGuard>(Schedule(context_, ms, [fn = std::move(fn)] {
    fn();
    return false;
  }));
  return Timer([source] { source->reset(); });
}

}  // namespace cupswps::wps
