// SPDX-License-Identifier: Apache-2.0
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
  EXPECT_EQ(s.longest_pause_us, 10);
}

TEST(BrowseStats, TheLongestPauseIsBetweenNewAdvertsNotFromTheStart) {
  BrowseStats s;
  s.started_us = 0;
  s.Announced(2, false, 500'000);
  EXPECT_EQ(s.longest_pause_us, 0);
  s.Announced(2, false, 600'000);
  s.Announced(2, false, 1'000'000);
  s.Announced(2, false, 1'050'000);
  EXPECT_EQ(s.longest_pause_us, 400'000);
}

TEST(BrowseStats, TheSummaryNamesAvahisCacheSetting) {
  BrowseStats s;
  s.started_us = 1'000'000;
  s.cache_read_us = 1'010'000;
  s.Announced(2, false, 1'200'000);
  s.Resolved(2, false, "p.local");
  s.resolved = 1;
  const std::string line = Summary(s, 1'500'000, 96, "quiet time");
  EXPECT_NE(line.find("view complete (quiet time) after 0.50 s: 1 advert(s)"), std::string::npos) << line;
  EXPECT_NE(line.find("cache read at 0.01 s, last new advert at 0.20 s (longest pause between new adverts -), last reply at -"), std::string::npos) << line;
  EXPECT_NE(line.find("busiest link 1 advert(s), about 4 cache records (avahi-daemon keeps cache-entries-max=4096"),
            std::string::npos)
      << line;
}

TEST(BrowseStats, ACacheNearlyFullOnOneLinkIsSaidInOneSentence) {
  BrowseStats s;
  for (int i = 0; i < 900; ++i) {
    s.Announced(2, false, i);
    s.Resolved(2, false, "p" + std::to_string(i) + ".local");
  }
  for (int i = 0; i < 900; ++i) s.Announced(2, true, i);
  EXPECT_FALSE(CacheCeilingNote(s)) << "900 printers with their own host names: 3,600 records fit in 4,096";
  for (int i = 900; i < 930; ++i) {
    s.Announced(2, false, i);
    s.Resolved(2, false, "p" + std::to_string(i) + ".local");
  }
  const auto note = CacheCeilingNote(s);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->rfind("930 adverts on one network interface need about 3720 records", 0), 0u) << *note;
  EXPECT_NE(note->find("cache-entries-max"), std::string::npos);
  EXPECT_NE(note->find("/etc/avahi/avahi-daemon.conf"), std::string::npos);
}

TEST(BrowseStats, DroppedRepliesAreCountedAndNamedWithTheSetting) {
  BrowseStats s;
  s.started_us = 0;
  EXPECT_NE(Summary(s, 1, 96, "quiet time").find("an unknown number of mDNS datagram(s) dropped"), std::string::npos);
  EXPECT_FALSE(DroppedRepliesNote(s));
  s.mdns_drops = 0;
  EXPECT_NE(Summary(s, 1, 96, "quiet time").find("; 0 mDNS datagram(s) dropped by the kernel"), std::string::npos);
  EXPECT_FALSE(DroppedRepliesNote(s)) << "nothing dropped, nothing to say";
  EXPECT_EQ(Summary(s, 1, 96, "time limit").rfind("view not complete (time limit) after", 0), 0u);
  s.mdns_drops = 73;
  const auto note = DroppedRepliesNote(s);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->rfind("The kernel dropped 73 mDNS replies", 0), 0u) << *note;
  EXPECT_NE(note->find("net.core.rmem_default"), std::string::npos);
}

}  // namespace
}  // namespace cupswps::discovery
