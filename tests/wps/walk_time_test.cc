// SPDX-License-Identifier: Apache-2.0
// How long a run may stay armed.
#include "wps/walk_time.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;

struct RunTimeCase {
  Method method;
  Side side;
  int requested;
  long long expected;  // -1: refused
  bool router = false;  // through the home router's External Registrar
};

class RunTimeRules : public ::testing::TestWithParam<RunTimeCase> {};

TEST_P(RunTimeRules, Table) {
  const RunTimeCase& c = GetParam();
  const auto r = RunTime(c.method, c.side, c.router, c.requested);
  if (c.expected < 0) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(r.error().message.empty());
  } else {
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().count(), c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RunTimeRules,
    ::testing::Values(RunTimeCase{Method::kPushButton, Side::kRegistrar, 0, 120},
                      RunTimeCase{Method::kPushButton, Side::kRegistrar, 5, 5},
                      RunTimeCase{Method::kPushButton, Side::kRegistrar, 120, 120},
                      RunTimeCase{Method::kPushButton, Side::kRegistrar, 121, -1},
                      RunTimeCase{Method::kPushButton, Side::kEnrollee, 121, -1},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 0, 120},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 300, 300},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 600, 600},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 601, -1},
                      RunTimeCase{Method::kPin, Side::kEnrollee, 120, 120},
                      RunTimeCase{Method::kPin, Side::kEnrollee, 200, -1},
                      RunTimeCase{Method::kPin, Side::kRegistrar, -1, -1},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 0, 120, /*router=*/true},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 120, 120, /*router=*/true},
                      RunTimeCase{Method::kPin, Side::kRegistrar, 121, -1, /*router=*/true}));

TEST(WalkTime, IsTheStandardsTwoMinutes) { EXPECT_EQ(kWalkTime, 120s); }

}  // namespace
}  // namespace cupswps::wps
