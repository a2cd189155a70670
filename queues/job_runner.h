// SPDX-License-Identifier: Apache-2.0
// The JobRunner seam: where the Watcher's blocking work (registrations and
// removals: IPP to printers and to cupsd) runs, so that the main loop never
// blocks on it. ThreadPoolJobRunner is the real one; tests use a fake that
// runs jobs when the test says so.
#pragma once

#include <functional>

namespace cupswps::queues {

class JobRunner {
 public:
  virtual ~JobRunner() = default;
  // Runs `work` off the main loop (it may touch only what it owns or
  // captures), then `then` on the main context. Destroying the runner waits
  // for work under way and drops every `then` not yet run.
  virtual void Run(std::function<void()> work, std::function<void()> then) = 0;
};

}  // namespace cupswps::queues
