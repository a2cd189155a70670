// SPDX-License-Identifier: Apache-2.0
#include "discovery/wps_uri.h"

#include <gtest/gtest.h>

namespace cupswps::discovery {
namespace {

TEST(WpsUri, UuidFormRoundTrips) {
  Printer p;
  p.uuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
  p.name = "Office";
  const std::string uri = FormatWpsUri(p);
  EXPECT_EQ(uri, "wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42");
  const auto parsed = ParseWpsUri(uri);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->uuid, p.uuid);
}

TEST(WpsUri, NameFormEncodesEverythingButUnreserved) {
  Printer p;
  p.name = "Salle 2/B #1 é";
  const std::string uri = FormatWpsUri(p);
  EXPECT_EQ(uri, "wps://name/Salle%202%2FB%20%231%20%C3%A9");
  EXPECT_EQ(ParseWpsUri(uri)->name, p.name);
}

TEST(WpsUri, RejectsMalformedUris) {
  for (const char* bad : {"wps://", "wps://uuid/", "wps://uuid/not-a-uuid", "ipp://uuid/x", "wps://other/x",
                          "wps://name/", "wps://name/%0aInjected", "wps://name/%zz", "wps://name/%4",
                          "wps://name/%FF"}) {
    EXPECT_FALSE(ParseWpsUri(bad)) << bad;
  }
}

}  // namespace
}  // namespace cupswps::discovery
