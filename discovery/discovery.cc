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

Discovery::Discovery(std::unique_ptr<ServiceBrowser> browser) : browser_(std::move(browser)) {}

Status Discovery::Start(DiscoveryEvents events) {
  events_ = std::move(events);
  BrowserEvents be;
  be.resolved = [this](Advert a) { OnResolved(std::move(a)); };
  be.removed = [this](const AdvertId& id) { OnRemoved(id); };
  be.all_for_now = [this] { OnAllForNow(); };
  be.lost = [this](const Error& e) { OnLost(e); };
  be.connected = [this] {
    if (events_.connected) events_.connected();
  };
  return browser_->Start(std::move(be));
}

template <typename F>
void Discovery::Mutate(F&& mutate) {
  const bool report = events_.added || events_.changed || events_.removed;
  mutate();
  if (!report) return;
  // The view after this change, compared with the one after the last: one
  // rebuild per change, and each printer fingerprinted once.
  std::map<std::string, Shown> now;
  for (Printer& p : table_.Printers()) {
    std::string f = Fingerprint(p);
    std::string key = p.key;
    now.emplace(std::move(key), Shown{std::move(p), std::move(f)});
  }
  for (const auto& [key, shown] : now) {
    const auto it = shown_.find(key);
    if (it == shown_.end()) {
      if (events_.added) events_.added(shown.printer);
    } else if (it->second.fingerprint != shown.fingerprint) {
      if (events_.changed) events_.changed(shown.printer);
    }
  }
  for (const auto& [key, shown] : shown_) {
    if (now.count(key) == 0 && events_.removed) events_.removed(shown.printer);
  }
  shown_ = std::move(now);
}

void Discovery::OnResolved(Advert advert) {
  generation_of_[advert.id] = generation_;
  Mutate([&] { table_.Upsert(std::move(advert)); });
}

void Discovery::OnRemoved(const AdvertId& id) {
  generation_of_.erase(id);
  Mutate([&] { table_.Remove(id); });
}

void Discovery::OnAllForNow() {
  if (stale_) {
    // Everything the daemon still knows has been reported again; what was
    // not is gone.
    stale_ = false;
    Mutate([&] {
      for (auto it = generation_of_.begin(); it != generation_of_.end();) {
        if (it->second < generation_) {
          table_.Remove(it->first);
          it = generation_of_.erase(it);
        } else {
          ++it;
        }
      }
    });
  }
  complete_ = true;
  if (events_.complete) events_.complete();
}

void Discovery::OnLost(const Error& error) {
  stale_ = true;
  ++generation_;
  if (events_.lost) events_.lost(error);
}

}  // namespace cupswps::discovery
