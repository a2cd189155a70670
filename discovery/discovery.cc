// Printer-level events from a ServiceBrowser; see discovery.h.
#include "discovery/discovery.h"

#include <set>

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

Result<bool> Discovery::Start(DiscoveryEvents events) {
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
  std::map<std::string, Printer> before;
  if (report) {
    for (Printer& p : table_.Printers()) before.emplace(p.key, std::move(p));
  }
  mutate();
  if (!report) return;
  std::set<std::string> seen;
  for (const Printer& p : table_.Printers()) {
    seen.insert(p.key);
    const auto it = before.find(p.key);
    if (it == before.end()) {
      if (events_.added) events_.added(p);
    } else if (Fingerprint(it->second) != Fingerprint(p)) {
      if (events_.changed) events_.changed(p);
    }
  }
  for (const auto& [key, p] : before) {
    if (seen.count(key) == 0 && events_.removed) events_.removed(p);
  }
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
