// SPDX-License-Identifier: Apache-2.0
// The `wps` CUPS backend (see backend(7) and cups-wps-backend(7)).
//   no arguments   list printers without a queue, one cupsBackendReport line each
//   6 or 7 args    print a job: find the printer named by the wps:// device
//                  URI through mDNS; when its identity is pinned with IPPS,
//                  check every endpoint that answers for it and print only
//                  to one with the pinned key, through CUPS's own ipp backend
//                  and a relay that checks each TLS session (pinned_job.h);
//                  otherwise exec CUPS's ipp/ipps backend with the printer's
//                  current URI (as CUPS's dnssd backend does)
// It runs as user lp and needs no privileges.
#include <cups/backend.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "backend/endpoint_choice.h"
#include "backend/gnutls_session.h"
#include "backend/pinned_job.h"
#include "backend/report.h"
#include "backend/scan.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "queues/pin_store.h"

namespace {

using namespace cupswps;

// Listing must never be the slowest backend cups-deviced waits for: stop at
// a complete mDNS view, and at this time limit unless the view still grows
// (a network of a thousand printers: avahi-daemon may need longer to resolve
// them all); then wait on, up to kGrowListSeconds. cups-deviced waits 15 s
// for its backends when lpinfo asks (its default timeout).
constexpr double kDefaultListSeconds = 3.0;
constexpr double kGrowListSeconds = 10.0;
// A job waits this long for its printer to show up before CUPS retries it.
constexpr double kDefaultResolveSeconds = 30.0;
// Reading the key one endpoint presents.
constexpr std::chrono::milliseconds kCheckTimeout{5000};

double EnvSeconds(const char* name, double fallback, double max) {
  const char* env = std::getenv(name);
  if (env == nullptr) return fallback;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  return (end != env && *end == '\0' && v > 0.0 && v <= max) ? v : fallback;
}

// cups-deviced (CUPS 2.4) stops reading a backend's pipe as soon as it has
// reaped the backend: lines still in the pipe then are lost. A listing that
// writes 200 lines and exits at once lost most of them through lpinfo. So
// wait, briefly, until the reader has taken everything from the pipe.
void WaitForReaderToDrain() {
  std::fflush(stdout);
  struct stat st {};
  if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  for (int waited_ms = 0; waited_ms < 2000; waited_ms += 5) {
    int unread = 0;
    if (ioctl(STDOUT_FILENO, FIONREAD, &unread) != 0 || unread == 0) return;
    // No event says "the other end has read it all": look again shortly.
    poll(nullptr, 0, 5);
  }
}

int ListDevices() {
  // CUPS_WPS_BACKEND_TIMEOUT, when set, is the limit.
  const bool fixed = std::getenv("CUPS_WPS_BACKEND_TIMEOUT") != nullptr;
  auto scan = backend::Scan(backend::ScanOptions{
      .timeout_seconds = EnvSeconds("CUPS_WPS_BACKEND_TIMEOUT", kDefaultListSeconds, 60),
      .grow_limit_seconds = fixed ? 0.0 : kGrowListSeconds,
      .need_queues = false});
  if (!scan) {
    log::Debug(scan.error().detail);
    log::Error(scan.error().message);
    return CUPS_BACKEND_FAILED;
  }
  if (scan->extended) log::Debug("the view still grew at the time limit; waited on");
  if (!scan->complete) log::Debug("mDNS view incomplete at the time limit; reporting what was resolved");
  if (!scan->queues_known) log::Debug("could not ask cupsd for its queues; reporting every printer");
  for (const backend::FoundPrinter& f : scan->printers) {
    if (!f.queue.empty()) continue;
    const backend::DeviceReport r = backend::MakeDeviceReport(f.printer);
    cupsBackendReport(r.device_class.c_str(), r.uri.c_str(), r.make_and_model.c_str(), r.info.c_str(),
                      r.device_id.c_str(), r.location.c_str());
  }
  WaitForReaderToDrain();
  return CUPS_BACKEND_OK;
}

std::string ServerBinProgram(const std::string& scheme) {
  const char* serverbin = std::getenv("CUPS_SERVERBIN");
  return std::string(serverbin != nullptr ? serverbin : CUPS_WPS_SERVERBIN) + "/backend/" + scheme;
}

// The printer's pin; an Error sentence when there is one that cannot be used.
Result<std::optional<queues::Pin>> LoadPin(const discovery::WpsUri& want) {
  const queues::PinStore pins = queues::PinStore::Default();
  const std::string key = queues::PrinterKeyOf(want);
  // Even no pin must be one that lp could not have removed.
  if (pins.ChangeableByCaller(key)) {
    return Error{ErrorCode::kRefused,
                 "The printer's pin " + pins.PathFor(key) + " can be changed by the user the wps backend runs as, " +
                     "so it proves nothing; its directory must belong to root (see cups-wps(1)).",
                 ""};
  }
  return pins.Load(key);
}

int PrintJob(char** argv) {
  const char* env_uri = std::getenv("DEVICE_URI");
  const std::string device_uri = env_uri != nullptr ? env_uri : argv[0];
  const auto want = discovery::ParseWpsUri(device_uri);
  if (!want) {
    log::Error("The device URI is not a valid wps:// URI (wps://uuid/UUID or wps://name/NAME).");
    return CUPS_BACKEND_FAILED;
  }
  const char* queue_env = std::getenv("PRINTER");
  const std::string queue = queue_env != nullptr ? queue_env : "QUEUE";
  auto pin = LoadPin(*want);
  if (!pin) {
    log::Error(pin.error().message);
    return CUPS_BACKEND_STOP;
  }
  const std::string who = want->uuid.empty() ? "'" + want->name + "'" : "the printer with UUID " + want->uuid;
  const double limit = EnvSeconds("CUPS_WPS_RESOLVE_TIMEOUT", kDefaultResolveSeconds, 3600);
  std::fputs("STATE: +connecting-to-device\n", stderr);
  log::Info("Looking for " + who + " on the network");
  // Every endpoint that answers for the printer is wanted, not only the
  // first: an impostor may answer before it.
  auto found = backend::FindNamedPrinter(*want, limit);
  if (!found) {
    log::Error(found.error().message);
    return CUPS_BACKEND_RETRY;
  }
  if (found->interrupted) return CUPS_BACKEND_OK;  // the job was cancelled
  auto key_of = [](const discovery::Endpoint& e) { return backend::KeyPinAt(e, kCheckTimeout); };
  const backend::EndpointChoice choice =
      found->printer ? backend::ChooseEndpoint(*pin, *found->printer, key_of) : backend::EndpointChoice{};
  switch (choice.kind) {
    case backend::EndpointChoice::Kind::kMismatch:
      return backend::ReportIdentityMismatch(queue, choice.seen);
    case backend::EndpointChoice::Kind::kNotFound:
      for (const std::string& line : choice.seen) log::Debug(line);
      log::Error("Cannot find " + who + " on the network; CUPS will try again. Is it switched on and connected?");
      return CUPS_BACKEND_RETRY;
    case backend::EndpointChoice::Kind::kVerified:
      for (const std::string& line : choice.seen) log::Debug(line);
      std::fputs("STATE: -cups-pki-changed\nSTATE: -connecting-to-device\n", stderr);
      return backend::RunPinnedJob(*choice.endpoint, (*pin)->identity.key_pin, ServerBinProgram("ipp"), argv, queue);
    case backend::EndpointChoice::Kind::kUnverified:
      break;
  }
  if (!pin->has_value()) {
    log::Info("The identity of " + who + " was never pinned, so nothing checks that this job reaches it; run "
              "'cups-wps trust " + queue + "' to pin it.");
  }
  const std::string uri = choice.endpoint->Uri();
  const std::string scheme = uri.substr(0, uri.find(':'));
  const std::string program = ServerBinProgram(scheme);
  std::fputs("STATE: -connecting-to-device\n", stderr);
  log::Debug("resolved " + device_uri + " to " + uri + " (identity unverified); running " + program);
  setenv("DEVICE_URI", uri.c_str(), 1);
  std::string argv0 = uri;
  argv[0] = argv0.data();
  execv(program.c_str(), argv);
  log::Error("Cannot run CUPS's " + scheme + " backend (" + program + "): " + std::strerror(errno));
  return CUPS_BACKEND_FAILED;
}

}  // namespace

int main(int argc, char** argv) {
  log::Configure(log::Style::kBackend, false);
  // CUPS sends SIGTERM to cancel a job; ignore SIGPIPE as every backend does.
  signal(SIGPIPE, SIG_IGN);
  if (argc == 1) return ListDevices();
  if (argc == 6 || argc == 7) return PrintJob(argv);
  std::fprintf(stderr, "Usage: %s job-id user title copies options [file]\n", argv[0]);
  return CUPS_BACKEND_FAILED;
}
