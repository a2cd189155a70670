// SPDX-License-Identifier: Apache-2.0
// Datagrams the kernel dropped at this network namespace's mDNS sockets
// (UDP port 5353, avahi-daemon's) because their receive buffer was full.
//
// avahi-daemon does not size its socket's receive buffer, so it gets
// net.core.rmem_default (208 KiB on Debian 12). When a browse starts with a
// cold cache, every responder answers within the same 20-120 ms; with a few
// hundred printers that burst outruns avahi-daemon (which spends about a
// second of CPU taking in a thousand printers' records) and the kernel drops
// the rest. Those printers reach avahi-daemon only when it asks again (its
// querier repeats a question 1, 3, 7, 15 ... s after the first), and the
// answers to that come as a burst too. Measured in the lab with 1,000
// printers: 66-212 of 270-390 datagrams dropped in every cold browse, by
// avahi-browse alone as much as by cups-wps, and still some printers
// missing after 20 s; with avahi-daemon's buffer at 1 MiB none dropped.
// avahi-daemon's own cost grows with the square of the printers (it
// compares each record that comes with every cached record of the same
// name): 0.23 s of CPU to take in 500, 1.1 s for 1,000.
//
// /proc/net/udp and udp6 list every UDP socket of the namespace with a
// `drops` column; anyone may read them. Sockets of other mDNS stacks on
// port 5353 count too (they get the same datagrams).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cupswps::discovery {

inline constexpr int kMdnsPort = 5353;

// The sum of the drops column over the sockets bound to local port 5353 in
// one /proc/net/udp or udp6 text; nullopt when the text has no header line
// naming a drops column (another kernel's format).
std::optional<std::uint64_t> ParseMdnsDrops(std::string_view proc_net_udp);

// Both files of this namespace summed; nullopt when neither can be read
// (a sandbox without /proc/net).
std::optional<std::uint64_t> MdnsSocketDrops();

}  // namespace cupswps::discovery
