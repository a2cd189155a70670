// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "backend/scan.h"
#include "discovery/avahi_service_browser.h"

namespace cupswps::backend {
namespace {

constexpr std::size_t kBacklog = discovery::kResolveWindow + 1;

TEST(WaitPastTimeLimit, AViewStillGrowingIsWaitedFor) {
  EXPECT_TRUE(WaitPastTimeLimit(0, 0.1, 3.0, 10.0));
  EXPECT_TRUE(WaitPastTimeLimit(3, 0.49, 3.0, 10.0));
}

TEST(WaitPastTimeLimit, ABacklogOfResolutionsIsWaitedForThoughNothingChanged) {
  // avahi-daemon busy taking in thousands of adverts answers no resolution for seconds.
  EXPECT_TRUE(WaitPastTimeLimit(kBacklog, 3.5, 3.7, 10.0));
  EXPECT_TRUE(WaitPastTimeLimit(1300, 3.5, 9.9, 10.0));
}

TEST(WaitPastTimeLimit, AFewPrintersThatDoNotResolveDoNotHoldTheListingUp) {
  // Printers that went away: avahi-daemon gives up on them after about 5 s.
  EXPECT_FALSE(WaitPastTimeLimit(1, 2.5, 3.0, 10.0));
  EXPECT_FALSE(WaitPastTimeLimit(discovery::kResolveWindow, 2.5, 3.0, 10.0));
}

TEST(WaitPastTimeLimit, ACompleteQuietViewEndsTheWait) {
  EXPECT_FALSE(WaitPastTimeLimit(0, 0.5, 3.0, 10.0));
  EXPECT_FALSE(WaitPastTimeLimit(0, 2.0, 3.0, 10.0));
}

TEST(WaitPastTimeLimit, NeverPastTheGrowLimit) {
  EXPECT_FALSE(WaitPastTimeLimit(kBacklog, 0.0, 10.0, 10.0));
  EXPECT_FALSE(WaitPastTimeLimit(kBacklog, 0.0, 12.0, 10.0));
  EXPECT_FALSE(WaitPastTimeLimit(kBacklog, 0.0, 3.0, 0.0)) << "no grow limit: the time limit is the limit";
}

}  // namespace
}  // namespace cupswps::backend
