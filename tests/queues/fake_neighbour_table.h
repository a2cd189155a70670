// SPDX-License-Identifier: Apache-2.0
// A neighbour table in memory: the test says which MAC answers for which
// address; every lookup is recorded and answered from the loop, as the
// kernel's would be.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "queues/neighbour_table.h"

namespace cupswps::queues {

class FakeNeighbourTable final : public NeighbourTable {
 public:
  explicit FakeNeighbourTable(Clock& clock) : clock_(clock) {}

  std::string Known(const std::string& ipv4) override {
    const auto it = macs.find(ipv4);
    return it == macs.end() ? std::string() : it->second;
  }
  Timer Lookup(const std::string& ipv4, std::uint16_t, std::function<void(std::string)> done) override {
    looked_up.push_back(ipv4);
    return clock_.After(std::chrono::milliseconds(0), [this, ipv4, done = std::move(done)] { done(Known(ipv4)); });
  }

  std::map<std::string, std::string> macs;  // address -> MAC
  std::vector<std::string> looked_up;

 private:
  Clock& clock_;
};

}  // namespace cupswps::queues
