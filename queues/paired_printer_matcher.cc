// SPDX-License-Identifier: Apache-2.0
// Finding the printer that was just paired; see paired_printer_matcher.h.
#include "queues/paired_printer_matcher.h"

#include "common/log.h"

namespace cupswps::queues {
namespace {

bool OnInterface(const discovery::Printer& p, int interface) {
  for (const discovery::Endpoint& e : p.endpoints) {
    if (e.interface == interface && e.IsIpp()) return true;
  }
  return false;
}

std::string Names(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
  return s;
}

}  // namespace

PairedPrinterMatcher::PairedPrinterMatcher(std::unique_ptr<discovery::ServiceBrowser> browser,
                                           NeighbourTable& neighbours, Clock& clock, QueueAdmin& admin,
                                           Options options)
    : neighbours_(neighbours), clock_(clock), admin_(admin), options_(options), discovery_(std::move(browser), clock) {}

Status PairedPrinterMatcher::Start() {
  discovery::DiscoveryEvents events;
  events.added = [this](const discovery::Printer& p) { OnPrinter(p); };
  events.changed = [this](const discovery::Printer& p) { OnPrinter(p); };
  events.complete = [this] {
    if (baseline_done_) return;
    // What is here now was here before the printer paired.
    for (const discovery::Printer& p : discovery_.Printers()) known_.insert(p.key);
    baseline_done_ = true;
    log::Debug(std::to_string(known_.size()) + " printer(s) on the network before pairing");
    if (target_) {
      for (const discovery::Printer& p : discovery_.Printers()) Consider(p);
    }
  };
  return discovery_.Start(std::move(events));
}

void PairedPrinterMatcher::Find(PairedTarget target, std::chrono::milliseconds limit,
                                std::function<void(Result<PairedMatch>)> done) {
  target_ = std::move(target);
  done_ = std::move(done);
  found_.reset();
  probed_.clear();
  lookups_in_flight_.clear();
  settle_timer_.Cancel();
  if (target_->any_new && !queues_read_) {
    queues_read_ = true;
    if (auto listed = admin_.List()) {
      queues_ = std::move(*listed);
    } else {
      log::Debug("cannot read the queues (" + listed.error().message + "); every new printer counts");
    }
  }
  limit_timer_ = clock_.After(limit, [this] {
    Done(Error{ErrorCode::kTimeout, "No printer that fits appeared in time.", ""});
  });
  // Printers that are there already (a UUID match), from the loop.
  settle_timer_ = clock_.After(std::chrono::milliseconds(0), [this] {
    if (!baseline_done_) return;
    for (const discovery::Printer& p : discovery_.Printers()) Consider(p);
  });
}

void PairedPrinterMatcher::OnPrinter(const discovery::Printer& p) {
  if (baseline_done_ && known_.count(p.key) == 0 && p.BestIpp() != nullptr && new_keys_.count(p.key) == 0 &&
      FindQueue(p, queues_).empty()) {
    new_keys_.insert(p.key);
    new_order_.push_back(p.key);
  }
  if (target_ && baseline_done_) Consider(p);
}

void PairedPrinterMatcher::Consider(const discovery::Printer& p) {
  const PairedTarget& t = *target_;
  if (found_) {
    if (found_->matched_by == "new" && new_keys_.count(p.key) != 0 && p.key != found_->printer.key) {
      return Refuse({found_->printer.name, p.name}, "");
    }
    if (p.key != found_->printer.key) return;
    found_->printer = p;
    const bool waits_full = found_->matched_by == "network" || found_->matched_by == "new";
    if (!waits_full && discovery::Settled(p)) Finish();
    return;
  }
  if (p.BestIpp() == nullptr) return;
  if (t.interface != 0) {
    // Joined the printer's own network: the printer is there.
    if (!OnInterface(p, t.interface)) return;
    if (t.mac.empty()) return Found(p, "network");
  } else if (!t.uuid.empty() && p.uuid == t.uuid) {
    return Found(p, "uuid");
  } else if (t.mac.empty() && t.uuid.empty()) {
    if (t.any_new && new_keys_.count(p.key) != 0) Found(p, "new");
    return;
  }
  if (t.mac.empty() || !IsNew(p)) return;
  for (const discovery::Endpoint& e : p.endpoints) {
    if (e.ipv6 || (t.interface != 0 && e.interface != t.interface)) continue;
    std::string probe = e.address + ":" + std::to_string(e.port);
    if (!probed_.insert(probe).second) continue;
    ++lookups_;
    lookups_in_flight_.push_back(
        neighbours_.Lookup(e.address, e.port,
                           [this, key = p.key, name = p.name, address = e.address,
                            probe = std::move(probe)](std::string mac) {
                             log::Debug("'" + name + "' at " + address + " has MAC " +
                                        (mac.empty() ? "(unknown)" : mac));
                             if (found_ || !target_) return;
                             if (mac.empty()) {
                               probed_.erase(probe);
                               lookups_in_flight_.push_back(clock_.After(options_.lookup_retry, [this, key] {
                                 if (auto current = Current(key); current && !found_ && target_) Consider(*current);
                               }));
                               return;
                             }
                             if (mac != target_->mac) return;
                             if (auto current = Current(key)) Found(*current, "mac");
                           }));
  }
}

void PairedPrinterMatcher::Found(const discovery::Printer& p, std::string matched_by) {
  found_ = PairedMatch{p, std::move(matched_by)};
  if (found_->matched_by == "new") {
    for (const std::string& key : new_order_) {
      if (key == p.key) continue;
      if (auto other = Current(key); other && other->BestIpp() != nullptr) return Refuse({p.name, other->name}, "");
    }
    settle_timer_ = clock_.After(options_.ambiguity_window, [this] { Finish(); });
    return;
  }
  if (found_->matched_by != "network" && discovery::Settled(p)) return Finish();
  // Give its other adverts (ipps after ipp) a moment.
  settle_timer_ = clock_.After(options_.settle, [this] { Finish(); });
}

void PairedPrinterMatcher::Finish() {
  if (!found_) return;
  if (auto current = Current(found_->printer.key)) found_->printer = std::move(*current);
  if (found_->matched_by == "network") {
    std::vector<std::string> there;
    for (const discovery::Printer& p : discovery_.Printers()) {
      if (p.BestIpp() != nullptr && OnInterface(p, target_->interface)) there.push_back(p.name);
    }
    if (there.size() > 1) return Refuse(there, target_->interface_name);
  }
  Done(*found_);
}

void PairedPrinterMatcher::Refuse(const std::vector<std::string>& names, const std::string& where) {
  if (!where.empty()) {
    return Done(Error{ErrorCode::kRefused,
                      "More than one printer advertises on " + where + " (" + Names(names) +
                          "), so setup cannot tell which one it paired with: give the printer's access point with "
                          "--bssid, or pick one with 'cups-wps list' and 'cups-wps add'. No queue was made.",
                      ""});
  }
  Done(Error{ErrorCode::kRefused,
             "Two new printers appeared on the network (" + Names(names) +
                 ") and nothing says which one was paired, so setup does not guess: pick yours with "
                 "'cups-wps add NAME'. No queue was made.",
             ""});
}

void PairedPrinterMatcher::Done(Result<PairedMatch> result) {
  if (!done_) return;
  auto done = std::exchange(done_, nullptr);
  limit_timer_.Cancel();
  settle_timer_.Cancel();
  lookups_in_flight_.clear();
  target_.reset();
  found_.reset();
  done(std::move(result));
}

std::optional<discovery::Printer> PairedPrinterMatcher::Current(const std::string& key) const {
  for (discovery::Printer& p : discovery_.Printers()) {
    if (p.key == key) return std::move(p);
  }
  return std::nullopt;
}

}  // namespace cupswps::queues
