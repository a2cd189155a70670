// SPDX-License-Identifier: Apache-2.0
// `cups-wps setup`: from unpacked printer to printed page. Checks every
// option, starts looking at the network, pairs the printer with WPS (as
// `pair`), waits for exactly that printer to join the network and advertise
// IPP (queues/paired_printer_matcher.h says how it is recognised), registers
// its queue (as `add`), and with --test-page prints CUPS's test page and
// waits for it to complete.
#include <net/if.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "backend/cli/host_wifi.h"
#include "backend/cli/pair_run.h"
#include "backend/cli/pairing_run.h"
#include "backend/cli/registration_plan.h"
#include "backend/cli/setup_view.h"
#include "common/clock.h"
#include "common/glib.h"
#include "common/json.h"
#include "common/log.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/wps_uri.h"
#include "queues/kernel_neighbour_table.h"
#include "queues/libcups_queue_admin.h"
#include "queues/paired_printer_matcher.h"
#include "queues/test_page.h"

namespace cupswps::backend {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kSummary[] =
    "Pairs a printer with WPS (as 'cups-wps pair'), waits for that printer to join the\n"
    "network and advertise IPP, makes its driverless queue (as 'cups-wps add'), and with\n"
    "--test-page prints CUPS's test page on it.\n"
    "At home (router mode, the default without hostapd): setup presses the router's WPS\n"
    "button, or hands it the printer's PIN, over UPnP when the router allows it; otherwise\n"
    "it says what to press (or to type the PIN into the router's own page) and waits for\n"
    "the one new printer.\n"
    "When this host is the enrollee (the printer runs its own access point; --enrollee,\n"
    "--ap-pin), the printer's network is handed to whoever manages this host's Wi-Fi\n"
    "(NetworkManager: a temporary profile that never becomes the default route;\n"
    "wpa_supplicant alone: in memory only), setup takes the printer that advertises\n"
    "there (the one at --bssid, when given), and afterwards this host goes back to its\n"
    "own network (--keep-network: it stays). With iwd, join with iwctl while setup\n"
    "waits; --joined: this host is on the printer's network already.\n"
    "\n"
    "Exit status: as pair (0-7, 130), 1 when registration or the test page failed,\n"
    "8 when the printer paired but did not show up on the network.";

constexpr std::chrono::seconds kTestPageLimit{120};

// How to recognise the paired printer, and what to say when it does not come.
struct Expectation {
  queues::PairedTarget target;
  std::chrono::seconds limit;
  std::string instruction;      // what the person does now, or ""
  std::string waiting;          // the "joining" line
  std::string not_advertising;  // the failure sentence at the time limit
};

// Router mode, and the router offers computers no WPS: the person presses
// its button (or types the PIN into its page); the printer is the one new
// printer that appears.
Expectation WithoutRouterWps(const PairRequest& request, const PairRun& run, int join_timeout) {
  Expectation x;
  x.target.any_new = true;
  if (!run.no_router_wps.empty()) log::Debug(run.no_router_wps);
  if (request.method == wps::Method::kPushButton) {
    x.limit = request.run_time + std::chrono::seconds(join_timeout);
    // Why not over UPnP (no answer, a 5 GHz or open network), then what to do.
    x.instruction = (run.no_router_wps.empty() ? std::string() : run.no_router_wps + " ") +
                    "Press the WPS button on the router, then the WPS button on the printer, within " +
                    std::to_string(request.run_time.count()) + " s.";
  } else {
    x.limit = std::chrono::seconds(join_timeout);
    x.instruction = "This router does not let a computer hand it the PIN: enter the PIN shown on the printer in the "
                    "router's own setup page (or use --pbc instead).";
  }
  const std::string limit = std::to_string(x.limit.count()) + " s";
  x.waiting = "waiting for a new printer to join the network and advertise IPP (" + limit + ")";
  x.not_advertising = "No new printer advertised IPP on the network within " + limit +
                      ": check that the router's and the printer's WPS were started (the printer's lights), and "
                      "that the printer's IPP is on.";
  // Seen over the air: NetworkManager's push button as this host connected
  // made the router refuse the printer's (an overlap), which only the
  // router sees.
  if (request.method == wps::Method::kPushButton) {
    x.not_advertising +=
        " If this computer joined the router's Wi-Fi in the 2 minutes before, NetworkManager may have started WPS "
        "push button as it connected, and the router then refuses two devices at once: try again in 2 minutes.";
  }
  return x;
}

// This host is on the printer's own network (its manager joined the network
// received, or the person did: iwd, --joined): the printer is the one that
// advertises on that interface (at --bssid, when given).
Result<Expectation> OnItsNetwork(const PairRequest& request, const std::string& bssid, const std::string& ssid,
                                 std::chrono::seconds limit) {
  Expectation x;
  x.limit = limit;
  const std::string& ifname = request.daemon.target;
  const std::string within = std::to_string(limit.count()) + " s";
  x.target.mac = bssid;
  x.target.interface_name = ifname;
  x.target.interface = static_cast<int>(if_nametoindex(ifname.c_str()));
  if (x.target.interface == 0) {
    return Error{ErrorCode::kNotFound,
                 "The interface " + ifname + " is gone, so the printer's network cannot be reached.", ""};
  }
  x.waiting = "waiting for this host to join " + (ssid.empty() ? "the printer's network" : "'" + ssid + "'") +
              " on " + ifname + " and for the printer to advertise IPP there (" + within + ")";
  x.not_advertising = (ssid.empty() ? std::string("No printer") : "This host received the printer's network '" + ssid +
                                                                        "', but no printer") +
                      " advertised IPP on " + ifname + " within " + within + ": check that " + ifname +
                      " got an address there (ip address show " + ifname + ") and that the printer's IPP is on.";
  return x;
}

Result<Expectation> ExpectationFor(const PairRequest& request, const PairRun& run, const wps::Pairing& pairing,
                                   int join_timeout) {
  Expectation x;
  x.limit = std::chrono::seconds(join_timeout);
  const std::string limit = std::to_string(join_timeout) + " s";
  if (pairing.side == wps::Side::kRegistrar) {
    x.target.mac = NormalizeMac(pairing.device.mac);
    x.target.uuid = NormalizeUuid(pairing.device.uuid);
    // A router that did not say which device it paired: the one new printer.
    x.target.any_new = x.target.mac.empty() && x.target.uuid.empty();
    const std::string who = pairing.device.mac.empty() ? "the printer" : "the printer (" + pairing.device.mac + ")";
    x.waiting = "waiting for " + who + " to join the network and advertise IPP (" + limit + ")";
    x.not_advertising = (pairing.device.mac.empty() ? std::string("The printer") : "The printer " + pairing.device.mac) +
                        " paired, but it did not advertise IPP on the network within " + limit +
                        ": check the printer's network settings (is IPP on?).";
    return x;
  }
  return OnItsNetwork(request, run.bssid, pairing.networks.empty() ? std::string() : pairing.networks.front().ssid,
                      x.limit);
}

// iwd manages the interface: the person joins the printer's network with
// iwctl (within the walk time), and the printer is looked for there meanwhile.
Result<Expectation> JoinYourself(const PairRequest& request, const PairRun& run, int join_timeout) {
  auto x = OnItsNetwork(request, request.bssid, "", request.run_time + std::chrono::seconds(join_timeout));
  if (x) x->instruction = run.join_yourself;
  return x;
}

// Pairing and then finding the printer, on one loop. In router mode the
// search starts as soon as the router relays a printer's exchange: when the
// router's own registrar pairs it (someone also pressed the router's
// button), the External Registrar never hears of the success, and the
// printer joining the network is the news.
struct Paired {
  int exit_code = kExitOk;
  wps::Pairing pairing;
  SteadyClock::time_point t_paired;
  std::optional<Result<queues::PairedMatch>> match;  // set when exit_code is kExitOk
};

Paired PairAndFind(const PairRequest& request, HostWifi* wifi, queues::PairedPrinterMatcher& matcher,
                   CommandLoop& loop, const SetupView& view, int join_timeout) {
  Paired out;
  std::optional<PairRun> run;
  bool finding = false;
  wps::Device relayed;  // router mode: the printer whose exchange the router relayed
  PairingRun pairing(request, wifi);
  auto find = [&](const queues::PairedTarget& target, std::chrono::seconds limit) {
    finding = true;
    matcher.Find(target, limit, [&](Result<queues::PairedMatch> r) {
      // It joined before the External Registrar heard of a success: paired.
      if (r.ok() && !run) pairing.Paired(relayed);
      out.match = std::move(r);
      loop.Quit();
    });
  };
  if (request.joined) {  // nothing to pair
    run = PairRun{kExitOk, wps::Pairing{.side = wps::Side::kEnrollee}};
    run->bssid = request.bssid;
  }
  if (!run) pairing.Start(
      [&](PairRun r) {
        run = std::move(r);
        loop.Quit();
      },
      [&](const wps::Progress& p) {
        if (!request.daemon.router || finding || p.phase != wps::Progress::Phase::kExchanging || p.device.mac.empty()) {
          return;
        }
        relayed = p.device;
        find({.mac = p.device.mac, .uuid = p.device.uuid}, request.run_time + std::chrono::seconds(join_timeout));
      });
  while (!run) loop.Run(/*handle_signals=*/false);  // the pairing run handles Ctrl-C: it disarms first
  out.t_paired = SteadyClock::now();
  if (run->exit_code != kExitOk && !run->router_without_wps) {
    out.exit_code = run->exit_code;
    return out;
  }
  out.pairing = run->pairing.value_or(wps::Pairing{});
  // iwd: the person joins the printer's network; the printer is looked for there meanwhile.
  if (!run->join_yourself.empty()) out.pairing.side = wps::Side::kEnrollee;
  auto expectation = run->router_without_wps ? WithoutRouterWps(request, *run, join_timeout)
                     : !run->join_yourself.empty()
                         ? JoinYourself(request, *run, join_timeout)
                         : ExpectationFor(request, *run, out.pairing, join_timeout);
  if (!expectation) {
    view.Failed(expectation.error().message, kExitFailure);
    out.exit_code = kExitFailure;
    return out;
  }
  if (!expectation->instruction.empty()) view.Event("press", expectation->instruction);
  if (!out.match) view.Event("joining", expectation->waiting);
  // The router relayed one printer, but the run paired another: look for that one.
  const bool other = !out.pairing.device.mac.empty() && out.pairing.device.mac != NormalizeMac(relayed.mac);
  if (!out.match && (!finding || other)) find(expectation->target, expectation->limit);
  // The time left, on a terminal: the person is pressing buttons meanwhile.
  const auto deadline = SteadyClock::now() + expectation->limit;
  SourceGuard countdown = Schedule(nullptr, 1000, [&] {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - SteadyClock::now());
    view.Countdown(std::max(left, std::chrono::seconds(0)), expectation->waiting);
    return true;
  });
  while (!out.match && !loop.interrupted()) loop.Run();
  countdown.reset();
  if (loop.interrupted()) {
    out.exit_code = kExitInterrupted;
  } else if (!out.match->ok()) {
    const bool late = out.match->error().code == ErrorCode::kTimeout;
    out.exit_code = late ? kExitNotAdvertising : kExitFailure;
    view.Failed(late ? expectation->not_advertising + " No queue was made." : out.match->error().message,
                out.exit_code);
  }
  return out;
}

std::string MatchedBy(const std::string& by) {
  if (by == "mac") return "matched by its MAC address";
  if (by == "uuid") return "matched by its UUID";
  if (by == "new") return "the one new printer on the network";
  return "the printer on its own network";
}

}  // namespace

int RunSetup(int argc, char** argv) {
  gchar* name = nullptr;
  gchar* location = nullptr;
  gchar* policy_path = nullptr;
  gboolean test_page = FALSE;
  gint join_timeout = 60;
  const GOptionEntry entries[] = {
      {"name", 'n', 0, G_OPTION_ARG_STRING, &name, "Queue name (default: from the printer's name)", "QUEUE"},
      {"location", 'l', 0, G_OPTION_ARG_STRING, &location, "Location (default: from the advert)", "TEXT"},
      {"policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, "Policy file (default /etc/cups/cups-wps.conf)", "FILE"},
      {"test-page", 0, 0, G_OPTION_ARG_NONE, &test_page, "Print CUPS's test page and wait for it", nullptr},
      {"join-timeout", 0, 0, G_OPTION_ARG_INT, &join_timeout,
       "Wait at most SECONDS for the paired printer to advertise IPP (default 60)", "SECONDS"},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!MayAdministerQueues("setup")) return kExitFailure;
  const auto t_start = SteadyClock::now();
  PairRequest request = ParsePairRequest("setup", argc, argv, entries, kSummary);
  request.router_fallback = true;
  const std::string queue_name = TakeOption(name);
  const std::string location_text = TakeOption(location);
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  if (request.exit_code != kExitOk) return request.exit_code;
  const SetupView view(request.json);

  // Everything is checked before WPS is armed: a mistake found after the
  // printer paired would leave it on the network without a queue.
  if (join_timeout < 1 || join_timeout > 3600) {
    log::Error("--join-timeout takes 1 to 3600 seconds (see 'cups-wps setup --help')");
    return kExitUsage;
  }
  auto plan = PlanRegistration(queue_name, location_text, policy_file);
  if (!plan) {
    const bool usage = plan.error().code == ErrorCode::kInvalidArgument;
    if (usage) log::Error(plan.error().message + " (see 'cups-wps setup --help')");
    else view.Failed(plan.error().message, kExitFailure);
    return usage ? kExitUsage : kExitFailure;
  }

  // Look at the network from before pairing, so that the printers already
  // there are known as such.
  GlibClock clock(nullptr);
  queues::KernelNeighbourTable neighbours(nullptr);
  queues::LibcupsQueueAdmin admin;
  queues::PairedPrinterMatcher matcher(
      std::make_unique<discovery::AvahiServiceBrowser>(nullptr,
                                                       discovery::AvahiServiceBrowser::Options{.reconnect = true}),
      neighbours, clock, admin, {});
  if (auto started = matcher.Start(); !started) {
    view.Failed(started.error().message, kExitFailure);
    return kExitFailure;
  }

  // An enrollee run hands the printer's network to whoever manages this host's
  // Wi-Fi; it is put back when setup ends, however it ends (after the test
  // page: the printer is reached through that network).
  std::unique_ptr<HostWifi> wifi;
  if (request.daemon.side == wps::Side::kEnrollee && !request.daemon.router && !request.joined) {
    wifi = std::make_unique<HostWifi>(request);
  }
  struct RestoreAtExit {
    HostWifi* wifi;
    ~RestoreAtExit() {
      if (wifi != nullptr) wifi->RestoreAndWait();
    }
  } restore_at_exit{wifi.get()};

  CommandLoop loop;
  const Paired paired = PairAndFind(request, wifi.get(), matcher, loop, view, join_timeout);
  if (paired.exit_code != kExitOk) return paired.exit_code;
  const wps::Pairing& pairing = paired.pairing;
  const auto t_paired = paired.t_paired;
  const std::optional<Result<queues::PairedMatch>>& match = paired.match;
  const discovery::Printer printer = (*match)->printer;
  const std::string address = printer.BestIpp()->address;
  const auto t_found = SteadyClock::now();
  {
    json::Writer w;
    w.BeginObject().Key("name").String(printer.name).Key("address").String(address);
    w.Key("matched_by").String((*match)->matched_by).EndObject();
    view.Event("found", "found '" + printer.name + "' at " + address + " (" + MatchedBy((*match)->matched_by) + ")",
               &w);
  }

  if (auto admitted = Admit(*plan, printer); !admitted) {
    view.Failed(admitted.error().message, kExitFailure);
    return kExitFailure;
  }
  plan->options.progress = [&](const std::string& line) { view.Event("registering", line); };
  auto registered = queues::RegisterPrinter(admin, printer, plan->options);
  if (!registered) {
    view.Failed(registered.error().message, kExitFailure);
    return kExitFailure;
  }
  const auto t_registered = SteadyClock::now();
  {
    json::Writer w;
    w.BeginObject().Key("queue").String(registered->queue).Key("created").Bool(registered->created);
    w.Key("ppd_was_from").StringOrNull(registered->ppd_was_from).EndObject();
    view.Event("registered", "queue " + registered->queue + " is ready (" + discovery::FormatWpsUri(printer) + ")", &w);
  }

  SetupView::Summary summary{printer.name, pairing.side == wps::Side::kRegistrar ? "registrar" : "enrollee",
                             // The enrollee side (and a router that said nothing)
                             // gives no MAC; the kernel knows it by now.
                             !pairing.device.mac.empty() ? pairing.device.mac : neighbours.Known(address),
                             address, registered->queue, discovery::FormatWpsUri(printer), 0,
                             t_paired - t_start, t_found - t_paired, t_registered - t_found, {}};
  if (test_page) {
    view.Event("printing", "printing CUPS's test page on " + registered->queue);
    auto job = queues::PrintTestPage(registered->queue);
    if (!job) {
      view.Failed(job.error().message, kExitFailure);
      return kExitFailure;
    }
    std::optional<Status> printed;
    queues::JobWatch watch(clock, registered->queue, *job, kTestPageLimit, [&](Status s) {
      printed = std::move(s);
      loop.Quit();
    });
    loop.Run();
    if (loop.interrupted()) return kExitInterrupted;
    if (!printed->ok()) {
      view.Failed(printed->error().message, kExitFailure);
      return kExitFailure;
    }
    summary.test_page_job = *job;
    summary.test_page = SteadyClock::now() - t_registered;
    json::Writer w;
    w.BeginObject().Key("job").Int(*job).Key("state").String("completed").EndObject();
    view.Event("printed", "the test page (job " + std::to_string(*job) + ") printed", &w);
  }
  view.Done(summary);
  return kExitOk;
}

}  // namespace cupswps::backend
