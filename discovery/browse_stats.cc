// SPDX-License-Identifier: Apache-2.0
// Counting what a browse saw; see browse_stats.h.
#include "discovery/browse_stats.h"

#include <algorithm>
#include <cstdio>

namespace cupswps::discovery {
namespace {

std::string Seconds(std::int64_t from_us, std::int64_t at_us) {
  if (at_us == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(at_us - from_us) / 1e6);
  return buf;
}

// Records of one link at which to say its cache may be full (the estimate
// is rough).
constexpr double kNearlyFull = 0.9;

}  // namespace

void BrowseStats::Announced(int interface, bool ipv6, std::int64_t now_us) {
  if (adverts > 0) longest_pause_us = std::max(longest_pause_us, now_us - last_new_us);
  ++adverts;
  ++per_link[{interface, ipv6}];
  last_new_us = now_us;
}

void BrowseStats::Resolved(int interface, bool ipv6, const std::string& host_name) {
  hosts_per_link[{interface, ipv6}].insert(host_name);
}

std::size_t BrowseStats::BusiestLink() const {
  std::size_t most = 0;
  for (const auto& [link, n] : per_link) most = std::max(most, n);
  return most;
}

std::size_t BrowseStats::BusiestLinkRecords() const {
  std::size_t most = 0;
  for (const auto& [link, n] : per_link) {
    const auto hosts = hosts_per_link.find(link);
    most = std::max(most, kCacheRecordsPerAdvert * n + (hosts != hosts_per_link.end() ? hosts->second.size() : 0));
  }
  return most;
}

std::string Summary(const BrowseStats& s, std::int64_t now_us, std::size_t max_in_flight, const std::string& how) {
  return std::string(how == "time limit" ? "view not complete (" : "view complete (") + how + ") after " + Seconds(s.started_us, now_us) + ": " + std::to_string(s.adverts) +
         " advert(s) announced, " + std::to_string(s.removed) + " removed; " + std::to_string(s.resolved) +
         " resolved, " + std::to_string(s.failed) + " not (" + std::to_string(s.refused) +
         " refused by dbus-daemon and sent again); at most " + std::to_string(s.peak_in_flight) +
         " resolution(s) in flight (limit " + std::to_string(max_in_flight) + "), " + std::to_string(s.peak_queued) +
         " queued; avahi-daemon's cache read at " + Seconds(s.started_us, s.cache_read_us) + ", last new advert at " +
         Seconds(s.started_us, s.last_new_us) + " (longest pause between new adverts " +
         Seconds(0, s.longest_pause_us) + "), last reply at " + Seconds(s.started_us, s.last_reply_us) +
         "; busiest link " + std::to_string(s.BusiestLink()) + " advert(s), about " +
         std::to_string(s.BusiestLinkRecords()) + " cache records (avahi-daemon keeps cache-entries-max=" +
         std::to_string(kAvahiDefaultCacheEntries) + " per link by default); " +
         (s.mdns_drops ? std::to_string(*s.mdns_drops) : std::string("an unknown number of")) +
         " mDNS datagram(s) dropped by the kernel at avahi-daemon's socket";
}

std::optional<std::string> CacheCeilingNote(const BrowseStats& s) {
  const std::size_t records = s.BusiestLinkRecords();
  if (static_cast<double>(records) < kNearlyFull * static_cast<double>(kAvahiDefaultCacheEntries)) return std::nullopt;
  return std::to_string(s.BusiestLink()) + " adverts on one network interface need about " + std::to_string(records) +
         " records in avahi-daemon's cache, which holds " + std::to_string(kAvahiDefaultCacheEntries) +
         " by default: it may be full, and printers beyond it are not seen. Raise cache-entries-max in the [server] "
         "section of /etc/avahi/avahi-daemon.conf and restart avahi-daemon.";
}

std::optional<std::string> DroppedRepliesNote(const BrowseStats& s) {
  if (!s.mdns_drops || *s.mdns_drops == 0) return std::nullopt;
  return "The kernel dropped " + std::to_string(*s.mdns_drops) +
         " mDNS replies because avahi-daemon's receive buffer was full (it takes net.core.rmem_default): "
         "the printers in them are seen only if their answers to avahi-daemon's repeated questions (1, 3, 7 ... "
         "seconds after browsing starts) get through. With this many printers, set net.core.rmem_default "
         "larger (sysctl, then restart avahi-daemon; 1 MiB took 1,000 printers at once in our lab).";
}

}  // namespace cupswps::discovery
