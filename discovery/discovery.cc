// SPDX-License-Identifier: Apache-2.0
// Printer-level events from a ServiceBrowser; see discovery.h.
#include "discovery/discovery.h"

namespace cupswps::discovery {

std::string Fingerprint(const Printer& p) {
  std::string f = p.key + '\n' + p.name + '\n' + p.info.make_and_model + '\n' + p.info.location + '\n' +
                  p.info.admin_url + '\n';
  for (const Endpoint& e : p.endpoints) f += e.Uri() + ' ';
  f += '\n';
  for (const ServiceType t : p.services) f += std::string(ShortName(t)) + ' ';
  return f;
}

Discovery::Discovery(std::unique_ptr<ServiceBrowser> browser, Clock& clock)
    : browser_(std::move(browser)), clock_(clock) {}

Status Discovery::Start(DiscoveryEvents events) {
  events_ = std::move(events);
  BrowserEvents be;
  be.resolved = [this](Advert a) { OnResolved(std::move(a)); };
  be.removed = [this](const AdvertId& id) { OnRemoved(id); };
  be.announced = [this](const AdvertId& id) {
    last_advert_change_ = clock_.Now();
    unresolved_.insert(id);
  };
  be.all_for_now = [this] { OnAllForNow(); };
  be.lost = [this](const Error& e) { OnLost(e); };
  be.connected = [this] {
    if (events_.connected) events_.connected();
  };
  return browser_->Start(std::move(be));
}

void Discovery::Changed(const std::vector<std::string>& keys) {
  if (!reporting() || keys.empty()) return;
  if (pending_.empty()) {
    pending_since_ = clock_.Now();
    report_ = clock_.After(std::chrono::milliseconds(0), [this] { Report(); });
  }
  pending_.insert(keys.begin(), keys.end());
  // A loop that never goes idle (a long burst) still hears of its printers.
  if (clock_.Now() - pending_since_ >= kMaxBatchDelay) Report();
}

void Discovery::Report() {
  report_.Cancel();
  const std::set<std::string> keys = std::move(pending_);
  pending_.clear();
  // Each printer of the batch is rebuilt and fingerprinted once, and compared
  // with what was last reported of it: the cost is that of the printers the
  // batch changed, whatever the size of the view.
  std::vector<Shown> gone;
  for (const std::string& key : keys) {
    std::optional<Printer> now = table_.Find(key);
    const auto it = shown_.find(key);
    if (!now) {
      if (it != shown_.end()) {
        gone.push_back(std::move(it->second));
        shown_.erase(it);
      }
      continue;
    }
    std::string f = Fingerprint(*now);
    if (it == shown_.end()) {
      const Shown& s = shown_.emplace(key, Shown{std::move(*now), std::move(f)}).first->second;
      if (events_.added) events_.added(s.printer);
    } else if (it->second.fingerprint != f) {
      it->second = Shown{std::move(*now), std::move(f)};
      if (events_.changed) events_.changed(it->second.printer);
    } else {
      it->second.printer = std::move(*now);  // what a user sees is the same; keep the latest
    }
  }
  for (const Shown& s : gone) {
    if (events_.removed) events_.removed(s.printer);
  }
}

void Discovery::OnResolved(Advert advert) {
  last_advert_change_ = clock_.Now();
  unresolved_.erase(advert.id);
  generation_of_[advert.id] = generation_;
  Changed(table_.Upsert(std::move(advert)));
}

void Discovery::OnRemoved(const AdvertId& id) {
  last_advert_change_ = clock_.Now();
  unresolved_.erase(id);
  generation_of_.erase(id);
  Changed(table_.Remove(id));
}

void Discovery::OnAllForNow() {
  if (stale_) {
    // Everything the daemon still knows has been reported again; what was
    // not is gone.
    stale_ = false;
    for (auto it = generation_of_.begin(); it != generation_of_.end();) {
      if (it->second < generation_) {
        Changed(table_.Remove(it->first));
        it = generation_of_.erase(it);
      } else {
        ++it;
      }
    }
  }
  Report();
  complete_ = true;
  if (events_.complete) events_.complete();
}

void Discovery::OnLost(const Error& error) {
  Report();
  stale_ = true;
  unresolved_.clear();  // the daemon's resolutions went with it
  ++generation_;
  if (events_.lost) events_.lost(error);
}

}  // namespace cupswps::discovery
