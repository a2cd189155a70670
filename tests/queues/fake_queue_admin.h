// SPDX-License-Identifier: Apache-2.0
// A CUPS scheduler in memory behind the QueueAdmin seam, with manipulation
// flags for the failures tests need. For one thread (the Watcher's tests run
// its jobs on the test's thread).
#pragma once

#include <fstream>
#include <map>
#include <sstream>
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
    ppds[spec.name] = ReadFile(spec.ppd_path);
    return {};
  }
  Status Delete(const std::string& name) override {
    log.push_back("delete " + name);
    queues.erase(name);
    return {};
  }
  Result<std::string> Ppd(const std::string& name) override {
    auto found = ppds.find(name);
    return found == ppds.end() ? std::string() : found->second;
  }
  Status ReplacePpd(const std::string& name, const std::string& ppd_path) override {
    log.push_back("replace the ppd of " + name);
    ppds[name] = ReadFile(ppd_path);
    return {};
  }
  Status Resume(const std::string& name) override {
    log.push_back("resume " + name);
    return {};
  }

  static std::string ReadFile(const std::string& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }

  std::map<std::string, Queue> queues;
  std::map<std::string, std::string> ppds;  // queue name -> its PPD's text
  std::vector<std::string> log;
  bool sneak_in_before_create = false;
  bool fail_create = false;  // every Create fails
  int fail_creates = 0;      // the next N Creates fail
};

}  // namespace cupswps::queues
