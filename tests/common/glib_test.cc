// SPDX-License-Identifier: Apache-2.0
// The GLib toolkit: timeouts longer than GLib's millisecond limit.
#include "common/glib.h"

#include <gtest/gtest.h>

namespace cupswps {
namespace {

using namespace std::chrono_literals;

std::chrono::milliseconds DueIn(GSource* s) {
  return std::chrono::milliseconds((g_source_get_ready_time(s) - g_get_monotonic_time()) / 1000);
}

// A GSource is attached to get its ready time computed.
struct Attached {
  explicit Attached(GSource* s) : source(s), context(g_main_context_new()) { g_source_attach(source, context); }
  ~Attached() {
    g_source_destroy(source);
    g_source_unref(source);
    g_main_context_unref(context);
  }
  GSource* source;
  GMainContext* context;
};

TEST(Timeouts, DelaysOverFortyNineDaysDoNotWrapAround) {
  const auto hundred_days = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::hours(100 * 24));
  Attached t(NewTimeoutSource(hundred_days));
  EXPECT_GT(DueIn(t.source), hundred_days - 2s);
  EXPECT_LT(DueIn(t.source), hundred_days + 2s);
}

TEST(Timeouts, ShortDelaysKeepMilliseconds) {
  Attached t(NewTimeoutSource(250ms));
  EXPECT_GT(DueIn(t.source), 200ms);
  EXPECT_LE(DueIn(t.source), 250ms);
}

}  // namespace
}  // namespace cupswps
