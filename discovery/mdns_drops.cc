// SPDX-License-Identifier: Apache-2.0
// Reading the kernel's drop counters of the mDNS sockets; see mdns_drops.h.
#include "discovery/mdns_drops.h"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace cupswps::discovery {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

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
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<std::uint64_t> ParseMdnsDrops(std::string_view text) {
  std::optional<std::size_t> drops_column;
  std::uint64_t sum = 0;
  bool header = true;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    const auto fields = Fields(line);
    if (header) {
      header = false;
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == "drops") drops_column = i;
      if (!drops_column) return std::nullopt;
      continue;
    }
    // The header's "tx_queue rx_queue" and "tr tm->when" are one field each
    // in the rows ("00000000:00000000", "00:00000000"), so a row has two
    // fields fewer before the drops column than the header names.
    if (*drops_column < 2 || fields.size() < 2 || fields.size() <= *drops_column - 2) continue;
    if (LocalPort(fields[1]) != static_cast<unsigned>(kMdnsPort)) continue;
    const std::string_view d = fields[*drops_column - 2];
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
    if (ec != std::errc{} || end != d.data() + d.size()) continue;
    if (n > UINT64_MAX - sum) return UINT64_MAX;
    sum += n;
  }
  if (!drops_column) return std::nullopt;
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
