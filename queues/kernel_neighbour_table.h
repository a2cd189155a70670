// SPDX-License-Identifier: Apache-2.0
// NeighbourTable over the kernel's own neighbour table (/proc/net/arp), with
// a non-blocking TCP connection (a GLib fd source, bounded by a timeout) as
// the unicast contact that makes the kernel resolve an address.
#pragma once

#include <glib.h>

#include <chrono>

#include "queues/neighbour_table.h"

namespace cupswps::queues {

class KernelNeighbourTable final : public NeighbourTable {
 public:
  // `context`: where `done` runs (nullptr: the default one).
  explicit KernelNeighbourTable(GMainContext* context,
                                std::chrono::milliseconds connect_timeout = std::chrono::milliseconds(1000))
      : context_(context), connect_timeout_(connect_timeout) {}

  std::string Known(const std::string& ipv4) override;
  Timer Lookup(const std::string& ipv4, std::uint16_t port, std::function<void(std::string mac)> done) override;

 private:
  GMainContext* context_;
  std::chrono::milliseconds connect_timeout_;
};

}  // namespace cupswps::queues
