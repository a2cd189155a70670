// SPDX-License-Identifier: Apache-2.0
// The seam to the CUPS scheduler's queue administration. LibcupsQueueAdmin
// (libcups_queue_admin.h) is the real one; tests use a fake. Calls block
// (IPP over the local socket or loopback): make them from the main thread of
// a one-shot command or from a worker thread, never from a daemon's main loop.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "queues/queue.h"

namespace cupswps::queues {

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
  // Every queue of the scheduler (CUPS-Get-Printers). No queues is an empty
  // vector; an unreachable scheduler is an Error with code kCupsUnavailable.
  virtual Result<std::vector<Queue>> List() = 0;
  // Creates the queue with its PPD, enabled and accepting jobs, in one
  // CUPS-Add-Modify-Printer request: it exists complete or not at all.
  // Fails (kQueueExists) when a queue of that name exists.
  virtual Status Create(const QueueSpec& spec) = 0;
  virtual Status Delete(const std::string& name) = 0;
  // The text of the queue's PPD as the scheduler keeps it; "" for a queue
  // without one (raw).
  virtual Result<std::string> Ppd(const std::string& name) = 0;
  // Installs the PPD at `ppd_path` on the existing queue `name`
  // (CUPS-Add-Modify-Printer with only the PPD: its URI, name, info and
  // location stay).
  virtual Status ReplacePpd(const std::string& name, const std::string& ppd_path) = 0;
  // Clears the queue's state reasons (cups-pki-changed, paused) and message,
  // and starts it again (Resume-Printer): its held jobs print.
  virtual Status Resume(const std::string& name) = 0;
};

}  // namespace cupswps::queues
