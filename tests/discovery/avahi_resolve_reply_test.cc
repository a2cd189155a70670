// SPDX-License-Identifier: Apache-2.0
#include "discovery/avahi_resolve_reply.h"

#include <gtest/gtest.h>
#include <net/if.h>

#include <string>
#include <vector>

namespace cupswps::discovery {
namespace {

// A reply as avahi-daemon sends it: TXT strings last to first.
GVariant* Reply(const char* host, int aprotocol, const char* address, guint16 port,
                const std::vector<std::string>& txt_last_first) {
  GVariantBuilder txt;
  g_variant_builder_init(&txt, G_VARIANT_TYPE("aay"));
  for (const std::string& t : txt_last_first) {
    g_variant_builder_add_value(&txt, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, t.data(), t.size(), 1));
  }
  return g_variant_ref_sink(g_variant_new("(iissssisqaayu)", 1, aprotocol, "P", "_ipp._tcp", "local", host, aprotocol,
                                          address, port, &txt, 0u));
}

AdvertId Id(bool ipv6) { return AdvertId{1, ipv6, "P", ServiceType::kIpp, "local"}; }

TEST(ParseResolveReply, KeepsTheAdvertsTxtOrderAndCleansTheHostName) {
  GVariant* r = Reply("prn\x01host.local", 0, "10.0.0.5", 631, {"rp=second", "rp=first"});
  const auto a = ParseResolveReply(Id(false), r);
  g_variant_unref(r);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address, "10.0.0.5");
  EXPECT_EQ(a->port, 631);
  EXPECT_EQ(a->host_name, "prn host.local");
  EXPECT_EQ(a->txt.Get("rp"), "first") << "the first rp of the advert wins";
}

TEST(ParseResolveReply, GivesALinkLocalAddressItsInterface) {
  char lo[IF_NAMESIZE] = {};
  ASSERT_NE(if_indextoname(1, lo), nullptr);
  GVariant* r = Reply("h.local", 1, "fe80::1", 631, {});
  const auto a = ParseResolveReply(Id(true), r);
  g_variant_unref(r);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address, std::string("fe80::1%") + lo);
  EXPECT_TRUE(a->address_ipv6);
}

TEST(ParseResolveReply, RefusesAnAddressThatIsNotOneOfTheFamilyAskedFor) {
  GVariant* r = Reply("h.local", 0, "not an address; rm -rf /", 631, {});
  EXPECT_FALSE(ParseResolveReply(Id(false), r));
  g_variant_unref(r);
  r = Reply("h.local", 0, "fe80::1", 631, {});
  EXPECT_FALSE(ParseResolveReply(Id(false), r)) << "IPv4 asked, IPv6 given";
  g_variant_unref(r);
}

}  // namespace
}  // namespace cupswps::discovery
