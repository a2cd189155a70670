// SPDX-License-Identifier: Apache-2.0
// The Watcher: the auto-registration state machine behind `cups-wps watch`.
// It registers every printer that the policy admits for watch as soon as
// its adverts settle, keeps a queue when its printer goes away (and, with
// remove_after, deletes a queue it made once the printer has been gone that
// long, unless it comes back first), retries failures after retry_after, and
// retries a refusal only when the printer's advert changes. Restarting it
// changes no queue: a printer that has its queue already is left alone.
//
// Per printer (by key):
//   (new) --admitted--> registering --ok--> registered --gone--> (removal timer) --> removed
//         --denied----> refused (until the advert changes)
//   registering --error--> failed --retry_after--> (again)
//
// Runs on the Clock's main context; the blocking work runs on the JobRunner.
// Not thread-safe. Log lines (one per event) go to common/log.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "discovery/discovery.h"
#include "filters/policy.h"
#include "queues/job_runner.h"
#include "queues/queue_admin.h"
#include "queues/registration.h"

namespace cupswps::queues {

class Watcher {
 public:
  struct Options {
    filters::Policy policy;
    // The host's own networks, asked at each decision: the host may join a
    // network (and get an address there) long after watch started. Unset:
    // none, so that the "local" default admits nothing.
    std::function<filters::LocalNetworks()> local_networks;
    std::chrono::minutes remove_after{0};   // 0: never remove a queue
    std::chrono::seconds retry_after{30};   // after a failed registration
    RegisterOptions register_options;       // make_ppd: tests replace it
  };

  // `admin` is used from the runner's threads and must be safe there; it,
  // and `clock`, must outlive the Watcher.
  Watcher(QueueAdmin& admin, std::unique_ptr<discovery::ServiceBrowser> browser, Clock& clock,
          std::unique_ptr<JobRunner> runner, Options options);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Starts browsing. An Error when the browser cannot start.
  Status Start();

  // How many printers have a queue made or found by this Watcher (for tests
  // and the log).
  std::size_t registered_count() const;

 private:
  enum class State { kSettling, kRegistering, kRegistered, kRefused, kFailed };
  struct Entry {
    State state = State::kFailed;
    std::string queue;        // when registered
    std::string fingerprint;  // of the settled advert a refusal was about
    bool present = true;
    bool removal_pending = false;
    Timer removal;  // grace time after the printer went away
    Timer retry;    // settle or retry
  };
  struct Job;

  void OnPrinter(const discovery::Printer& p);
  void OnGone(const discovery::Printer& p);
  void Dispatch(const std::string& key, bool remove);
  void OnDone(Job& job);

  QueueAdmin& admin_;
  Clock& clock_;
  Options options_;
  std::map<std::string, discovery::Printer> printers_;
  std::map<std::string, Entry> entries_;
  std::unique_ptr<JobRunner> runner_;  // after the state it reports into
  discovery::Discovery discovery_;     // last: its callbacks use the members above
};

}  // namespace cupswps::queues
