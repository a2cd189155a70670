// SPDX-License-Identifier: Apache-2.0
// Canonical identifiers from untrusted text.
#include "common/ids.h"

#include <gtest/gtest.h>

namespace cupswps {
namespace {

TEST(Ids, NormalizesUuids) {
  EXPECT_EQ(NormalizeUuid("urn:uuid:FBA4DF06-019D-30C1-59E7-8B56D39CDB42"), "fba4df06-019d-30c1-59e7-8b56d39cdb42");
  EXPECT_EQ(NormalizeUuid("FBA4DF06-019D-30C1-59E7-8B56D39CDB42"), "fba4df06-019d-30c1-59e7-8b56d39cdb42");
  EXPECT_EQ(NormalizeUuid("fba4df06019d30c159e78b56d39cdb42"), "");
  EXPECT_EQ(NormalizeUuid("fba4df06-019d-30c1-59e7-8b56d39cdb4g"), "");
  EXPECT_EQ(NormalizeUuid("00000000-0000-0000-0000-000000000000"), "") << "the nil UUID names nothing";
  EXPECT_EQ(NormalizeUuid(""), "");
}

TEST(Ids, NormalizesMacAddresses) {
  EXPECT_EQ(NormalizeMac("02:00:00:00:0A:01"), "02:00:00:00:0a:01");
  EXPECT_EQ(NormalizeMac("02-00-00-00-0a-01"), "");
  EXPECT_EQ(NormalizeMac("02:00:00:00:0a:01 "), "");
  EXPECT_EQ(NormalizeMac("02:00:00:00:0a"), "");
}

}  // namespace
}  // namespace cupswps
