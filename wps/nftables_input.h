// SPDX-License-Identifier: Apache-2.0
// Whether this host's firewall filters what comes in, read from nftables
// (also where Debian's iptables, iptables-nft, keeps its rules), changing
// nothing. Only for the sentence after a router that never answered over
// UPnP: its SSDP answers come back as unicast UDP to the port the M-SEARCH
// left from, which connection tracking does not relate to a multicast
// request, so a stateful "established, related" firewall drops them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cupswps::wps {

// The chains hooked on input that drop or reject (a rule, or their policy),
// as "family table chain", from `nft list ruleset`'s text.
std::vector<std::string> DroppingInputChains(std::string_view ruleset);

// One sentence naming those chains and what they may drop, or "" when the
// ruleset cannot be read (nft missing, not root) or nothing drops.
std::string InputFirewallHint();

}  // namespace cupswps::wps
