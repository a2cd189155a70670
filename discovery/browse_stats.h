// SPDX-License-Identifier: Apache-2.0
// What one browsing session of AvahiServiceBrowser saw, for the debug log:
// how many adverts came and when, how their resolutions went, and whether
// avahi-daemon's cache may have reached its ceiling. Pure; no I/O.
//
// avahi-daemon caches at most cache-entries-max resource records per
// interface and protocol ([server] in avahi-daemon.conf, 4096 by default);
// a record that comes when the cache is full is dropped without a word, so
// the adverts beyond it are never reported to any browser. An advert costs 3
// records there (its PTR, SRV and TXT records) and each host name one more
// (its address on that link), so the default cache of a link holds about
// 1,000 printers that advertise one type (ipp) under their own host names,
// about 580 that advertise ipp and ipps. Measured on the lab with adverts
// sharing 4 host names: the count stops at 1,364 adverts per link whatever
// comes, and resolutions of adverts whose SRV found no room time out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace cupswps::discovery {

inline constexpr std::size_t kAvahiDefaultCacheEntries = 4096;
inline constexpr std::size_t kCacheRecordsPerAdvert = 3;

struct BrowseStats {
  std::int64_t started_us = 0;
  std::int64_t cache_read_us = 0;  // every browse had read avahi-daemon's cache (0: not yet)
  std::int64_t last_new_us = 0;
  std::int64_t longest_pause_us = 0;  // between two new adverts: what a quiet time must outlast
  std::int64_t last_reply_us = 0;
  std::size_t adverts = 0;  // announced (browse NEW events)
  std::size_t removed = 0;
  std::size_t resolved = 0;
  std::size_t failed = 0;
  std::size_t refused = 0;  // by dbus-daemon (too many calls pending), and sent again
  std::size_t peak_in_flight = 0;
  std::size_t peak_queued = 0;  // waiting for a free resolution slot
  // Datagrams the kernel dropped at the mDNS sockets while browsing
  // (mdns_drops.h); nullopt when not counted.
  std::optional<std::uint64_t> mdns_drops;
  // Per (interface, IPv6), for which avahi-daemon keeps one cache each: the
  // adverts announced, and the host names they resolved to.
  std::map<std::pair<int, bool>, std::size_t> per_link;
  std::map<std::pair<int, bool>, std::set<std::string>> hosts_per_link;

  void Announced(int interface, bool ipv6, std::int64_t now_us);
  void Resolved(int interface, bool ipv6, const std::string& host_name);
  // The most cache records one interface and protocol needs for what was
  // announced and resolved there (3 per advert, 1 per host name), and its adverts.
  std::size_t BusiestLinkRecords() const;
  std::size_t BusiestLink() const;
};

// One line: counts, resolutions, and when (seconds after browsing started)
// the cache was read, the last advert came and the last reply; `how` says
// what ended the wait ("all-for-now", "quiet time", "time limit").
std::string Summary(const BrowseStats& s, std::int64_t now_us, std::size_t max_in_flight, const std::string& how);

// A sentence for the user when one link holds so many adverts that
// avahi-daemon's default cache may be full, else nullopt.
std::optional<std::string> CacheCeilingNote(const BrowseStats& s);

// A sentence for the user when the kernel dropped mDNS replies while
// browsing (avahi-daemon's receive buffer was full), else nullopt.
std::optional<std::string> DroppedRepliesNote(const BrowseStats& s);

}  // namespace cupswps::discovery
