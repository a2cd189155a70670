// SPDX-License-Identifier: Apache-2.0
// Which nftables chains filter what comes in, from `nft list ruleset` as
// nft 1.0.6 (Debian 12) prints it. The firewall itself, in the lab's ws:
// tests/integration/router_setup_integration_test.cc.
#include "wps/nftables_input.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

using Chains = std::vector<std::string>;

TEST(NftablesInput, ARuleThatDropsOnTheInputHookCounts) {
  EXPECT_EQ(DroppingInputChains("table inet cupswps_test {\n"
                                "\tchain input {\n"
                                "\t\ttype filter hook input priority filter; policy accept;\n"
                                "\t\tudp dport 1900 drop\n"
                                "\t}\n"
                                "}\n"),
            Chains{"inet cupswps_test input"});
}

// iptables-nft (Debian's iptables) keeps its rules as nftables chains.
TEST(NftablesInput, ADropPolicyCountsAndEachTableIsNamed) {
  EXPECT_EQ(DroppingInputChains("table ip filter {\n"
                                "\tchain INPUT {\n"
                                "\t\ttype filter hook input priority filter; policy drop;\n"
                                "\t\tct state established,related accept\n"
                                "\t}\n"
                                "\tchain FORWARD {\n"
                                "\t\ttype filter hook forward priority filter; policy drop;\n"
                                "\t}\n"
                                "}\n"
                                "table inet firewalld {\n"
                                "\tchain filter_INPUT {\n"
                                "\t\ttype filter hook input priority filter + 10; policy accept;\n"
                                "\t\treject with icmpx admin-prohibited\n"
                                "\t}\n"
                                "}\n"),
            (Chains{"ip filter INPUT", "inet firewalld filter_INPUT"}));
}

TEST(NftablesInput, AcceptingOrOtherHooksOrNothingAreNoFirewall) {
  EXPECT_EQ(DroppingInputChains(""), Chains{});
  // Debian's /etc/nftables.conf as shipped.
  EXPECT_EQ(DroppingInputChains("table inet filter {\n"
                                "\tchain input {\n"
                                "\t\ttype filter hook input priority filter;\n"
                                "\t}\n"
                                "\tchain output {\n"
                                "\t\ttype filter hook output priority filter; policy drop;\n"
                                "\t}\n"
                                "\tchain drop_input {\n"
                                "\t\tip saddr 10.0.0.1 accept\n"
                                "\t}\n"
                                "}\n"),
            Chains{});
}

}  // namespace
}  // namespace cupswps::wps
