// SPDX-License-Identifier: Apache-2.0
// Parsing and running one pairing; see pair_run.h.
#include "backend/cli/pair_run.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/cli/cli.h"
#include "backend/cli/host_wifi.h"
#include "backend/cli/pair_view.h"
#include "backend/cli/pairing_run.h"
#include "common/glib.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/text.h"
#include "wps/hostapd_registrar.h"
#include "wps/supplicant_er.h"
#include "wps/walk_time.h"

namespace cupswps::backend {
namespace {

using wps::Method;
using wps::Side;

constexpr char kSummary[] =
    "Pairs a printer with Wi-Fi Protected Setup. With --router (most homes), the home\n"
    "router is the access point: cups-wps presses its WPS button or hands it the\n"
    "printer's PIN over UPnP (wpa_supplicant's External Registrar), when the router\n"
    "allows it. As an access point (hostapd, --registrar), this host hands its network\n"
    "to the printer; with --enrollee it learns the printer's own network (the interface\n"
    "leaves its current network meanwhile, and goes back unless --keep-network has it\n"
    "join the printer's). With none of them: registrar mode when this\n"
    "host runs hostapd, router mode otherwise. The PIN is never taken from the command\n"
    "line.\n"
    "\n"
    "Exit status: 0 paired, 1 other failure, 2 usage, 3 wrong PIN, 4 timeout,\n"
    "5 push-button overlap, 6 access point locked, 7 no daemon (or it went away),\n"
    "130 interrupted.";

struct Options {
  gboolean pbc = FALSE, pin_prompt = FALSE, pin_stdin = FALSE, generate = FALSE, ap_pin = FALSE;
  gboolean as_json = FALSE, debug = FALSE;
  gchar* pin_file = nullptr;
  gchar* registrar = nullptr;
  gchar* enrollee = nullptr;
  gchar* er = nullptr;
  gboolean router = FALSE;
  gchar* bssid = nullptr;
  gchar* router_uuid = nullptr;
  gint router_wait = 0;
  gboolean router_pin = FALSE;
  gchar* router_pin_file = nullptr;
  gchar* network = nullptr;
  gboolean keep_network = FALSE, joined = FALSE;
  gint timeout = 0;
  ~Options() {
    g_free(pin_file);
    g_free(registrar);
    g_free(enrollee);
    g_free(er);
    g_free(bssid);
    g_free(router_uuid);
    g_free(router_pin_file);
    g_free(network);
  }
};

}  // namespace

PairRequest ParsePairRequest(const char* command, int argc, char** argv, const GOptionEntry* extra,
                             const char* summary) {
  Options o;
  const GOptionEntry pair_entries[] = {
      {"pbc", 0, 0, G_OPTION_ARG_NONE, &o.pbc, "Push button: press the printer's WPS button too", nullptr},
      {"pin", 0, 0, G_OPTION_ARG_NONE, &o.pin_prompt, "Ask for the PIN on the terminal (not echoed)", nullptr},
      {"pin-file", 0, 0, G_OPTION_ARG_FILENAME, &o.pin_file, "Read the PIN from FILE (mode 600)", "FILE"},
      {"pin-stdin", 0, 0, G_OPTION_ARG_NONE, &o.pin_stdin, "Read the PIN from standard input", nullptr},
      {"generate-pin", 0, 0, G_OPTION_ARG_NONE, &o.generate, "Make up a PIN to type into the printer", nullptr},
      {"registrar", 0, 0, G_OPTION_ARG_STRING, &o.registrar,
       "This host is the access point: hostapd:CTRL_PATH (e.g. hostapd:/run/hostapd/wlan0)", "hostapd:CTRL_PATH"},
      {"router", 0, 0, G_OPTION_ARG_NONE, &o.router,
       "The home router is the access point: press its WPS button or hand it the PIN over UPnP", nullptr},
      {"router-uuid", 0, 0, G_OPTION_ARG_STRING, &o.router_uuid,
       "With --router: the router's UPnP UUID, when several devices answer as routers", "UUID"},
      {"router-wait", 0, 0, G_OPTION_ARG_INT, &o.router_wait,
       "With --router: look for the router over UPnP for up to SECONDS (default 15)", "SECONDS"},
      {"router-pin", 0, 0, G_OPTION_ARG_NONE, &o.router_pin,
       "With --router: ask for the router's own AP PIN (its label); the printer gets the router's own network",
       nullptr},
      {"router-pin-file", 0, 0, G_OPTION_ARG_FILENAME, &o.router_pin_file,
       "With --router: read the router's AP PIN from FILE (mode 600), as --router-pin", "FILE"},
      {"network", 0, 0, G_OPTION_ARG_STRING, &o.network,
       "With --router: the printer gets this saved network of the router's (e.g. its 2.4 GHz one) instead of "
       "this computer's",
       "SSID"},
      {"er", 0, 0, G_OPTION_ARG_STRING, &o.er,
       "With --router: wpa_supplicant's control socket for the External Registrar", "wpa_supplicant:CTRL_PATH"},
      {"enrollee", 0, 0, G_OPTION_ARG_STRING, &o.enrollee,
       "This host joins the printer's network: wpa_supplicant:IFACE", "wpa_supplicant:IFACE"},
      {"bssid", 0, 0, G_OPTION_ARG_STRING, &o.bssid, "With --enrollee: the printer's access point", "BSSID"},
      {"ap-pin", 0, 0, G_OPTION_ARG_NONE, &o.ap_pin,
       "With --enrollee: the PIN is the printer's access-point PIN; learn its network", nullptr},
      {"keep-network", 0, 0, G_OPTION_ARG_NONE, &o.keep_network,
       "With --enrollee: stay on the printer's network afterwards (NetworkManager: a saved profile)", nullptr},
      {"timeout", 't', 0, G_OPTION_ARG_INT, &o.timeout, "Give up after SECONDS (default and push-button limit 120)",
       "SECONDS"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &o.as_json, "Print events as JSON lines", nullptr},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &o.debug, "Log what happens to stderr (never the PIN)", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  std::vector<GOptionEntry> entries(std::begin(pair_entries), std::end(pair_entries) - 1);
  const bool setup = std::string_view(command) == "setup";
  if (setup) {
    entries.push_back({"joined", 0, 0, G_OPTION_ARG_NONE, &o.joined,
                       "With --enrollee: this host is on the printer's network already; pair nothing", nullptr});
  }
  for (const GOptionEntry* e = extra; e != nullptr && e->long_name != nullptr; ++e) entries.push_back(*e);
  entries.push_back(pair_entries[std::size(pair_entries) - 1]);
  PairRequest run;
  auto Usage = [&](const std::string& message) {
    log::Error(message + " (see 'cups-wps " + command + " --help')");
    run.exit_code = kExitUsage;
    return run;
  };
  if (!ParseOptions(command, "(--pbc | --pin | --pin-file FILE | --pin-stdin | --generate-pin)",
                    summary != nullptr ? summary : kSummary, entries.data(), &argc, &argv)) {
    run.exit_code = kExitUsage;
    return run;
  }
  run.json = o.as_json != FALSE;
  run.debug = o.debug != FALSE;
  // Do not repeat a stray argument: it may well be a PIN.
  if (argc > 1) return Usage("unexpected argument; the PIN is never read from the command line (use --pin, "
                             "--pin-file or --pin-stdin)");
  log::Configure(log::Style::kPlain, o.debug);
  // A PIN lives in this process: keep it out of core dumps and ptrace.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // A reader that goes away (pair --json | head -1) must not kill us before
  // the daemon is disarmed: writes then just fail.
  signal(SIGPIPE, SIG_IGN);

  const int methods = (o.pbc ? 1 : 0) + (o.pin_prompt ? 1 : 0) + (o.pin_file != nullptr ? 1 : 0) +
                      (o.pin_stdin ? 1 : 0) + (o.generate ? 1 : 0);
  if (o.joined) {
    if (o.enrollee == nullptr) return Usage("--joined goes with --enrollee");
    if (methods != 0 || o.ap_pin || o.keep_network) {
      return Usage("--joined pairs nothing: leave out --pbc, the PIN options, --ap-pin and --keep-network");
    }
    o.pbc = TRUE;  // nothing is armed; the push button's limits apply to nothing
  } else if (methods != 1) {
    return Usage("choose one of --pbc, --pin, --pin-file, --pin-stdin and --generate-pin");
  }
  if (o.keep_network && o.enrollee == nullptr) return Usage("--keep-network goes with --enrollee");
  const bool router_pin = o.router_pin || o.router_pin_file != nullptr;
  const bool router =
      o.router || o.er != nullptr || o.router_uuid != nullptr || o.router_wait != 0 || router_pin || o.network != nullptr;
  if (o.router_pin && o.router_pin_file != nullptr) return Usage("give --router-pin or --router-pin-file, not both");
  if (router_pin && o.joined) return Usage("--joined pairs nothing: leave out --router-pin");
  if (o.network != nullptr) {
    if (router_pin) return Usage("--network and --router-pin exclude each other: with the AP PIN the router gives its own network");
    if (o.joined) return Usage("--joined pairs nothing: leave out --network");
    const std::string_view ssid(o.network);
    if (ssid.empty() || ssid.size() > 32 || !text::IsValidUtf8(ssid) || text::HasControl(ssid)) {
      return Usage("--network takes a network name (SSID) of 1 to 32 bytes, as 'wpa_cli list_networks' shows it");
    }
  }
  if ((o.registrar != nullptr) + (o.enrollee != nullptr) + router > 1) {
    return Usage("--registrar, --enrollee and --router exclude each other");
  }
  if ((o.bssid != nullptr || o.ap_pin) && o.registrar != nullptr) {
    return Usage("--bssid and --ap-pin go with --enrollee");
  }
  if (o.ap_pin && (o.pbc || o.generate)) return Usage("--ap-pin needs the printer's PIN (--pin, --pin-file or --pin-stdin)");
  if (o.router_uuid != nullptr && NormalizeUuid(o.router_uuid).empty()) {
    return Usage("--router-uuid takes a UUID like 12345678-9abc-def0-1234-0000000000a1 (cups-wps pair --router "
                 "names the routers that answer)");
  }
  if (o.router_wait != 0 && (o.router_wait < 1 || o.router_wait > 60)) {
    return Usage("--router-wait takes 1 to 60 seconds");
  }
  if (o.bssid != nullptr && NormalizeMac(o.bssid).empty()) return Usage("--bssid takes a MAC address like 02:00:00:00:0a:01");
  const Method method = o.pbc ? Method::kPushButton : Method::kPin;

  Result<wps::DaemonChoice> daemon = o.registrar != nullptr ? wps::ParseRegistrarSpec(o.registrar)
                                     : o.enrollee != nullptr  ? wps::ParseEnrolleeSpec(o.enrollee)
                                     : o.er != nullptr        ? wps::ParseExternalRegistrarSpec(o.er)
                                     : router                 ? wps::PickRouter(wps::kSupplicantCtrlDir)
                                                  : wps::PickDaemon(wps::kHostapdCtrlDir, wps::kSupplicantCtrlDir);
  if (!daemon) {
    if (daemon.error().code == ErrorCode::kInvalidArgument) return Usage(daemon.error().message);
    log::Error(daemon.error().message);
    run.exit_code = ExitCodeFor(daemon.error().code);
    return run;
  }
  if ((o.bssid != nullptr || o.ap_pin) && (daemon->side != Side::kEnrollee || daemon->router)) {
    return Usage("--bssid and --ap-pin need wpa_supplicant (--enrollee)");
  }
  if (o.bssid != nullptr) run.bssid = NormalizeMac(o.bssid);
  if (o.router_uuid != nullptr) run.router_uuid = NormalizeUuid(o.router_uuid);
  if (o.router_wait != 0) run.router_wait = std::chrono::seconds(o.router_wait);
  const auto run_time = wps::RunTime(method, daemon->side, daemon->router, o.timeout);
  if (!run_time) return Usage(run_time.error().message);
  run.method = method;
  run.daemon = *daemon;
  run.run_time = run_time.value();
  run.ap_pin = o.ap_pin != FALSE;
  run.keep_network = o.keep_network != FALSE;
  run.joined = o.joined != FALSE;
  run.join = setup || run.keep_network;
  run.finds_printer = setup;
  if (o.pin_file != nullptr) run.pin_file = o.pin_file;
  if (o.router_pin_file != nullptr) run.router_pin_file = o.router_pin_file;
  if (o.network != nullptr) run.network = o.network;
  run.router_pin_from = o.router_pin_file != nullptr ? PairRequest::PinFrom::kFile
                        : o.router_pin              ? PairRequest::PinFrom::kPrompt
                                                    : PairRequest::PinFrom::kNone;
  run.pin_from = method == Method::kPushButton ? PairRequest::PinFrom::kNone
                 : o.generate                  ? PairRequest::PinFrom::kGenerate
                 : o.pin_file != nullptr       ? PairRequest::PinFrom::kFile
                 : o.pin_stdin                 ? PairRequest::PinFrom::kStdin
                                               : PairRequest::PinFrom::kPrompt;
  return run;
}

PairRun RunPairing(const PairRequest& request) {
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  PairRun result;
  std::unique_ptr<HostWifi> wifi;
  if (request.daemon.side == Side::kEnrollee && !request.daemon.router) wifi = std::make_unique<HostWifi>(request);
  {
    PairingRun run(request, wifi.get());
    run.Start([&](PairRun r) {
      result = std::move(r);
      g_main_loop_quit(loop.get());
    });
    g_main_loop_run(loop.get());
  }
  if (wifi) wifi->RestoreAndWait();
  return result;
}

}  // namespace cupswps::backend
