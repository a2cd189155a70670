// SPDX-License-Identifier: Apache-2.0
// The auto-registration state machine; see watcher.h.
#include "queues/watcher.h"

#include <cstdio>

#include "common/log.h"
#include "discovery/wps_uri.h"

namespace cupswps::queues {
namespace {

std::string Minutes(std::chrono::minutes m) { return std::to_string(m.count()) + " min"; }

// Deletes `queue` if it still is the one cups-wps made for `p`.
Result<Registered> RemoveIfOurs(QueueAdmin& admin, const discovery::Printer& p, const std::string& queue) {
  auto queues = admin.List();
  if (!queues) return queues.error();
  for (const Queue& q : *queues) {
    if (q.name == queue && q.device_uri == discovery::FormatWpsUri(p)) {
      if (auto d = admin.Delete(queue); !d) return d.error();
      return Registered{queue, true, 0};
    }
  }
  return Registered{queue, false, 0};  // gone already, or no longer ours: leave it
}

}  // namespace

struct Watcher::Job {
  bool remove = false;  // delete `queue` (grace time over) instead of registering
  discovery::Printer printer;
  std::string queue;
  Result<Registered> result = Registered{};
};

Watcher::Watcher(QueueAdmin& admin, std::unique_ptr<discovery::ServiceBrowser> browser, Clock& clock,
                 std::unique_ptr<JobRunner> runner, Options options)
    : admin_(admin),
      clock_(clock),
      options_(std::move(options)),
      runner_(std::move(runner)),
      discovery_(std::move(browser), clock) {}

Watcher::~Watcher() = default;

Status Watcher::Start() {
  discovery::DiscoveryEvents ev;
  ev.added = [this](const discovery::Printer& p) { OnPrinter(p); };
  ev.changed = [this](const discovery::Printer& p) { OnPrinter(p); };
  ev.removed = [this](const discovery::Printer& p) { OnGone(p); };
  ev.complete = [this] { log::Info("discovery complete; " + std::to_string(printers_.size()) + " printer(s) seen"); };
  ev.lost = [](const Error&) { log::Info("avahi-daemon went away; waiting for it to come back"); };
  ev.connected = [] { log::Debug("browsing for printers"); };
  return discovery_.Start(std::move(ev));
}

std::size_t Watcher::registered_count() const {
  std::size_t n = 0;
  for (const auto& [key, e] : entries_) n += e.state == State::kRegistered ? 1 : 0;
  return n;
}

void Watcher::OnPrinter(const discovery::Printer& p) {
  printers_[p.key] = p;
  Entry& e = entries_[p.key];
  e.present = true;
  if (e.removal_pending) {
    // Back before its grace time ran out: its queue stays.
    e.removal.Cancel();
    e.removal_pending = false;
    log::Info("'" + p.name + "' is back; its queue " + e.queue + " stays");
  }
  // Settling, and now its ipps and ipp adverts are both in: go.
  if (e.state == State::kSettling && discovery::Settled(p)) return Dispatch(p.key, false);
  if (e.state == State::kSettling || e.state == State::kRegistering || e.state == State::kRegistered) return;
  const std::string fp = discovery::Fingerprint(p);
  if (e.state == State::kRefused && e.fingerprint == fp) return;
  const filters::Decision d =
      filters::Evaluate(options_.policy, filters::Mode::kWatch, p,
                        options_.local_networks ? options_.local_networks() : filters::LocalNetworks{});
  if (!d.admitted) {
    e.state = State::kRefused;
    e.fingerprint = fp;
    log::Info("not registering '" + p.name + "': " + d.reason);
    return;
  }
  if (discovery::Settled(p)) return Dispatch(p.key, false);
  // Let the printer's other adverts (IPv4 after IPv6, ipps after ipp)
  // arrive, so that registration uses its best endpoint.
  e.state = State::kSettling;
  const auto settle = std::chrono::milliseconds(static_cast<int>(discovery::kSettleSeconds * 1000));
  e.retry = clock_.After(settle, [this, key = p.key] { Dispatch(key, false); });
}

void Watcher::OnGone(const discovery::Printer& p) {
  Entry& e = entries_[p.key];
  e.present = false;
  if (e.state == State::kSettling || e.state == State::kFailed) {
    // Nothing runs for it while it is away; it is looked at again when it is back.
    e.retry.Cancel();
    e.state = State::kFailed;
  }
  if (e.state != State::kRegistered) return;
  if (options_.remove_after.count() <= 0) {
    log::Info("'" + p.name + "' went away; its queue " + e.queue + " stays");
    return;
  }
  log::Info("'" + p.name + "' went away; its queue " + e.queue + " goes if it is not back within " +
            Minutes(options_.remove_after));
  e.removal_pending = true;
  e.removal = clock_.After(options_.remove_after, [this, key = p.key] {
    entries_[key].removal_pending = false;
    Dispatch(key, true);
  });
}

void Watcher::Dispatch(const std::string& key, bool remove) {
  Entry& e = entries_[key];
  e.retry.Cancel();
  if (!remove && !e.fingerprint.empty() && discovery::Fingerprint(printers_[key]) == e.fingerprint) {
    // Back to the advert that was refused, once settled (it came back
    // after going away, one advert at a time): nothing to try again.
    e.state = State::kRefused;
    return;
  }
  if (!remove) e.state = State::kRegistering;
  auto job = std::make_shared<Job>(Job{remove, printers_[key], e.queue, Registered{}});
  runner_->Run(
      [job, &admin = admin_, options = options_.register_options] {
        job->result = job->remove ? RemoveIfOurs(admin, job->printer, job->queue)
                                  : RegisterPrinter(admin, job->printer, options);
      },
      [this, job] { OnDone(*job); });
}

void Watcher::OnDone(Job& job) {
  const discovery::Printer& p = job.printer;
  Entry& e = entries_[p.key];
  if (job.remove) {
    if (job.result && job.result->created) {
      log::Info("removed queue " + job.queue + ": '" + p.name + "' has been gone for " +
                Minutes(options_.remove_after));
    }
    if (!job.result) log::Error(job.result.error().message);
    if (e.present) {
      // It came back while its queue was being removed: register it again.
      e.state = State::kFailed;
      e.queue.clear();
      OnPrinter(printers_[p.key]);
      return;
    }
    entries_.erase(p.key);
    printers_.erase(p.key);
    return;
  }
  if (job.result) {
    e.state = State::kRegistered;
    e.fingerprint.clear();
    e.queue = job.result->queue;
    if (job.result->created) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", job.result->seconds);
      log::Info("registered '" + p.name + "' as queue " + e.queue + " (ready in " + secs + " s)");
    } else if (!job.result->ppd_was_from.empty()) {
      log::Info("'" + p.name + "' has its queue " + e.queue + " already; its PPD had been made from another printer (wps://uuid/" +
                job.result->ppd_was_from + ") and now is made from '" + p.name + "'");
    } else {
      log::Info("'" + p.name + "' has its queue " + e.queue + " already");
    }
    if (!e.present) OnGone(printers_[p.key]);
    return;
  }
  const Error& err = job.result.error();
  log::Error(err.message);
  log::Debug(err.detail);
  if (err.code == ErrorCode::kRefused) {
    e.state = State::kRefused;
    e.fingerprint = discovery::Fingerprint(p);
    return;
  }
  e.state = State::kFailed;
  if (!e.present) return;
  e.retry = clock_.After(options_.retry_after, [this, key = p.key] { OnPrinter(printers_[key]); });
}

}  // namespace cupswps::queues
