// `cups-wps setup`: from unpacked printer to printed page. Pairs the printer
// with WPS (as `pair`), waits for exactly that printer to join the network and
// advertise IPP, registers its queue (as `add`), and optionally prints CUPS's
// test page and waits for it to complete.
//
// "Exactly that printer": hostapd names the enrollee's MAC (and WSC UUID).
// An advert is the paired printer when its UUID is that UUID, or when the
// kernel's neighbour table maps its address to that MAC. The table has an
// entry only after unicast traffic, so each new candidate gets one TCP
// connection to its IPP port (no scanning). Another printer appearing at the
// same time is never taken for it.
//
// When this host is the enrollee (the printer runs its own access point), it
// receives the printer's network and its network manager joins it; the
// printer is then the one advertising on that interface (and at --bssid, when
// given). Two printers there and no --bssid: setup refuses to guess.
#include <arpa/inet.h>
#include <cups/cups.h>
#include <glib-unix.h>
#include <glib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "backend/cli.h"
#include "backend/commands.h"
#include "backend/pair_run.h"
#include "backend/queue_admin.h"
#include "backend/registration.h"
#include "backend/scan.h"
#include "common/handle.h"
#include "common/json.h"
#include "common/log.h"
#include "common/text.h"
#include "discovery/avahi_service_browser.h"
#include "discovery/discovery.h"
#include "discovery/txt.h"
#include "discovery/wps_uri.h"
#include "filters/policy.h"

namespace cupswps::backend {
namespace {

using Clock = std::chrono::steady_clock;
using MainLoopPtr = CPtr<GMainLoop, g_main_loop_unref>;

constexpr char kSummary[] =
    "Pairs a printer with WPS (as 'cups-wps pair'), waits for that printer to join the\n"
    "network and advertise IPP, makes its driverless queue (as 'cups-wps add'), and with\n"
    "--test-page prints CUPS's test page on it.\n"
    "When this host is the enrollee (the printer runs its own access point; --enrollee,\n"
    "--ap-pin), setup waits until this host has joined the printer's network and takes\n"
    "the printer that advertises there (the one at --bssid, when given).\n"
    "\n"
    "Exit status: as pair (0-7, 130), 1 when registration or the test page failed,\n"
    "8 when the printer paired but did not show up on the network.";

constexpr char kTestPage[] = "/usr/share/cups/data/testprint";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// One line per step: JSON lines with --json, plain lines otherwise.
class SetupView {
 public:
  explicit SetupView(bool json) : json_(json) {}
  // `fields`: more members for the JSON line (an object), or nullptr.
  void Event(const std::string& event, const std::string& text, const json::Writer* fields = nullptr) const {
    if (!json_) {
      Out(text + "\n");
      return;
    }
    std::string line = "{\"event\":" + json::Quote(event) + ",\"text\":" + json::Quote(text);
    if (fields != nullptr && fields->str().size() > 2) line += "," + fields->str().substr(1, fields->str().size() - 2);
    Out(line + "}\n");
  }
  void Failed(const std::string& text, int exit_code) const {
    if (json_) {
      json::Writer w;
      w.BeginObject().Key("event").String("failed").Key("text").String(text).Key("exit").Int(exit_code).EndObject();
      Out(w.str() + "\n");
    } else {
      log::Error(text);
    }
  }

 private:
  bool json_;
};

// The MAC of `ipv4` in the kernel's neighbour table (/proc/net/arp), or "".
std::string NeighbourMac(const std::string& ipv4) {
  std::ifstream arp("/proc/net/arp");
  std::string line;
  std::getline(arp, line);  // header
  while (std::getline(arp, line)) {
    std::istringstream in(line);
    std::string ip, hw_type, flags, mac;
    in >> ip >> hw_type >> flags >> mac;
    if (ip == ipv4 && flags != "0x0") return text::AsciiLower(mac);
  }
  return {};
}

// One TCP connection to address:port (then closed), so that the kernel
// resolves the address's MAC; bounded by `timeout_ms`.
void Touch(const std::string& ipv4, std::uint16_t port, int timeout_ms) {
  sockaddr_in sa = {};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, ipv4.c_str(), &sa.sin_addr) != 1) return;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    poll(&p, 1, timeout_ms);
  }
  close(fd);
}

// How setup recognises the printer it paired with.
struct Target {
  std::string mac;    // registrar: the enrollee's MAC; enrollee: --bssid; or ""
  std::string uuid;   // registrar: the enrollee's WSC UUID, or ""
  int interface = 0;  // enrollee: the printer's network (our interface there), else 0
  std::string interface_name;
};

struct Found {
  discovery::Printer printer;
  std::string matched_by;  // "mac", "uuid" or "network"
};

bool OnInterface(const discovery::Printer& p, int interface) {
  for (const discovery::Endpoint& e : p.endpoints) {
    if (e.interface == interface && e.IsIpp()) return true;
  }
  return false;
}

// Waits for the paired printer's advert. nullopt at the time limit or on
// Ctrl-C; an Error when avahi-daemon cannot be reached, or when the printer's
// network holds more than one printer and nothing says which one it is.
Result<std::optional<Found>> WaitForPairedPrinter(const Target& target, double timeout_seconds) {
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  std::optional<Found> found;
  std::set<std::string> checked;  // address:port already probed
  discovery::Discovery discovery(std::make_unique<discovery::AvahiServiceBrowser>(
      nullptr, discovery::AvahiServiceBrowser::Options{.reconnect = true}));
  auto mac_matches = [&](const discovery::Printer& p) {
    for (const discovery::Endpoint& e : p.endpoints) {
      if (e.ipv6 || (target.interface != 0 && e.interface != target.interface)) continue;
      if (!checked.insert(e.address + ":" + std::to_string(e.port)).second) continue;
      Touch(e.address, e.port, 1000);
      const std::string seen = NeighbourMac(e.address);
      log::Debug("'" + p.name + "' at " + e.address + " has MAC " + (seen.empty() ? "(unknown)" : seen));
      if (seen == target.mac) return true;
    }
    return false;
  };
  bool quitting = false;
  guint settle_timer = 0;
  auto quit_when_settled = [&](const discovery::Printer& p) {
    // On the printer's own network, wait the full settle time: a second
    // printer there must be seen to refuse the guess.
    if (quitting || found->matched_by == "network" || !Settled(p)) return;
    quitting = true;
    g_main_loop_quit(loop.get());
  };
  auto consider = [&](const discovery::Printer& p) {
    if (found) {
      if (p.key == found->printer.key) quit_when_settled(p);
      return;
    }
    if (p.BestIpp() == nullptr) return;
    if (target.interface != 0) {
      // Joined the printer's own network: the printer is there.
      if (!OnInterface(p, target.interface)) return;
      if (target.mac.empty()) {
        found = Found{p, "network"};
      } else if (mac_matches(p)) {
        found = Found{p, "mac"};
      }
    } else if (!target.uuid.empty() && p.uuid == target.uuid) {
      found = Found{p, "uuid"};
    } else if (!target.mac.empty() && mac_matches(p)) {
      found = Found{p, "mac"};
    }
    if (!found) return;
    quit_when_settled(p);
    // Give its other adverts (ipps after ipp) a moment, as watch does.
    settle_timer = g_timeout_add(static_cast<guint>(kSettleSeconds * 1000), +[](gpointer data) -> gboolean {
      g_main_loop_quit(static_cast<GMainLoop*>(data));
      return G_SOURCE_CONTINUE;  // removed below, after the loop
    }, loop.get());
  };
  discovery::DiscoveryEvents events;
  events.added = consider;
  events.changed = consider;
  if (auto started = discovery.Start(std::move(events)); !started) return started.error();
  struct Ctx {
    GMainLoop* loop;
  } ctx{loop.get()};
  const guint timer = g_timeout_add(static_cast<guint>(timeout_seconds * 1000), +[](gpointer data) -> gboolean {
    g_main_loop_quit(static_cast<Ctx*>(data)->loop);
    return G_SOURCE_CONTINUE;
  }, &ctx);
  const guint tick = g_timeout_add(200, +[](gpointer data) -> gboolean {
    if (CancelRequested().load()) g_main_loop_quit(static_cast<Ctx*>(data)->loop);
    return G_SOURCE_CONTINUE;
  }, &ctx);
  g_main_loop_run(loop.get());
  g_source_remove(timer);
  g_source_remove(tick);
  if (settle_timer != 0) g_source_remove(settle_timer);
  if (!found) return found;
  std::vector<std::string> on_network;
  for (discovery::Printer& p : discovery.Printers()) {
    if (found->matched_by == "network" && p.BestIpp() != nullptr && OnInterface(p, target.interface)) {
      on_network.push_back("'" + p.name + "'");
    }
    if (p.key == found->printer.key) found->printer = std::move(p);
  }
  if (on_network.size() > 1) {
    std::string names;
    for (const std::string& n : on_network) names += (names.empty() ? "" : ", ") + n;
    return Error{ErrorCode::kRefused,
                 "More than one printer advertises on " + target.interface_name + " (" + names +
                     "), so setup cannot tell which one it paired with: give the printer's access point with "
                     "--bssid, or pick one with 'cups-wps list' and 'cups-wps add'. No queue was made.",
                 ""};
  }
  return found;
}

// Prints CUPS's test page on `queue` and waits for the job to end.
Result<int> PrintTestPage(const std::string& queue, double timeout_seconds) {
  const int job = cupsPrintFile(queue.c_str(), kTestPage, "cups-wps test page", 0, nullptr);
  if (job <= 0) {
    return Error{ErrorCode::kCupsRefused, "CUPS did not take the test page: " + std::string(cupsLastErrorString()), ""};
  }
  const auto t0 = Clock::now();
  for (;;) {
    CPtr<ipp_t, ippDelete> request(ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES));
    char uri[1024];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/jobs/%d", job);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr, "job-state");
    CPtr<ipp_t, ippDelete> response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/"));
    ipp_attribute_t* a = response ? ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM) : nullptr;
    const int state = a != nullptr ? ippGetInteger(a, 0) : 0;
    if (state == IPP_JSTATE_COMPLETED) return job;
    if (state == IPP_JSTATE_ABORTED || state == IPP_JSTATE_CANCELED) {
      return Error{ErrorCode::kCupsRefused,
                   "The test page (job " + std::to_string(job) + ") did not print: CUPS " +
                       (state == IPP_JSTATE_ABORTED ? "aborted" : "cancelled") + " it.",
                   ""};
    }
    if (Seconds(Clock::now() - t0) > timeout_seconds || CancelRequested().load()) {
      return Error{ErrorCode::kTimeout,
                   "The test page (job " + std::to_string(job) + ") has not printed after " +
                       std::to_string(static_cast<int>(timeout_seconds)) + " s; see 'lpstat -o " + queue + "'.",
                   ""};
    }
    // cupsd sends no event for a job's end without a subscription.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
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
  const auto t_start = Clock::now();
  PairRun run = ParseAndPair("setup", argc, argv, entries, kSummary);
  const std::string queue_name = TakeOption(name);
  const std::string location_text = TakeOption(location);
  const std::string policy_file = TakeOption(policy_path, filters::kDefaultPolicyPath);
  if (run.exit_code != kExitOk || !run.pairing) return run.exit_code;
  const wps::Pairing& pairing = *run.pairing;
  const SetupView view(run.json);
  const auto t_paired = Clock::now();

  CancelOnSignals();

  if (join_timeout < 1 || join_timeout > 3600) {
    log::Error("--join-timeout takes 1 to 3600 seconds");
    return kExitUsage;
  }
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) {
    view.Failed(policy.error().message, kExitFailure);
    return kExitFailure;
  }

  Target target;
  const std::string wait_limit = std::to_string(join_timeout) + " s";
  std::string not_advertising;  // what to say when nothing shows up in time
  if (pairing.side == wps::Side::kRegistrar) {
    target.mac = text::AsciiLower(pairing.device.mac);
    target.uuid = discovery::NormalizeUuid(pairing.device.uuid);
    not_advertising = "The printer " + pairing.device.mac + " paired, but it did not advertise IPP on the network within " +
                      wait_limit + ": check the printer's network settings (is IPP on?).";
    view.Event("joining", "waiting for the printer (" + pairing.device.mac +
                              ") to join the network and advertise IPP (" + wait_limit + ")");
  } else {
    // This host received the printer's network; its network manager joins
    // it (wpa_supplicant was told to use the settings), and the printer is
    // found there: on that interface, by --bssid when given.
    target.mac = run.bssid;
    target.interface_name = run.target;
    target.interface = static_cast<int>(if_nametoindex(run.target.c_str()));
    if (target.interface == 0) {
      view.Failed("The interface " + run.target + " is gone, so the printer's network cannot be reached.",
                  kExitFailure);
      return kExitFailure;
    }
    const std::string ssid = pairing.networks.empty() ? std::string() : pairing.networks.front().ssid;
    const std::string network = ssid.empty() ? "the printer's network" : "'" + ssid + "'";
    not_advertising = "This host received the printer's network" + (ssid.empty() ? std::string() : " '" + ssid + "'") +
                      ", but no printer advertised IPP on " + run.target + " within " + wait_limit +
                      ": check that this host joined that network (its network manager) and that the printer's IPP "
                      "is on.";
    view.Event("joining", "waiting for this host to join " + network + " on " + run.target +
                              " and for the printer to advertise IPP there (" + wait_limit + ")");
  }
  auto found = WaitForPairedPrinter(target, join_timeout);
  if (!found) {
    view.Failed(found.error().message, kExitFailure);
    return kExitFailure;
  }
  if (CancelRequested().load()) return kExitInterrupted;
  if (!found->has_value()) {
    view.Failed(not_advertising + " No queue was made.", kExitNotAdvertising);
    return kExitNotAdvertising;
  }
  const discovery::Printer printer = (*found)->printer;
  const auto t_found = Clock::now();
  {
    json::Writer w;
    w.BeginObject()
        .Key("name").String(printer.name)
        .Key("address").String(printer.BestIpp()->address)
        .Key("matched_by").String((*found)->matched_by)
        .EndObject();
    const std::string& by = (*found)->matched_by;
    view.Event("found", "found '" + printer.name + "' at " + printer.BestIpp()->address + " (" +
                            (by == "mac"    ? "matched by its MAC address"
                             : by == "uuid" ? "matched by its UUID"
                                            : "the printer on its own network") +
                            ")",
               &w);
  }

  if (auto admitted = CheckAddPolicy(*policy, policy_file, printer); !admitted) {
    view.Failed(admitted.error().message, kExitFailure);
    return kExitFailure;
  }
  LibcupsQueueAdmin admin;
  RegisterOptions options;
  options.queue_name = queue_name;
  options.location = location_text;
  options.progress = [&](const std::string& line) { view.Event("registering", line); };
  auto registered = RegisterPrinter(admin, printer, options);
  if (!registered) {
    view.Failed(registered.error().message, kExitFailure);
    return kExitFailure;
  }
  const auto t_registered = Clock::now();
  {
    json::Writer w;
    w.BeginObject().Key("queue").String(registered->queue).Key("created").Bool(registered->created).EndObject();
    view.Event("registered", "queue " + registered->queue + " is ready (" + discovery::FormatWpsUri(printer) + ")", &w);
  }

  int job = 0;
  auto t_printed = t_registered;
  if (test_page) {
    view.Event("printing", "printing CUPS's test page on " + registered->queue);
    auto printed = PrintTestPage(registered->queue, 120);
    if (!printed) {
      view.Failed(printed.error().message, kExitFailure);
      return kExitFailure;
    }
    job = *printed;
    t_printed = Clock::now();
    json::Writer w;
    w.BeginObject().Key("job").Int(job).Key("state").String("completed").EndObject();
    view.Event("printed", "the test page (job " + std::to_string(job) + ") printed", &w);
  }

  // The enrollee side learns no MAC from WPS; the kernel knows it by now.
  const std::string mac = pairing.side == wps::Side::kRegistrar ? pairing.device.mac
                                                                : NeighbourMac(printer.BestIpp()->address);
  const double pair_s = Seconds(t_paired - t_start), join_s = Seconds(t_found - t_paired),
               register_s = Seconds(t_registered - t_found), print_s = Seconds(t_printed - t_registered);
  if (run.json) {
    json::Writer w;
    w.BeginObject()
        .Key("event").String("done")
        .Key("printer").String(printer.name)
        .Key("side").String(pairing.side == wps::Side::kRegistrar ? "registrar" : "enrollee")
        .Key("mac").String(mac)
        .Key("address").String(printer.BestIpp()->address)
        .Key("queue").String(registered->queue)
        .Key("device_uri").String(discovery::FormatWpsUri(printer))
        .Key("test_page_job").Int(job)
        .Key("ms").BeginObject()
        .Key("pair").Int(static_cast<std::int64_t>(pair_s * 1000))
        .Key("join").Int(static_cast<std::int64_t>(join_s * 1000))
        .Key("register").Int(static_cast<std::int64_t>(register_s * 1000))
        .Key("test_page").Int(static_cast<std::int64_t>(print_s * 1000))
        .EndObject()
        .Key("exit").Int(kExitOk)
        .EndObject();
    Out(w.str() + "\n");
  } else {
    Out("\nSet up '" + printer.name + "' (" + (mac.empty() ? std::string() : mac + ", ") + printer.BestIpp()->address + ") as queue " +
        registered->queue + ".\n  paired in " + Fixed(pair_s) + " s, joined the network in " + Fixed(join_s) +
        " s, queue ready in " + Fixed(register_s) + " s" +
        (test_page ? ", test page printed in " + Fixed(print_s) + " s" : std::string()) + ".\n");
  }
  return kExitOk;
}

}  // namespace cupswps::backend
