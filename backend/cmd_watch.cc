// `cups-wps watch`: the daemon. Registers every printer that policy admits as
// it appears, many in parallel (registration blocks on IPP, so it runs on a
// thread pool; results come back to the one main loop). A printer that goes
// away keeps its queue; with --remove-after MINUTES, a queue cups-wps made is
// deleted once its printer has been gone that long. Restarting never deletes
// or recreates a queue.
#include <glib-unix.h>
#include <glib.h>
#include <malloc.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "backend/cli.h"
#include "backend/commands.h"
#include "backend/queue_admin.h"
#include "backend/registration.h"
#include "backend/scan.h"
#include "common/handle.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/discovery.h"
#include "discovery/wps_uri.h"
#include "filters/policy.h"

namespace cupswps::backend {
namespace {

using MainLoopPtr = CPtr<GMainLoop, g_main_loop_unref>;

// Registrations at once. Each waits mostly on the printer and on cupsd; each
// thread costs libcups' per-thread state and stack pages. Measured (bench/,
// 21 printers at once): 8 workers 0.36 s to all ready and 15.9 MiB peak RSS,
// 4 workers 0.47 s and 15.2 MiB (cups-browsed: 53 s, 16.1 MiB).
constexpr int kWorkers = 4;
constexpr int kDefaultRetrySeconds = 30;

// A GSource id that is removed with its owner.
class SourceId {
 public:
  SourceId() = default;
  SourceId(const SourceId&) = delete;
  SourceId& operator=(const SourceId&) = delete;
  ~SourceId() { Reset(); }
  void Reset(guint id = 0) {
    if (id_ != 0) g_source_remove(id_);
    id_ = id;
  }
  void Forget() { id_ = 0; }  // the source removed itself
  explicit operator bool() const { return id_ != 0; }

 private:
  guint id_ = 0;
};

// A one-shot GLib timer running `fn` on the main loop; returns its source id.
guint AddTimer(guint milliseconds, std::function<void()> fn) {
  return g_timeout_add_full(
      G_PRIORITY_DEFAULT, milliseconds,
      +[](gpointer data) -> gboolean {
        (*static_cast<std::function<void()>*>(data))();
        return G_SOURCE_REMOVE;
      },
      new std::function<void()>(std::move(fn)), +[](gpointer data) { delete static_cast<std::function<void()>*>(data); });
}

class Watcher {
 public:
  Watcher(filters::Policy policy, std::string policy_file, int remove_after_minutes, int retry_seconds)
      : policy_(std::move(policy)),
        policy_file_(std::move(policy_file)),
        remove_after_minutes_(remove_after_minutes),
        retry_seconds_(retry_seconds),
        loop_(g_main_loop_new(nullptr, FALSE)),
        discovery_(std::make_unique<discovery::AvahiServiceBrowser>(
            nullptr, discovery::AvahiServiceBrowser::Options{.reconnect = true})) {}

  int Run() {
    GError* error = nullptr;
    pool_ = g_thread_pool_new(&Watcher::Work, this, kWorkers, FALSE, &error);
    if (pool_ == nullptr) {
      log::Error(std::string("cannot start worker threads: ") + error->message);
      g_error_free(error);
      return kExitFailure;
    }
    discovery::DiscoveryEvents ev;
    ev.added = [this](const discovery::Printer& p) { OnPrinter(p); };
    ev.changed = [this](const discovery::Printer& p) { OnPrinter(p); };
    ev.removed = [this](const discovery::Printer& p) { OnGone(p); };
    ev.complete = [this] { log::Info("discovery complete; " + std::to_string(printers_.size()) + " printer(s) seen"); };
    ev.lost = [](const Error&) { log::Info("avahi-daemon went away; waiting for it to come back"); };
    ev.connected = [] { log::Debug("browsing for printers"); };
    if (auto started = discovery_.Start(std::move(ev)); !started) {
      log::Error(started.error().message);
      return kExitFailure;
    }
    sigterm_.Reset(g_unix_signal_add(SIGTERM, &Watcher::OnSignal, this));
    sigint_.Reset(g_unix_signal_add(SIGINT, &Watcher::OnSignal, this));
    log::Info("watching for printers (policy " + policy_file_ + (remove_after_minutes_ > 0
                                                                     ? ", queues removed after " +
                                                                           std::to_string(remove_after_minutes_) +
                                                                           " min without their printer"
                                                                     : ", queues are never removed") +
              ")");
    g_main_loop_run(loop_.get());
    // Stop: let running registrations end (each makes a queue whole or not
    // at all) and drop what they report.
    cancel_.store(true);
    g_thread_pool_free(pool_, TRUE, TRUE);
    pool_ = nullptr;
    // Results they posted are dropped with the loop.
    log::Info("stopped");
    return kExitOk;
  }

 private:
  enum class State { kRegistering, kRegistered, kRefused, kFailed };
  struct Entry {
    State state = State::kFailed;
    std::string queue;        // when registered
    std::string fingerprint;  // of the advert a refusal was about
    bool present = true;
    SourceId removal;  // grace timer after the printer went away
    SourceId retry;
  };
  struct Job {
    Watcher* self;
    bool remove = false;  // delete `queue` (grace expired) instead of registering
    discovery::Printer printer;
    std::string queue;
    Result<Registered> result = Registered{};
  };

  void OnPrinter(const discovery::Printer& p) {
    printers_[p.key] = p;
    Entry& e = entries_[p.key];
    e.present = true;
    if (e.removal) {
      e.removal.Reset();
      log::Info("'" + p.name + "' is back; its queue " + e.queue + " stays");
    }
    // Settling, and now its ipps and ipp adverts are both in: go.
    if (e.state == State::kRegistering && e.retry && Settled(p)) {
      Dispatch(p, false, "");
      return;
    }
    if (e.state == State::kRegistering || e.state == State::kRegistered) return;
    const std::string fp = discovery::Fingerprint(p);
    if (e.state == State::kRefused && e.fingerprint == fp) return;
    const filters::Decision d = filters::Evaluate(policy_, filters::Mode::kWatch, p, local_);
    if (!d.admitted) {
      e.state = State::kRefused;
      e.fingerprint = fp;
      log::Info("not registering '" + p.name + "': " + d.reason);
      return;
    }
    // Let the printer's other adverts (IPv4 after IPv6, ipps after ipp)
    // arrive, so that registration uses its best endpoint.
    e.state = State::kRegistering;
    if (Settled(p)) {
      Dispatch(p, false, "");
      return;
    }
    e.retry.Reset(AddTimer(static_cast<guint>(kSettleSeconds * 1000), [this, key = p.key] {
      entries_[key].retry.Forget();
      Dispatch(printers_[key], false, "");
    }));
  }

  void Dispatch(const discovery::Printer& p, bool remove, const std::string& queue) {
    Entry& e = entries_[p.key];
    if (!remove) e.state = State::kRegistering;
    e.retry.Reset();
    g_thread_pool_push(pool_, new Job{this, remove, p, queue, Registered{}}, nullptr);
  }

  void OnGone(const discovery::Printer& p) {
    Entry& e = entries_[p.key];
    e.present = false;
    if (e.retry) {  // a pending settle or retry: nothing runs for it now
      e.retry.Reset();
      if (e.state == State::kRegistering) e.state = State::kFailed;
    }
    if (e.state != State::kRegistered || remove_after_minutes_ <= 0) {
      if (e.state == State::kRegistered) log::Info("'" + p.name + "' went away; its queue " + e.queue + " stays");
      return;
    }
    log::Info("'" + p.name + "' went away; its queue " + e.queue + " goes if it is not back within " +
              std::to_string(remove_after_minutes_) + " min");
    e.removal.Reset(AddTimer(static_cast<guint>(remove_after_minutes_) * 60 * 1000, [this, key = p.key] {
      Entry& entry = entries_[key];
      entry.removal.Forget();
      Dispatch(printers_[key], true, entry.queue);
    }));
  }

  // Worker thread: blocking libcups calls only; touches nothing of the Watcher
  // but the cancel flag, and posts the job back to the main loop.
  static void Work(gpointer data, gpointer) {
    auto* job = static_cast<Job*>(data);
    LibcupsQueueAdmin admin;
    if (job->remove) {
      job->result = RemoveIfOurs(admin, job->printer, job->queue);
    } else {
      job->result = RegisterPrinter(admin, job->printer, RegisterOptions{});
    }
    g_main_context_invoke_full(nullptr, G_PRIORITY_DEFAULT, &Watcher::Done, job,
                               +[](gpointer d) { delete static_cast<Job*>(d); });
  }

  static Result<Registered> RemoveIfOurs(QueueAdmin& admin, const discovery::Printer& p, const std::string& queue) {
    auto queues = admin.List();
    if (!queues) return queues.error();
    for (const discovery::Queue& q : *queues) {
      if (q.name == queue && q.device_uri == discovery::FormatWpsUri(p)) {
        if (auto d = admin.Delete(queue); !d) return d.error();
        return Registered{queue, true, 0};
      }
    }
    return Registered{queue, false, 0};  // gone already, or no longer ours: leave it
  }

  static gboolean Done(gpointer data) {
    auto* job = static_cast<Job*>(data);
    job->self->OnDone(*job);
    return G_SOURCE_REMOVE;
  }

  void OnDone(Job& job) {
    if (cancel_.load()) return;
    const discovery::Printer& p = job.printer;
    Entry& e = entries_[p.key];
    if (job.remove) {
      if (job.result && job.result->created) {
        log::Info("removed queue " + job.queue + ": '" + p.name + "' has been gone for " +
                  std::to_string(remove_after_minutes_) + " min");
      }
      if (!job.result) log::Error(job.result.error().message);
      entries_.erase(p.key);
      printers_.erase(p.key);
      return;
    }
    if (job.result) {
      e.state = State::kRegistered;
      e.queue = job.result->queue;
      if (job.result->created) {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.2f", job.result->seconds);
        log::Info("registered '" + p.name + "' as queue " + e.queue + " (ready in " + secs + " s)");
      } else {
        log::Info("'" + p.name + "' has its queue " + e.queue + " already");
      }
      if (!e.present) OnGone(p);
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
    e.retry.Reset(AddTimer(static_cast<guint>(retry_seconds_) * 1000, [this, key = p.key] {
      entries_[key].retry.Forget();
      OnPrinter(printers_[key]);
    }));
  }

  static gboolean OnSignal(gpointer data) {
    auto* self = static_cast<Watcher*>(data);
    log::Info("stopping");
    self->sigterm_.Forget();
    self->sigint_.Forget();
    g_main_loop_quit(self->loop_.get());
    return G_SOURCE_REMOVE;
  }

  filters::Policy policy_;
  std::string policy_file_;
  int remove_after_minutes_;
  int retry_seconds_;
  filters::LocalNetworks local_ = filters::LocalNetworks::FromHost();
  MainLoopPtr loop_;
  std::atomic<bool> cancel_{false};
  GThreadPool* pool_ = nullptr;
  std::map<std::string, discovery::Printer> printers_;
  std::map<std::string, Entry> entries_;
  SourceId sigterm_, sigint_;
  discovery::Discovery discovery_;  // last: its callbacks use the members above
};

}  // namespace

int RunWatch(int argc, char** argv) {
  // A long-running daemon with a pool of mostly idle workers: glibc would
  // give each thread that allocates its own malloc arena (and keep its pages).
  mallopt(M_ARENA_MAX, 2);
  gchar* policy_path = nullptr;
  gint remove_after = 0;
  gint retry_after = kDefaultRetrySeconds;
  gboolean debug = FALSE;
  const GOptionEntry entries[] = {
      {"policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, "Policy file (default /etc/cups/cups-wps.conf)", "FILE"},
      {"remove-after", 0, 0, G_OPTION_ARG_INT, &remove_after,
       "Delete a queue cups-wps made once its printer has been gone MINUTES (default 0: never)", "MINUTES"},
      {"retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after,
       "Try a failed registration again after SECONDS (default 30)", "SECONDS"},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("watch", "- register printers as they appear",
                    "Runs until SIGTERM. Makes a driverless queue for every printer that the policy\n"
                    "admits (by default: link-local and same-subnet printers).",
                    entries, &argc, &argv)) {
    return kExitUsage;
  }
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  if (argc > 1 || remove_after < 0 || remove_after > 525600 || retry_after < 1 || retry_after > 86400) {
    log::Error("usage: cups-wps watch [--policy FILE] [--remove-after MINUTES (0..525600)] "
               "[--retry-after SECONDS (1..86400)]");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  if (!MayAdministerQueues("watch")) return kExitFailure;
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) {
    log::Error(policy.error().message);
    return kExitFailure;
  }
  Watcher watcher(std::move(*policy), policy_file, remove_after, retry_after);
  return watcher.Run();
}

}  // namespace cupswps::backend
