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

// printer-make-and-model of a queue whose driverless PPD does not exist yet.
inline constexpr char kRawMakeAndModel[] = "Local Raw Printer";
// printer-info of a queue cups-wps is still setting up:
// discovery::kSetupInfoPrefix + "NAME [pid N]". A queue with it, a device
// URI that is not wps:// and no process N any more was left half-made (a
// crash) and is ours to delete: see SweepHalfMade.
using discovery::kSetupInfoPrefix;
std::string SetupInfo(const std::string& info);
// The pid in a SetupInfo text, or -1 when `info` is not one.
long SetupInfoPid(const std::string& info);

struct QueueSpec {
  std::string name;
  std::string device_uri;  // ipp:// or ipps:// endpoint: cupsd reads the printer's attributes from it
  std::string info;
  std::string location;
};

class QueueAdmin {
 public:
  virtual ~QueueAdmin() = default;
  virtual Result<std::vector<discovery::Queue>> List() = 0;
  // Creates a driverless queue (ppd-name=everywhere), stopped, rejecting
  // jobs and marked with kSetupInfoPrefix until Finish. Fails when a queue
  // of that name exists.
  virtual Result<bool> Create(const QueueSpec& spec) = 0;
  // printer-make-and-model: kRawMakeAndModel until cupsd has built the PPD.
  virtual Result<std::string> MakeAndModel(const std::string& name) = 0;
  // Points the queue at `device_uri`, gives it its real printer-info,
  // enables it and makes it accept jobs.
  virtual Result<bool> Finish(const std::string& name, const std::string& device_uri, const std::string& info) = 0;
  virtual Result<bool> Delete(const std::string& name) = 0;
};

class LibcupsQueueAdmin final : public QueueAdmin {
 public:
  Result<std::vector<discovery::Queue>> List() override;
  Result<bool> Create(const QueueSpec& spec) override;
  Result<std::string> MakeAndModel(const std::string& name) override;
  Result<bool> Finish(const std::string& name, const std::string& device_uri, const std::string& info) override;
  Result<bool> Delete(const std::string& name) override;
};

}  // namespace cupswps::backend
