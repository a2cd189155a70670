// SPDX-License-Identifier: Apache-2.0
// JobRunner on a GLib thread pool: `work` runs on one of `workers` threads,
// `then` on `context` (nullptr: the default one), which must outlive the
// runner's pending results (they are dropped, never run, once the runner
// is gone).
#pragma once

#include <glib.h>

#include <atomic>
#include <memory>

#include "queues/job_runner.h"

namespace cupswps::queues {

class ThreadPoolJobRunner final : public JobRunner {
 public:
  ThreadPoolJobRunner(GMainContext* context, int workers);
  ~ThreadPoolJobRunner() override;
  ThreadPoolJobRunner(const ThreadPoolJobRunner&) = delete;
  ThreadPoolJobRunner& operator=(const ThreadPoolJobRunner&) = delete;

  void Run(std::function<void()> work, std::function<void()> then) override;

 private:
  struct Job;
  static void Work(gpointer data, gpointer user_data);

  GMainContext* context_;
  GThreadPool* pool_ = nullptr;
  // False once the runner is going: results still on their way are dropped.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace cupswps::queues
