// SPDX-License-Identifier: Apache-2.0
// JobRunner on GThreadPool; see thread_pool_job_runner.h.
#include "queues/thread_pool_job_runner.h"

#include <stdexcept>
#include <string>

#include "common/glib.h"

namespace cupswps::queues {

struct ThreadPoolJobRunner::Job {
  GMainContext* context;
  std::shared_ptr<std::atomic<bool>> alive;
  std::function<void()> work;
  std::function<void()> then;
};

ThreadPoolJobRunner::ThreadPoolJobRunner(GMainContext* context, int workers) : context_(context) {
  GError* error = nullptr;
  pool_ = g_thread_pool_new(&ThreadPoolJobRunner::Work, this, workers, FALSE, &error);
  if (pool_ == nullptr) {
    const std::string why = error != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    throw std::runtime_error("cannot start worker threads: " + why);
  }
}

ThreadPoolJobRunner::~ThreadPoolJobRunner() {
  alive_->store(false);
  // Waits for the jobs under way; queued ones that have not started skip
  // their work, and no `then` runs any more.
  g_thread_pool_free(pool_, FALSE, TRUE);
}

void ThreadPoolJobRunner::Run(std::function<void()> work, std::function<void()> then) {
  g_thread_pool_push(pool_, new Job{context_, alive_, std::move(work), std::move(then)}, nullptr);
}

void ThreadPoolJobRunner::Work(gpointer data, gpointer) {
  auto* job = static_cast<Job*>(data);
  if (job->alive->load()) Guarded("worker", [&] { job->work(); });
  g_main_context_invoke_full(
      job->context, G_PRIORITY_DEFAULT,
      +[](gpointer d) -> gboolean {
        auto* j = static_cast<Job*>(d);
        if (j->alive->load()) Guarded("job result", [&] { j->then(); });
        return G_SOURCE_REMOVE;
      },
      job, +[](gpointer d) { delete static_cast<Job*>(d); });
}

}  // namespace cupswps::queues
