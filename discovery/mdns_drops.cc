// SPDX-License-Identifier: Apache-2.0
// Reading the kernel's drop counters of the mDNS sockets; see mdns_drops.h.
#include "discovery/mdns_drops.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace cupswps::discovery {
namespace {

// "0100007F:14E9" or the IPv6 form: the port is the hex after the last colon.
std::optional<unsigned> LocalPort(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= address.size()) return std::nullopt;
  unsigned port = 0;
  const char* first = address.data() + colon + 1;
  const char* last = address.data() + address.size();
  const auto [end, ec] = std::from_chars(first, last, port, 16);
  if (ec != std::errc{} || end != last || port > 0xFFFF) return std::nullopt;
  return port;
}

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::optional<std::uint64_t> ParseMdnsDrops(std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string line;
  auto fields_of = [](const std::string& l) {
    std::istringstream in(l);
    return std::vector<std::string>(std::istream_iterator<std::string>(in), {});
  };
  if (!std::getline(lines, line)) return std::nullopt;
  const auto header = fields_of(line);
  const auto named = std::find(header.begin(), header.end(), "drops");
  // The header's "tx_queue rx_queue" and "tr tm->when" are one field each in
  // the rows ("00000000:00000000", "00:00000000"), so a row has two fields
  // fewer before the drops column than the header names.
  if (named == header.end()) return std::nullopt;
  const auto column = named - header.begin() - 2;
  std::uint64_t sum = 0;
  while (std::getline(lines, line)) {
    const auto fields = fields_of(line);
    if (column < 0 || fields.size() < 2 || fields.size() <= static_cast<std::size_t>(column) ||
        LocalPort(fields[1]) != static_cast<unsigned>(kMdnsPort))
      continue;
    const std::string& d = fields[column];
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
    if (ec != std::errc{} || end != d.data() + d.size()) continue;
    if (n > UINT64_MAX - sum) return UINT64_MAX;
    sum += n;
  }
  return sum;
}

std::optional<std::uint64_t> MdnsSocketDrops() {
  std::optional<std::uint64_t> total;
  for (const char* path : {"/proc/net/udp", "/proc/net/udp6"}) {
    const auto text = ReadFile(path);
    if (!text) continue;
    if (const auto n = ParseMdnsDrops(*text)) total = total.value_or(0) + *n;
  }
  return total;
}

}  // namespace cupswps::discovery
