// SPDX-License-Identifier: Apache-2.0
// CUPS's test page on a queue, and waiting for the job to end. Used by
// `setup --test-page`.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace cupswps::queues {

// Sends CUPS's test page (/usr/share/cups/data/testprint) to `queue`;
// returns the job id. Blocking IPP to cupsd.
Result<int> PrintTestPage(const std::string& queue);

// Follows one job until it ends, on the clock's main context: asks cupsd for
// the job's state every 200 ms (cupsd sends no event for a job's end
// without a subscription). `done` runs once: success when the job
// completed, an Error when it was aborted or cancelled, or after `limit`.
// Destroying the JobWatch stops it; `done` is then never called.
class JobWatch {
 public:
  JobWatch(Clock& clock, std::string queue, int job, std::chrono::seconds limit, std::function<void(Status)> done);
  JobWatch(const JobWatch&) = delete;
  JobWatch& operator=(const JobWatch&) = delete;

 private:
  void Poll();

  Clock& clock_;
  std::string queue_;
  int job_;
  std::chrono::milliseconds deadline_;
  std::chrono::seconds limit_;
  std::function<void(Status)> done_;
  Timer timer_;
};

}  // namespace cupswps::queues
