// SPDX-License-Identifier: Apache-2.0
// A one-shot scan: discover printers until the view is complete (or a time
// limit), and find which of them already have a CUPS queue. Shared by
// `cups-wps list` and the wps backend's listing mode.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"
#include "discovery/wps_uri.h"
#include "queues/queue.h"

namespace cupswps::backend {

struct ScanOptions {
  double timeout_seconds = 5.0;
  // Past timeout_seconds, wait on while the view still grows (an advert was
  // announced or resolved within the last kGrowthWindowSeconds, or a backlog
  // of adverts to resolve: see WaitPastTimeLimit), up to this
  // many seconds in all. 0: timeout_seconds is the limit.
  double grow_limit_seconds = 0.0;
  bool fetch_queues = true;
  bool need_queues = true;  // an unreachable cupsd is an error (else: no queue info)
  // When set, the scan ends shortly (discovery::kSettleSeconds) after a printer for
  // which this returns true has appeared, or at the time limit; not at the
  // complete view, as the printer may still come. The settle time lets its
  // other adverts (ipps after ipp) arrive.
  std::function<bool(const discovery::Printer&)> stop_at;
  // With stop_at: a printer that appears before the view is complete ends
  // the scan only at the complete view, so that every endpoint that answers
  // for it then is known (the backend checks them all, whichever answered
  // first).
  bool whole_view = false;
};

struct FoundPrinter {
  discovery::Printer printer;
  std::string queue;  // "" when it has none
  // Policy (filled by `list`): may `add` register it, would `watch`, and if
  // either says no, why.
  bool admitted = true;
  bool auto_register = true;
  std::string policy_note;
};

struct ScanResult {
  std::vector<FoundPrinter> printers;
  bool complete = false;       // false: the time limit cut the scan short
  double seconds = 0.0;        // how long it took
  bool extended = false;       // the view still grew at timeout_seconds: waited on
  bool queues_known = false;   // false: cupsd was not asked or did not answer
  bool interrupted = false;    // SIGINT / SIGTERM
};

inline constexpr double kGrowthWindowSeconds = 0.5;

// At or past the time limit: wait on? Only below grow_limit_seconds, and
// when an advert changed within kGrowthWindowSeconds or more adverts await
// resolution than avahi-daemon is asked to resolve at once
// (discovery::kResolveWindow): then our own queue is backed up, the view is
// about to grow. In the lab's cold browse of 2,000 adverts avahi-daemon
// answered no resolution for 3.5 s while it took in the adverts, then all
// of them within 6.2 s: a backend that stopped at its 3 s limit listed 1 to
// 866 printers of 1,434. A few unresolved adverts are more likely printers
// that went away (their address record expired, avahi-daemon gives up after
// about 5 s): they do not hold up a listing.
bool WaitPastTimeLimit(std::size_t unresolved, double seconds_since_change, double seconds_elapsed,
                       double grow_limit_seconds);

Result<ScanResult> Scan(const ScanOptions& options);

// The printer a wps:// URI names (by UUID, else by name) with an IPP
// endpoint: the whole view of it, every endpoint that answers for it
// (ScanOptions::whole_view). nullopt when none answered within the limit.
struct NamedPrinter {
  std::optional<discovery::Printer> printer;
  bool interrupted = false;  // SIGINT / SIGTERM
};
Result<NamedPrinter> FindNamedPrinter(const discovery::WpsUri& want, double timeout_seconds);

// Queue name for each printer (parallel to `printers`).
std::vector<FoundPrinter> MatchQueues(std::vector<discovery::Printer> printers,
                                      const std::vector<queues::Queue>& queues);

}  // namespace cupswps::backend
