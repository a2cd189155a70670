// The seam to the CUPS scheduler's queue administration, and its libcups
// implementation. Calls block (IPP over the local socket or loopback): use
// them from the main thread of a one-shot command or from a worker thread,
// never from the main loop of a daemon. LibcupsQueueAdmin is thread-safe in
// the way libcups is: each thread gets its own default connection.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/queues.h"

namespace cupswps::backend {

struct QueueSpec {
  std::string name;
  std::string device_uri;  // the printer's wps:// URI
  std::string info;
  std::string location;
  std::string ppd_path;    // the driverless PPD to install with it
};

class QueueAdmin {
 public:
  virtual ~QueueAdmin() = default;
  virtual Result<std::vector<discovery::Queue>> List() = 0;
  // Creates the queue with its PPD, enabled and accepting jobs, in one
  // CUPS-Add-Modify-Printer request: it exists complete or not at all.
  // Fails (kQueueExists) when a queue of that name exists.
  virtual Result<bool> Create(const QueueSpec& spec) = 0;
  virtual Result<bool> Delete(const std::string& name) = 0;
};

class LibcupsQueueAdmin final : public QueueAdmin {
 public:
  Result<std::vector<discovery::Queue>> List() override;
  Result<bool> Create(const QueueSpec& spec) override;
  Result<bool> Delete(const std::string& name) override;
};

}  // namespace cupswps::backend
