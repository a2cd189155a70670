// Discovery: a ServiceBrowser feeding a PrinterTable, reported as printer
// level events (added / changed / removed). Survives a browser that loses its
// daemon: the last view is kept while the daemon is away, and once it is back
// and has reported everything again, only the printers that did not come back
// are removed. Runs on the browser's main context; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

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

class Discovery {
 public:
  explicit Discovery(std::unique_ptr<ServiceBrowser> browser);
  Status Start(DiscoveryEvents events);

  std::vector<Printer> Printers() const { return table_.Printers(); }
  bool complete() const { return complete_; }

 private:
  void OnResolved(Advert advert);
  void OnRemoved(const AdvertId& id);
  void OnAllForNow();
  void OnLost(const Error& error);
  // Runs `mutate` on the table and reports what changed in the merged view.
  template <typename F>
  void Mutate(F&& mutate);

  struct Shown {
    Printer printer;
    std::string fingerprint;
  };

  std::unique_ptr<ServiceBrowser> browser_;
  DiscoveryEvents events_;
  PrinterTable table_;
  std::map<std::string, Shown> shown_;  // the view last reported, by key (when reporting)
  std::map<AdvertId, std::uint64_t> generation_of_;  // per advert: the connection it was last seen on
  std::uint64_t generation_ = 0;
  bool complete_ = false;
  bool stale_ = false;  // daemon was lost; sweep after the next complete view
};

// Fingerprint of what a user sees of a printer; differs when it changed.
std::string Fingerprint(const Printer& p);

}  // namespace cupswps::discovery
