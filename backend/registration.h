// Registering one discovered printer as a driverless CUPS queue: the steps
// shared by `add`, `watch` and `setup`. Blocking; see queue_admin.h for which
// threads may call it.
//
//   1. a queue that already serves the printer is the answer (idempotent)
//   2. only ipp/ipps endpoints are accepted
//   3. the printer's IPP attributes are fetched and validated (filters/)
//   4. the queue is created with the resolved ipp(s):// URI and
//      ppd-name=everywhere, stopped and rejecting jobs
//   5. once cupsd has built the driverless PPD, the device URI becomes the
//      printer's wps:// URI and the queue is enabled and accepts jobs
// Any failure after step 4 deletes the queue again: nothing half-made stays.
#pragma once

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "backend/queue_admin.h"
#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::backend {

// A CUPS queue name from a printer name: ASCII letters, digits, '-', '_' and
// '.', other runs become one '_', at most 127 bytes, never empty.
std::string QueueNameFor(std::string_view printer_name);
// `base`, or base_2, base_3, ... : the first not in `taken`.
std::string UniqueQueueName(const std::string& base, const std::set<std::string>& taken);

struct RegisterOptions {
  std::string queue_name;  // "" = derived from the printer's name
  std::string location;    // "" = from the advert (TXT note)
  double ppd_timeout_seconds = 30.0;
  const std::atomic<bool>* cancel = nullptr;  // set: stop waiting and undo
  std::function<void(const std::string&)> progress;  // one line per step
  // Step 3; tests replace it (the default fetches from the printer).
  std::function<Result<bool>(const discovery::Printer&, const discovery::Endpoint&)> validate;
};

struct Registered {
  std::string queue;
  bool created = false;  // false: the printer had this queue already
  double seconds = 0;    // creation to ready
};

// Reads the printer's attributes and refuses unsafe ones; blocking network I/O.
Result<bool> ValidatePrinter(const discovery::Printer& printer, const discovery::Endpoint& endpoint);

Result<Registered> RegisterPrinter(QueueAdmin& admin, const discovery::Printer& printer,
                                   const RegisterOptions& options);

// Deletes the queues an earlier run left half-made (kSetupInfoPrefix and a
// device URI that is not wps://); returns their names.
Result<std::vector<std::string>> SweepHalfMade(QueueAdmin& admin);
// SweepHalfMade, saying what it deleted (or why it could not look) in the log.
void SweepHalfMadeAndSay(QueueAdmin& admin);

}  // namespace cupswps::backend
