// SPDX-License-Identifier: Apache-2.0
// The NeighbourTable seam: which MAC address answers for an IPv4 address on
// the local link. The paired printer is recognised by the MAC address that
// WPS reported. KernelNeighbourTable is the real one; tests use a fake.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.h"

namespace cupswps::queues {

class NeighbourTable {
 public:
  virtual ~NeighbourTable() = default;
  // The MAC address the table holds for `ipv4` now (lower case), or "".
  virtual std::string Known(const std::string& ipv4) = 0;
  // Makes the table learn `ipv4` (the kernel has an entry only after unicast
  // traffic: one TCP connection to `port`, then closed), then calls `done`
  // with its MAC ("" when unknown) on the main context, never from inside
  // Lookup and never blocking the loop. Dropping the returned handle means
  // `done` is never called.
  [[nodiscard]] virtual Timer Lookup(const std::string& ipv4, std::uint16_t port,
                                     std::function<void(std::string mac)> done) = 0;
};

}  // namespace cupswps::queues
