// SPDX-License-Identifier: Apache-2.0
// PairedPrinterMatcher: which advert is the printer that was just paired, so
// that `setup` registers exactly that printer and never whichever appeared
// first. It browses from before pairing starts; the printers in its first
// complete view are the ones that were there already ("known"), every
// printer after that is "new". Ways to recognise the paired one:
//   - by UUID: an advert whose UUID is the enrollee's WSC UUID;
//   - by MAC: a *new* IPv4 advert whose address the NeighbourTable maps to
//     the enrollee's MAC (each new candidate is contacted once, never
//     blocking the loop; printers already known are never contacted);
//   - on the printer's own network (this host is the enrollee): the printer
//     advertising on that interface (and at the --bssid MAC, when given); two
//     there and no MAC: refuse to guess;
//   - the one new printer (a router's WPS that reports no enrollee): the
//     first new IPP printer without a queue, if no second one appears within
//     the ambiguity window; two: refuse to guess.
// Runs on the Clock's main context. Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "discovery/discovery.h"
#include "queues/neighbour_table.h"
#include "queues/queue_admin.h"

namespace cupswps::queues {

struct PairedTarget {
  std::string mac;   // the enrollee's MAC (lower case), --bssid on the enrollee side, or ""
  std::string uuid;  // the enrollee's WSC UUID (lower case), or ""
  int interface = 0;           // enrollee side: this host's interface on the printer's network
  std::string interface_name;  // for messages
  bool any_new = false;        // the one new printer without a queue
};

struct PairedMatch {
  discovery::Printer printer;
  std::string matched_by;  // "mac", "uuid", "network" or "new"
};

class PairedPrinterMatcher {
 public:
  struct Options {
    // After the match, wait this long for the printer's other adverts (not
    // when its ipps and ipp adverts are both in, except on its own network,
    // where a second printer must be seen to refuse the guess).
    std::chrono::milliseconds settle{300};
    // "The one new printer": a second new one within this time after the
    // first means setup cannot tell which is the paired one.
    std::chrono::milliseconds ambiguity_window{3000};
    // A new printer whose MAC could not be learnt is asked again after this
    // long: right after this host joined a network (over the air, its
    // address may come after the printer's first adverts) the connection
    // that teaches the kernel the printer's MAC can fail.
    std::chrono::milliseconds lookup_retry{2000};
  };

  // `admin` is asked once (blocking) for the queues when any_new is used.
  PairedPrinterMatcher(std::unique_ptr<discovery::ServiceBrowser> browser, NeighbourTable& neighbours, Clock& clock,
                       QueueAdmin& admin, Options options);
  PairedPrinterMatcher(const PairedPrinterMatcher&) = delete;
  PairedPrinterMatcher& operator=(const PairedPrinterMatcher&) = delete;

  // Starts browsing; call before pairing starts.
  Status Start();

  // Looks for the paired printer. `done` runs once, from the main context:
  // the match; kRefused when two printers fit and nothing says which is the
  // one; kTimeout when none fits within `limit`. A later Find replaces the
  // earlier one.
  void Find(PairedTarget target, std::chrono::milliseconds limit, std::function<void(Result<PairedMatch>)> done);

  // How many times a neighbour lookup was started (for tests and the debug log).
  int lookups() const { return lookups_; }

 private:
  void OnPrinter(const discovery::Printer& p);
  void Consider(const discovery::Printer& p);
  void Found(const discovery::Printer& p, std::string matched_by);
  void Finish();
  void Refuse(const std::vector<std::string>& names, const std::string& where);
  void Done(Result<PairedMatch> result);
  bool IsNew(const discovery::Printer& p) const { return baseline_done_ && known_.count(p.key) == 0; }
  std::optional<discovery::Printer> Current(const std::string& key) const;

  NeighbourTable& neighbours_;
  Clock& clock_;
  QueueAdmin& admin_;
  Options options_;
  bool baseline_done_ = false;
  std::set<std::string> known_;  // keys in the first complete view
  std::set<std::string> new_keys_;  // new IPP printers without a queue, in order of arrival
  std::vector<std::string> new_order_;
  std::vector<Queue> queues_;
  bool queues_read_ = false;

  // The search under way.
  std::optional<PairedTarget> target_;
  std::function<void(Result<PairedMatch>)> done_;
  std::optional<PairedMatch> found_;
  std::set<std::string> probed_;  // address:port contacted already
  std::vector<Timer> lookups_in_flight_;  // and the retries of unanswered ones
  int lookups_ = 0;
  Timer limit_timer_;
  Timer settle_timer_;
  discovery::Discovery discovery_;  // last: its callbacks use the members above
};

}  // namespace cupswps::queues
