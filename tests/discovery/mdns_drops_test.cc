// SPDX-License-Identifier: Apache-2.0
#include "discovery/mdns_drops.h"

#include <gtest/gtest.h>

#include <string>

namespace cupswps::discovery {
namespace {

// Lines as Linux 6.x writes /proc/net/udp and udp6 (two sockets of avahi-daemon
// on 5353, one other socket that dropped too).
const std::string kUdp =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref "
    "pointer drops            \n"
    " 4127: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000   102        0 3597142 2 "
    "00000000c7ca015f 66       \n"
    "  310: 0100007F:0277 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 10424 2 "
    "00000000a1b2c3d4 9000     \n";
const std::string kUdp6 =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
    "tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
    " 4127: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 "
    "00:00000000 00000000   102        0 3597143 2 00000000deadbeef 5\n";

TEST(MdnsDrops, SumsTheDropsOfThePort5353SocketsOnly) {
  EXPECT_EQ(ParseMdnsDrops(kUdp), 66u);
  EXPECT_EQ(ParseMdnsDrops(kUdp6), 5u);
}

TEST(MdnsDrops, NoMdnsSocketMeansNoneDropped) {
  EXPECT_EQ(ParseMdnsDrops(kUdp.substr(0, kUdp.find('\n') + 1)), 0u);
}

TEST(MdnsDrops, AnotherFormatIsUnknownNotZero) {
  EXPECT_EQ(ParseMdnsDrops(""), std::nullopt);
  EXPECT_EQ(ParseMdnsDrops("sl local_address rem_address st\n 1: 00000000:14E9 00000000:0000 07\n"), std::nullopt);
}

TEST(MdnsDrops, MalformedRowsAreSkipped) {
  const std::string header = kUdp.substr(0, kUdp.find('\n') + 1);
  EXPECT_EQ(ParseMdnsDrops(header + " 1: 00000000:14E9\n 2: 00000000:14E9 x x x x x x x x x x lots\n"), 0u);
  EXPECT_EQ(ParseMdnsDrops(header + " 1: 00000000:ZZZZ 0 0 0 0 0 0 0 0 0 0 7\n"), 0u);
  EXPECT_EQ(ParseMdnsDrops(header + " 1: 00000000:114E9 0 0 0 0 0 0 0 0 0 0 7\n"), 0u) << "no port above 65535";
}

TEST(MdnsDrops, TheSumStopsAtTheLargestCount) {
  const std::string header = kUdp.substr(0, kUdp.find('\n') + 1);
  const std::string row = " 1: 00000000:14E9 0 0 0 0 0 0 0 0 0 0 18446744073709551615\n";
  EXPECT_EQ(ParseMdnsDrops(header + row + row), UINT64_MAX);
}

TEST(MdnsDrops, ThisMachinesFilesCanBeRead) {
  // Every Linux namespace has /proc/net/udp; the count itself is the kernel's.
  EXPECT_TRUE(MdnsSocketDrops().has_value());
}

}  // namespace
}  // namespace cupswps::discovery
