// SPDX-License-Identifier: Apache-2.0
// A CUPS scheduler in memory behind the QueueAdmin seam, with manipulation
// flags for the failures tests need. For one thread (the Watcher's tests run
// its jobs on the test's thread).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "queues/queue_admin.h"

namespace cupswps::queues {

class FakeQueueAdmin final : public QueueAdmin {
 public:
  Result<std::vector<Queue>> List() override {
    std::vector<Queue> out;
    for (const auto& [name, q] : queues) out.push_back(q);
    return out;
  }
  Status Create(const QueueSpec& spec) override {
    log.push_back("create " + spec.name + " " + spec.device_uri + " ppd " + spec.ppd_path);
    if (sneak_in_before_create) {  // someone else takes the name between List and Create
      sneak_in_before_create = false;
      queues[spec.name] = {spec.name, "", "ipp://other/", "Other"};
    }
    if (queues.count(spec.name)) return Error{ErrorCode::kQueueExists, "exists", ""};
    if (fail_create || fail_creates > 0) {
      if (fail_creates > 0) --fail_creates;
      return Error{ErrorCode::kCupsUnavailable, "cupsd went away", ""};
    }
    queues[spec.name] = {spec.name, "", spec.device_uri, spec.info};
    return {};
  }
  Status Delete(const std::string& name) override {
    log.push_back("delete " + name);
    queues.erase(name);
    return {};
  }
  Status Resume(const std::string& name) override {
    log.push_back("resume " + name);
    return {};
  }

  std::map<std::string, Queue> queues;
  std::vector<std::string> log;
  bool sneak_in_before_create = false;
  bool fail_create = false;  // every Create fails
  int fail_creates = 0;      // the next N Creates fail
};

}  // namespace cupswps::queues
