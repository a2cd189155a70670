// SPDX-License-Identifier: Apache-2.0
// Discovery: a ServiceBrowser feeding a PrinterTable, reported as printer
// level events (added / changed / removed). Survives a browser that loses its
// daemon: the last view is kept while the daemon is away, and once it is back
// and has reported everything again, only the printers that did not come back
// are removed. Runs on the browser's main context; not thread-safe.
//
// Changes are reported in batches: the adverts of one main-loop burst (say,
// the replies to a browse of avahi-daemon's cache) make one report, from an
// idle call on the Clock's context, of the printers they changed, each once.
// A printer whose ipp and ipps adverts came in one burst is "added" once,
// with both. The batch is reported at once before `complete` and `lost`, so
// those see every change that came before them, and after at most
// kMaxBatchDelay when the loop never goes idle.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "discovery/printer.h"
#include "discovery/service_browser.h"

namespace cupswps::discovery {

struct DiscoveryEvents {
  std::function<void(const Printer&)> added;
  std::function<void(const Printer&)> changed;
  std::function<void(const Printer&)> removed;  // the last view of it
  std::function<void()> complete;               // first complete view, and after each reconnect
  std::function<void(const Error&)> lost;       // the daemon went away
  std::function<void()> connected;
};

// A batch waits at most this long for the loop to go idle.
inline constexpr std::chrono::milliseconds kMaxBatchDelay{100};

class Discovery {
 public:
  // `clock` runs the batched reports on the browser's main context and must
  // outlive the Discovery.
  Discovery(std::unique_ptr<ServiceBrowser> browser, Clock& clock);
  Status Start(DiscoveryEvents events);

  std::vector<Printer> Printers() const { return table_.Printers(); }
  bool complete() const { return complete_; }
  // When (on the Clock) an advert was last announced, resolved or removed;
  // zero before the first.
  std::chrono::milliseconds last_advert_change() const { return last_advert_change_; }
  // Adverts announced and not resolved (nor removed) since; one whose
  // resolution failed stays counted until it is removed or announced again.
  std::size_t unresolved() const { return unresolved_.size(); }

 private:
  void OnResolved(Advert advert);
  void OnRemoved(const AdvertId& id);
  void OnAllForNow();
  void OnLost(const Error& error);
  // Notes printers whose merged view may have changed, to be reported.
  void Changed(const std::vector<std::string>& keys);
  // Reports the printers noted since the last report.
  void Report();
  bool reporting() const { return events_.added || events_.changed || events_.removed; }

  struct Shown {
    Printer printer;
    std::string fingerprint;
  };

  std::unique_ptr<ServiceBrowser> browser_;
  Clock& clock_;
  DiscoveryEvents events_;
  PrinterTable table_;
  std::map<std::string, Shown> shown_;  // the view last reported, by key (when reporting)
  std::set<std::string> pending_;       // keys to look at in the next report
  std::chrono::milliseconds pending_since_{0};
  Timer report_;
  std::map<AdvertId, std::uint64_t> generation_of_;  // per advert: the connection it was last seen on
  std::uint64_t generation_ = 0;
  std::chrono::milliseconds last_advert_change_{0};
  std::set<AdvertId> unresolved_;
  bool complete_ = false;
  bool stale_ = false;  // daemon was lost; sweep after the next complete view
};

// Fingerprint of what a user sees of a printer; differs when it changed.
std::string Fingerprint(const Printer& p);

}  // namespace cupswps::discovery
