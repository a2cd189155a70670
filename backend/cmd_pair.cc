// `cups-wps pair`: put a printer on the network with Wi-Fi Protected Setup,
// push button or PIN, through the host's hostapd (this host is the access
// point) or wpa_supplicant (this host joins the printer's network). The
// wps/ module does the work; this file is the command line and the display.
#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "backend/cli.h"
#include "backend/commands.h"
#include "backend/pair_run.h"
#include "common/handle.h"
#include "common/json.h"
#include "common/log.h"
#include "wps/clock.h"
#include "wps/hostapd_registrar.h"
#include "wps/local_daemons.h"
#include "wps/pin_input.h"
#include "wps/secret.h"
#include "wps/session.h"
#include "wps/supplicant_enrollee.h"
#include "wps/walk_time.h"

namespace cupswps::backend {
namespace {

using wps::Method;
using wps::Side;

constexpr char kSummary[] =
    "Pairs a printer with Wi-Fi Protected Setup. As an access point (hostapd), this host\n"
    "hands its network to the printer; as a station (wpa_supplicant), it joins the\n"
    "printer's own network. With no --registrar or --enrollee, the daemon this host runs\n"
    "is used. The PIN is never taken from the command line.\n"
    "\n"
    "Exit status: 0 paired, 1 other failure, 2 usage, 3 wrong PIN, 4 timeout,\n"
    "5 push-button overlap, 6 access point locked, 7 no daemon (or it went away),\n"
    "130 interrupted.";

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kWpsWrongPin: return kExitWrongPin;
    case ErrorCode::kTimeout: return kExitTimeout;
    case ErrorCode::kWpsOverlap: return kExitOverlap;
    case ErrorCode::kWpsLocked: return kExitLocked;
    case ErrorCode::kWpsNoDaemon:
    case ErrorCode::kWpsDaemonGone: return kExitNoDaemon;
    case ErrorCode::kCancelled: return kExitInterrupted;
    default: return kExitFailure;
  }
}

std::string_view ResultName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kWpsWrongPin: return "wrong-pin";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kWpsOverlap: return "overlap";
    case ErrorCode::kWpsLocked: return "locked";
    case ErrorCode::kWpsNoDaemon: return "no-daemon";
    case ErrorCode::kWpsDaemonGone: return "daemon-gone";
    case ErrorCode::kWpsRefused: return "refused";
    case ErrorCode::kCancelled: return "cancelled";
    default: return "failed";
  }
}

std::string Joined(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += (s.empty() ? "" : "/") + w;
  return s;
}

// How a run is shown: JSON lines, a live line on a terminal, or plain lines.
class PairView {
 public:
  enum class Style { kJson, kTerminal, kPlain };
  PairView(Style style, const wps::Session& session) : style_(style), session_(session) {}

  void Daemon(const wps::DaemonChoice& d) {
    if (style_ == Style::kJson) {
      json::Writer w;
      w.BeginObject().Key("event").String("daemon").Key("daemon").String(d.daemon);
      w.Key("side").String(d.side == Side::kRegistrar ? "registrar" : "enrollee").Key("target").String(d.target);
      w.Key("reason").StringOrNull(d.reason).EndObject();
      Out(w.str() + "\n");
      return;
    }
    std::string line = "Using " + d.daemon + (d.side == Side::kRegistrar ? " at " : " on ") + d.target;
    if (!d.reason.empty()) line += " (" + d.reason + ")";
    Line(line + ".");
  }

  // A generated PIN is shown once, for the person to type into the printer.
  void GeneratedPin(const wps::Pin& pin) {
    char grouped[10];
    const std::size_t n = pin.Grouped(grouped);
    wps::SecretString line;
    if (style_ == Style::kJson) {
      line.str().append("{\"event\":\"pin\",\"pin\":\"").append(grouped, n).append("\"}\n");
    } else {
      line.str().append("Enter this PIN on the printer: ").append(grouped, n).append("\n");
    }
    wps::Wipe(grouped, sizeof grouped);
    ClearLive();
    std::fwrite(line.str().data(), 1, line.str().size(), stdout);
    std::fflush(stdout);
  }

  void Status(const wps::Status& s) {
    if (s.phase == wps::Status::Phase::kDisarming) {
      ClearLive();
      return;
    }
    status_ = wps::DescribeStatus(s, session_.side(), session_.method());
    if (style_ == Style::kJson) {
      json::Writer w;
      w.BeginObject().Key("event").String(PhaseName(s.phase)).Key("text").String(status_);
      if (!s.device.mac.empty()) w.Key("mac").String(s.device.mac);
      if (!s.device.uuid.empty()) w.Key("uuid").String(s.device.uuid);
      if (!s.device.name.empty()) w.Key("name").String(s.device.name);
      if (s.phase == wps::Status::Phase::kWaiting) {
        w.Key("timeout").Int(static_cast<std::int64_t>(session_.run_time().count()));
      }
      w.EndObject();
      Out(w.str() + "\n");
    } else if (style_ == Style::kPlain) {
      std::string line = status_;
      if (s.phase == wps::Status::Phase::kWaiting) line += " (" + std::to_string(session_.run_time().count()) + " s)";
      Line(line);
    } else {
      Tick();
    }
  }

  // Redraws the live line with the time left (terminal only).
  void Tick() {
    if (style_ != Style::kTerminal || status_.empty()) return;
    const long long left = (session_.Remaining().count() + 999) / 1000;
    char head[32];
    std::snprintf(head, sizeof head, "\r\033[K[%3lld s] ", left);
    Out(head + status_);
    live_ = true;
  }

  void Done(const Result<wps::Pairing>& r, int exit_code) {
    ClearLive();
    if (style_ == Style::kJson) {
      json::Writer w;
      w.BeginObject();
      if (r.ok()) {
        const wps::Pairing& p = r.value();
        w.Key("event").String("paired").Key("side").String(p.side == Side::kRegistrar ? "registrar" : "enrollee");
        if (p.side == Side::kRegistrar) {
          w.Key("mac").String(p.device.mac).Key("uuid").StringOrNull(p.device.uuid);
          w.Key("name").StringOrNull(p.device.name);
        } else {
          w.Key("networks").BeginArray();
          for (const wps::NetworkCredentials& n : p.networks) {
            w.BeginObject().Key("ssid").String(n.ssid).Key("auth").StringArray(n.auth_types);
            w.Key("encryption").StringArray(n.encr_types).Key("key").Bool(n.has_key).EndObject();
          }
          w.EndArray();
        }
        w.Key("elapsed_ms").Int(static_cast<std::int64_t>(p.elapsed.count()));
      } else {
        w.Key("event").String("failed").Key("result").String(ResultName(r.error().code));
        w.Key("message").String(r.error().message);
      }
      w.Key("exit").Int(exit_code).EndObject();
      Out(w.str() + "\n");
    } else if (r.ok()) {
      Line(SuccessText(r.value()));
    }
    if (!r.ok()) log::Error(r.error().message);
  }

  void Line(const std::string& s) {
    ClearLive();
    Out(s + "\n");
    if (style_ == Style::kTerminal) Tick();
  }

 private:
  static const char* PhaseName(wps::Status::Phase p) {
    switch (p) {
      case wps::Status::Phase::kArming: return "arming";
      case wps::Status::Phase::kWaiting: return "armed";
      case wps::Status::Phase::kDeviceSeen: return "device-seen";
      case wps::Status::Phase::kPinNeeded: return "pin-needed";
      case wps::Status::Phase::kExchanging: return "exchanging";
      case wps::Status::Phase::kNotReady: return "not-ready";
      case wps::Status::Phase::kRetrying: return "retrying";
      case wps::Status::Phase::kApLocked: return "ap-locked";
      case wps::Status::Phase::kDisarming: return "disarming";
    }
    return "status";
  }

  static std::string SuccessText(const wps::Pairing& p) {
    const std::string seconds = std::to_string(p.elapsed.count() / 1000) + "." +
                                std::to_string(p.elapsed.count() % 1000 / 100) + " s";
    if (p.side == Side::kRegistrar) {
      std::string s = "Paired " + p.device.mac;
      if (!p.device.name.empty()) s += " (" + p.device.name + ")";
      if (!p.device.uuid.empty()) s += ", UUID " + p.device.uuid;
      return s + ", in " + seconds + ". The printer now joins the network.";
    }
    if (p.networks.empty()) return "Paired in " + seconds + "; the printer's side sent no network settings.";
    std::string s = "Received the printer's network in " + seconds + ":";
    for (const wps::NetworkCredentials& n : p.networks) {
      s += " SSID \"" + n.ssid + "\" (" + (n.auth_types.empty() ? "?" : Joined(n.auth_types)) + ", " +
           (n.encr_types.empty() ? "?" : Joined(n.encr_types)) + (n.has_key ? ", with a key" : ", no key") + ")";
    }
    return s + ". wpa_supplicant keeps the key and connects.";
  }

  void ClearLive() {
    if (live_) Out("\r\033[K");
    live_ = false;
  }

  Style style_;
  const wps::Session& session_;
  std::string status_;
  bool live_ = false;
};

wps::SourceGuard OnUnixSignal(int signum, std::function<void()> fn) {
  GSource* s = g_unix_signal_source_new(signum);
  g_source_set_callback(
      s,
      +[](gpointer data) -> gboolean {
        wps::Guarded("signal", [data] { (*static_cast<std::function<void()>*>(data))(); });
        return G_SOURCE_CONTINUE;
      },
      new std::function<void()>(std::move(fn)), +[](gpointer data) { delete static_cast<std::function<void()>*>(data); });
  g_source_attach(s, nullptr);
  return wps::SourceGuard(s);
}

struct Options {
  gboolean pbc = FALSE, pin_prompt = FALSE, pin_stdin = FALSE, generate = FALSE, ap_pin = FALSE;
  gboolean as_json = FALSE, debug = FALSE;
  gchar* pin_file = nullptr;
  gchar* registrar = nullptr;
  gchar* enrollee = nullptr;
  gchar* bssid = nullptr;
  gint timeout = 0;
  ~Options() {
    g_free(pin_file);
    g_free(registrar);
    g_free(enrollee);
    g_free(bssid);
  }
};

Result<wps::Pin> ObtainPin(const Options& o) {
  if (o.generate) return wps::GeneratePin();
  if (o.pin_file != nullptr) return wps::ReadPinFile(o.pin_file);
  if (o.pin_stdin) return wps::ReadPinFd(STDIN_FILENO);
  return wps::PromptPin("WPS PIN: ");
}

}  // namespace

PairRun ParseAndPair(const char* command, int argc, char** argv, const GOptionEntry* extra, const char* summary) {
  Options o;
  const GOptionEntry pair_entries[] = {
      {"pbc", 0, 0, G_OPTION_ARG_NONE, &o.pbc, "Push button: press the printer's WPS button too", nullptr},
      {"pin", 0, 0, G_OPTION_ARG_NONE, &o.pin_prompt, "Ask for the PIN on the terminal (not echoed)", nullptr},
      {"pin-file", 0, 0, G_OPTION_ARG_FILENAME, &o.pin_file, "Read the PIN from FILE (mode 600)", "FILE"},
      {"pin-stdin", 0, 0, G_OPTION_ARG_NONE, &o.pin_stdin, "Read the PIN from standard input", nullptr},
      {"generate-pin", 0, 0, G_OPTION_ARG_NONE, &o.generate, "Make up a PIN to type into the printer", nullptr},
      {"registrar", 0, 0, G_OPTION_ARG_STRING, &o.registrar,
       "This host is the access point: hostapd:CTRL_PATH (e.g. hostapd:/run/hostapd/wlan0)", "hostapd:CTRL_PATH"},
      {"enrollee", 0, 0, G_OPTION_ARG_STRING, &o.enrollee,
       "This host joins the printer's network: wpa_supplicant:IFACE", "wpa_supplicant:IFACE"},
      {"bssid", 0, 0, G_OPTION_ARG_STRING, &o.bssid, "With --enrollee: the printer's access point", "BSSID"},
      {"ap-pin", 0, 0, G_OPTION_ARG_NONE, &o.ap_pin,
       "With --enrollee: the PIN is the printer's access-point PIN; learn its network", nullptr},
      {"timeout", 't', 0, G_OPTION_ARG_INT, &o.timeout, "Give up after SECONDS (default and push-button limit 120)",
       "SECONDS"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &o.as_json, "Print events as JSON lines", nullptr},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &o.debug, "Log what happens to stderr (never the PIN)", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  std::vector<GOptionEntry> entries(std::begin(pair_entries), std::end(pair_entries) - 1);
  for (const GOptionEntry* e = extra; e != nullptr && e->long_name != nullptr; ++e) entries.push_back(*e);
  entries.push_back(pair_entries[std::size(pair_entries) - 1]);
  PairRun run;
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
  if (methods != 1) return Usage("choose one of --pbc, --pin, --pin-file, --pin-stdin and --generate-pin");
  if (o.registrar != nullptr && o.enrollee != nullptr) return Usage("--registrar and --enrollee exclude each other");
  if ((o.bssid != nullptr || o.ap_pin) && o.registrar != nullptr) {
    return Usage("--bssid and --ap-pin go with --enrollee");
  }
  if (o.ap_pin && (o.pbc || o.generate)) return Usage("--ap-pin needs the printer's PIN (--pin, --pin-file or --pin-stdin)");
  if (o.bssid != nullptr && wps::NormalizeMac(o.bssid).empty()) return Usage("--bssid takes a MAC address like 02:00:00:00:0a:01");
  const Method method = o.pbc ? Method::kPushButton : Method::kPin;

  Result<wps::DaemonChoice> daemon = o.registrar != nullptr  ? wps::ParseRegistrarSpec(o.registrar)
                                     : o.enrollee != nullptr ? wps::ParseEnrolleeSpec(o.enrollee)
                                                             : wps::PickDaemon(wps::kHostapdCtrlDir);
  if (!daemon) {
    if (daemon.error().code == ErrorCode::kInvalidArgument) return Usage(daemon.error().message);
    log::Error(daemon.error().message);
    run.exit_code = ExitCodeFor(daemon.error().code);
    return run;
  }
  if ((o.bssid != nullptr || o.ap_pin) && daemon->side != Side::kEnrollee) {
    return Usage("--bssid and --ap-pin need wpa_supplicant (--enrollee)");
  }
  run.target = daemon->target;
  if (o.bssid != nullptr) run.bssid = wps::NormalizeMac(o.bssid);
  const auto run_time = wps::RunTime(method, daemon->side, o.timeout);
  if (!run_time) return Usage(run_time.error().message);

  wps::Pin pin;
  if (method == Method::kPin) {
    auto obtained = ObtainPin(o);
    if (!obtained) {
      log::Error(obtained.error().message);
      run.exit_code = obtained.error().code == ErrorCode::kCancelled ? kExitInterrupted : kExitUsage;
      return run;
    }
    pin = std::move(obtained.value());
  }

  std::unique_ptr<wps::WpsRegistrar> registrar;
  std::unique_ptr<wps::WpsEnrollee> enrollee;
  if (daemon->side == Side::kRegistrar) {
    registrar = std::make_unique<wps::HostapdRegistrar>(
        nullptr, daemon->target, wps::HostapdRegistrar::Options{.daemon = daemon->daemon});
  } else {
    enrollee = std::make_unique<wps::SupplicantEnrollee>(
        nullptr, wps::SupplicantEnrollee::Options{.ifname = daemon->target,
                                                  .bssid = o.bssid != nullptr ? o.bssid : "",
                                                  .learn_with_ap_pin = o.ap_pin != FALSE});
  }
  wps::GlibClock clock(nullptr);
  const wps::Session::Options session_options{method, run_time.value()};
  wps::Session session = registrar ? wps::Session(*registrar, clock, session_options)
                                   : wps::Session(*enrollee, clock, session_options);
  const PairView::Style style = o.as_json                ? PairView::Style::kJson
                                : isatty(STDOUT_FILENO) ? PairView::Style::kTerminal
                                                         : PairView::Style::kPlain;
  PairView view(style, session);
  view.Daemon(*daemon);
  if (o.generate) view.GeneratedPin(pin);

  CPtr<GMainLoop, g_main_loop_unref> loop(g_main_loop_new(nullptr, FALSE));
  std::optional<int> exit_code;
  int interrupts = 0;
  auto interrupt = [&] {
    // The first Ctrl-C disarms the daemon and waits for it to confirm; a
    // second one stops waiting (hostapd still drops a PIN at its timeout).
    if (++interrupts == 1 && !session.finished()) {
      session.Cancel();
      return;
    }
    exit_code = kExitInterrupted;
    g_main_loop_quit(loop.get());
  };
  wps::SourceGuard sigint = OnUnixSignal(SIGINT, interrupt);
  wps::SourceGuard sigterm = OnUnixSignal(SIGTERM, interrupt);
  wps::SourceGuard sighup = OnUnixSignal(SIGHUP, interrupt);
  wps::SourceGuard ticker = wps::Schedule(nullptr, 1000, [&] {
    view.Tick();
    return true;
  });

  session.Start(&pin, wps::Session::Listener{
                          [&](const wps::Status& s) { view.Status(s); },
                          [&](const Result<wps::Pairing>& r) {
                            if (exit_code) return;
                            exit_code = r.ok() ? kExitOk : ExitCodeFor(r.error().code);
                            if (r.ok()) run.pairing = r.value();
                            view.Done(r, *exit_code);
                            if (!r.ok()) log::Debug(r.error().detail);
                            g_main_loop_quit(loop.get());
                          }});
  // The session copied what it needed; nothing else reads the PIN.
  pin = wps::Pin();
  if (!exit_code) g_main_loop_run(loop.get());
  run.exit_code = exit_code.value_or(kExitFailure);
  return run;
}

int RunPair(int argc, char** argv) { return ParseAndPair("pair", argc, argv, nullptr, nullptr).exit_code; }

}  // namespace cupswps::backend
