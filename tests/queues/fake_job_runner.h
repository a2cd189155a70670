// SPDX-License-Identifier: Apache-2.0
// A JobRunner that keeps jobs until the test runs them (work, then its
// result), on the test's own thread: tests see the state while a
// registration is under way and decide when it ends.
#pragma once

#include <deque>
#include <functional>
#include <utility>

#include "queues/job_runner.h"

namespace cupswps::queues {

class FakeJobRunner final : public JobRunner {
 public:
  void Run(std::function<void()> work, std::function<void()> then) override {
    pending_.push_back({std::move(work), std::move(then)});
  }
  // Runs every job queued, including those queued meanwhile; how many.
  int RunAll() {
    int n = 0;
    while (!pending_.empty()) {
      Job job = std::move(pending_.front());
      pending_.pop_front();
      job.work();
      job.then();
      ++n;
    }
    return n;
  }
  std::size_t pending() const { return pending_.size(); }

 private:
  struct Job {
    std::function<void()> work, then;
  };
  std::deque<Job> pending_;
};

}  // namespace cupswps::queues
