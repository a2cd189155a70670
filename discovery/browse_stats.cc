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

// The adverts of one link that fill a default cache, and the share of it at
// which to say so (the estimate of records per advert is rough).
constexpr double kFullAdverts = static_cast<double>(kAvahiDefaultCacheEntries) / kCacheRecordsPerAdvert;
constexpr double kNearlyFull = 0.9;

}  // namespace

void BrowseStats::Announced(int interface, bool ipv6, std::int64_t now_us) {
  ++adverts;
  ++per_link[{interface, ipv6}];
  last_new_us = now_us;
}

std::size_t BrowseStats::BusiestLink() const {
  std::size_t most = 0;
  for (const auto& [link, n] : per_link) most = std::max(most, n);
  return most;
}

std::string Summary(const BrowseStats& s, std::int64_t now_us, std::size_t max_in_flight, const std::string& how) {
  return "view complete (" + how + ") after " + Seconds(s.started_us, now_us) + ": " + std::to_string(s.adverts) +
         " advert(s) announced, " + std::to_string(s.removed) + " removed; " + std::to_string(s.resolved) +
         " resolved, " + std::to_string(s.failed) + " not (" + std::to_string(s.refused) +
         " refused by dbus-daemon and sent again); at most " + std::to_string(s.peak_in_flight) +
         " resolution(s) in flight (limit " + std::to_string(max_in_flight) + "), " + std::to_string(s.peak_queued) +
         " queued; avahi-daemon's cache read at " + Seconds(s.started_us, s.cache_read_us) + ", last new advert at " +
         Seconds(s.started_us, s.last_new_us) + ", last reply at " + Seconds(s.started_us, s.last_reply_us) +
         "; busiest link " + std::to_string(s.BusiestLink()) + " advert(s) (avahi-daemon caches cache-entries-max=" +
         std::to_string(kAvahiDefaultCacheEntries) + " records per link by default, " +
         std::to_string(static_cast<int>(kFullAdverts)) + " adverts)";
}

std::optional<std::string> CacheCeilingNote(const BrowseStats& s) {
  const std::size_t n = s.BusiestLink();
  if (static_cast<double>(n) < kNearlyFull * kFullAdverts) return std::nullopt;
  return std::to_string(n) + " adverts on one network interface: avahi-daemon's cache may be full (it holds " +
         std::to_string(kAvahiDefaultCacheEntries) + " records by default, " +
         std::to_string(static_cast<int>(kFullAdverts)) +
         " adverts), and printers beyond it are not seen. Raise cache-entries-max in the [server] section of "
         "/etc/avahi/avahi-daemon.conf and restart avahi-daemon.";
}

}  // namespace cupswps::discovery
