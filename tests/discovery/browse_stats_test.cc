#include "discovery/browse_stats.h"

#include <gtest/gtest.h>

namespace cupswps::discovery {
namespace {

TEST(BrowseStats, CountsAdvertsPerInterfaceAndProtocol) {
  BrowseStats s;
  s.Announced(2, false, 10);
  s.Announced(2, true, 20);
  s.Announced(2, false, 30);
  s.Announced(3, false, 40);
  EXPECT_EQ(s.adverts, 4u);
  EXPECT_EQ(s.BusiestLink(), 2u);
  EXPECT_EQ(s.last_new_us, 40);
}

TEST(BrowseStats, TheSummaryNamesAvahisCacheSetting) {
  BrowseStats s;
  s.started_us = 1'000'000;
  s.cache_read_us = 1'010'000;
  s.Announced(2, false, 1'200'000);
  s.resolved = 1;
  const std::string line = Summary(s, 1'500'000, 96, "quiet time");
  EXPECT_NE(line.find("view complete (quiet time) after 0.50 s: 1 advert(s)"), std::string::npos) << line;
  EXPECT_NE(line.find("cache read at 0.01 s, last new advert at 0.20 s, last reply at -"), std::string::npos) << line;
  EXPECT_NE(line.find("cache-entries-max=4096 records per link by default, 1365 adverts"), std::string::npos)
      << line;
}

TEST(BrowseStats, ACacheNearlyFullOnOneLinkIsSaidInOneSentence) {
  BrowseStats s;
  for (int i = 0; i < 1200; ++i) s.Announced(2, false, i);
  for (int i = 0; i < 1200; ++i) s.Announced(2, true, i);
  EXPECT_FALSE(CacheCeilingNote(s)) << "1,200 adverts per link fit in 4,096 records";
  for (int i = 0; i < 100; ++i) s.Announced(2, true, i);
  const auto note = CacheCeilingNote(s);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->rfind("1300 adverts on one network interface", 0), 0u) << *note;
  EXPECT_NE(note->find("cache-entries-max"), std::string::npos);
  EXPECT_NE(note->find("/etc/avahi/avahi-daemon.conf"), std::string::npos);
}

}  // namespace
}  // namespace cupswps::discovery
