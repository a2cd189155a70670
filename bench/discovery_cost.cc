// SPDX-License-Identifier: Apache-2.0
// discovery_cost: the CPU that Discovery spends on N printers, without the
// network. A load generator behind the ServiceBrowser seam delivers each
// printer's adverts (ipps, ipp and a port-0 _printer placeholder, IPv4, with
// the TXT an IPP Everywhere printer sends) from main-loop sources, as
// AvahiServiceBrowser does with avahi-daemon's replies; a consumer keeps a
// copy of every printer it is told about, as the Watcher does. Then every
// advert goes again. bench/scale.py runs it under callgrind (instructions,
// repeatable on a busy machine) for several N; see bench/README.md.
//
//   discovery_cost N [--trickle] [--quiet-consumer]
//     burst:    every reply is ready at once (one main-loop burst), as when a
//               browse reads avahi-daemon's cache
//     --trickle one reply per main-loop iteration, the loop idle in between,
//               as when replies come slower than they are handled
//     --quiet-consumer  no printer-level events asked for (a one-shot listing)
//
// Prints one JSON line: N, mode, the events seen, CPU seconds of the workload.
// The workload is the function RunWorkload, for callgrind's --toggle-collect.
#include <glib.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "discovery/discovery.h"

namespace {

using namespace cupswps;
using namespace cupswps::discovery;

std::vector<Advert> MakeAdverts(int n) {
  std::vector<Advert> out;
  out.reserve(static_cast<std::size_t>(n) * 3);
  for (int i = 0; i < n; ++i) {
    char uuid[40], addr[32], host[32];
    std::snprintf(uuid, sizeof uuid, "bbbbbbbb-0000-4000-8000-%012d", i);
    std::snprintf(addr, sizeof addr, "10.%d.%d.%d", 1 + i / 65536, (i / 256) % 256, i % 256);
    std::snprintf(host, sizeof host, "p-%d.local", i);
    const std::string name = "Bench Printer " + std::to_string(i);
    for (const ServiceType t : {ServiceType::kIpps, ServiceType::kIpp, ServiceType::kPrinter}) {
      Advert a;
      a.id = AdvertId{2, false, name, t, "local"};
      a.host_name = host;
      a.address = addr;
      a.port = t == ServiceType::kPrinter ? 0 : 8000;
      a.txt = ParseTxt({"txtvers=1", "qtotal=1", "rp=ipp/print", "ty=Acme TestJet " + std::to_string(i),
                        "note=lab host " + std::string(host), "pdl=application/pdf,image/pwg-raster,image/urf",
                        "UUID=" + std::string(uuid), "Color=T", "Duplex=F", "TLS=1.2", "URF=V1.4,W8,SRGB24,RS300",
                        "adminurl=https://" + std::string(host) + ":8000/"});
      out.push_back(std::move(a));
    }
  }
  return out;
}

// Delivers scripted adverts from main-loop sources at G_PRIORITY_DEFAULT (as
// GDBus delivers replies), then all-for-now at a lower priority than any
// idle work Discovery may have (a browse's all-for-now comes later than the
// replies to what it found).
class ScriptedBrowser final : public ServiceBrowser {
 public:
  ScriptedBrowser(GMainContext* context, bool trickle) : context_(context), trickle_(trickle) {}
  Status Start(BrowserEvents events) override {
    events_ = std::move(events);
    return {};
  }
  // Queues `adverts` (or their removal) and runs the loop until all-for-now.
  void Deliver(const std::vector<Advert>& adverts, bool remove) {
    for (const Advert& a : adverts) steps_.push_back({&a, remove});
    if (trickle_) {
      // One at a time, each from an idle source below Discovery's own idle work.
      Attach(g_idle_source_new(), G_PRIORITY_LOW, &ScriptedBrowser::OneStep);
    } else {
      for (std::size_t i = 0; i < adverts.size(); ++i) Attach(g_idle_source_new(), G_PRIORITY_DEFAULT, &OneStep);
    }
    done_ = false;
    Attach(g_idle_source_new(), G_PRIORITY_LOW + 1, &AllForNow);
    while (!done_) g_main_context_iteration(context_, TRUE);
  }

 private:
  void Attach(GSource* s, int priority, GSourceFunc fn) {
    g_source_set_priority(s, priority);
    g_source_set_callback(s, fn, this, nullptr);
    g_source_attach(s, context_);
    g_source_unref(s);
  }
  static gboolean OneStep(gpointer data) {
    auto* self = static_cast<ScriptedBrowser*>(data);
    if (self->steps_.empty()) return G_SOURCE_REMOVE;
    const auto [advert, remove] = self->steps_.front();
    self->steps_.pop_front();
    if (remove) {
      self->events_.removed(advert->id);
    } else {
      self->events_.resolved(*advert);
    }
    return self->trickle_ && !self->steps_.empty() ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  }
  static gboolean AllForNow(gpointer data) {
    auto* self = static_cast<ScriptedBrowser*>(data);
    if (!self->steps_.empty()) return G_SOURCE_CONTINUE;  // trickle: not yet
    self->events_.all_for_now();
    self->done_ = true;
    return G_SOURCE_REMOVE;
  }

  struct Step {
    const Advert* advert;
    bool remove;
  };
  GMainContext* context_;
  bool trickle_;
  BrowserEvents events_;
  std::deque<Step> steps_;
  bool done_ = false;
};

struct Counts {
  int added = 0, changed = 0, removed = 0, complete = 0;
  std::size_t shown = 0;
};

// The measured part: N printers come in, then go.
__attribute__((noinline)) Counts RunWorkload(const std::vector<Advert>& adverts, bool trickle, bool quiet) {
  GMainContext* context = g_main_context_new();
  g_main_context_push_thread_default(context);
  Counts c;
  {
    auto browser = std::make_unique<ScriptedBrowser>(context, trickle);
    ScriptedBrowser* b = browser.get();
    std::map<std::string, Printer> seen;  // what a consumer such as the Watcher keeps
    GlibClock clock(context);
    Discovery discovery(std::move(browser), clock);
    DiscoveryEvents ev;
    if (!quiet) {
      ev.added = [&](const Printer& p) {
        ++c.added;
        seen[p.key] = p;
      };
      ev.changed = [&](const Printer& p) {
        ++c.changed;
        seen[p.key] = p;
      };
      ev.removed = [&](const Printer& p) {
        ++c.removed;
        seen.erase(p.key);
      };
    }
    ev.complete = [&] { ++c.complete; };
    if (!discovery.Start(std::move(ev))) std::abort();
    b->Deliver(adverts, false);
    c.shown = discovery.Printers().size();
    b->Deliver(adverts, true);
  }
  g_main_context_pop_thread_default(context);
  g_main_context_unref(context);
  return c;
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 0;
  bool trickle = false, quiet = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--trickle") == 0) {
      trickle = true;
    } else if (std::strcmp(argv[i], "--quiet-consumer") == 0) {
      quiet = true;
    } else {
      n = std::atoi(argv[i]);
    }
  }
  if (n <= 0) {
    std::fprintf(stderr, "usage: discovery_cost N [--trickle] [--quiet-consumer]\n");
    return 2;
  }
  const std::vector<Advert> adverts = MakeAdverts(n);
  const double t0 = CpuSeconds();
  const Counts c = RunWorkload(adverts, trickle, quiet);
  const double cpu = CpuSeconds() - t0;
  std::printf("{\"n\":%d,\"adverts\":%zu,\"mode\":\"%s%s\",\"added\":%d,\"changed\":%d,\"removed\":%d,"
              "\"complete\":%d,\"printers\":%zu,\"cpu_s\":%.4f}\n",
              n, adverts.size(), trickle ? "trickle" : "burst", quiet ? "-quiet" : "", c.added, c.changed, c.removed,
              c.complete, c.shown, cpu);
  return c.shown == static_cast<std::size_t>(n) ? 0 : 1;
}
