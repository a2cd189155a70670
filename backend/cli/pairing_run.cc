// One pairing run on the default main context; see pairing_run.h.
#include "backend/cli/pairing_run.h"

#include <signal.h>
#include <unistd.h>

#include <utility>

#include "backend/cli/commands.h"
#include "common/log.h"
#include "wps/hostapd_registrar.h"
#include "wps/pin_input.h"
#include "wps/supplicant_enrollee.h"
#include "wps/supplicant_er.h"

namespace cupswps::backend {
namespace {

using wps::Method;
using wps::Side;

Result<wps::Pin> ObtainPin(const PairRequest& r) {
  switch (r.pin_from) {
    case PairRequest::PinFrom::kGenerate: return wps::GeneratePin();
    case PairRequest::PinFrom::kFile: return wps::ReadPinFile(r.pin_file);
    case PairRequest::PinFrom::kStdin: return wps::ReadPinFd(STDIN_FILENO);
    default: return wps::PromptPin("WPS PIN: ");
  }
}

// Router mode, and the router offers computers no WPS.
PairRun NoRouterWps(const PairRequest& request, PairRun run, const std::string& why) {
  run.exit_code = kExitNoDaemon;
  run.router_without_wps = true;
  run.no_router_wps = why;
  if (!request.router_fallback) {
    log::Error((why.empty() ? std::string() : why + " ") +
               "Press the WPS button on the router, then the one on the printer; 'cups-wps setup --router' waits "
               "for the printer and makes its queue.");
  }
  return run;
}

}  // namespace

PairingRun::PairingRun(const PairRequest& request) : request_(request) {
  const wps::DaemonChoice& daemon = request.daemon;
  if (daemon.router && daemon.target.empty()) return;  // nothing to drive
  if (daemon.router) {
    registrar_ = std::make_unique<wps::SupplicantExternalRegistrar>(nullptr, daemon.target,
                                                                    wps::SupplicantExternalRegistrar::Options{});
  } else if (daemon.side == Side::kRegistrar) {
    registrar_ = std::make_unique<wps::HostapdRegistrar>(nullptr, daemon.target,
                                                         wps::HostapdRegistrar::Options{.daemon = daemon.daemon});
  } else {
    enrollee_ = std::make_unique<wps::SupplicantEnrollee>(
        nullptr, wps::SupplicantEnrollee::Options{
                     .ifname = daemon.target, .bssid = request.bssid, .learn_with_ap_pin = request.ap_pin});
  }
  const wps::Session::Options options{request.method, request.run_time};
  session_ = registrar_ ? std::make_unique<wps::Session>(*registrar_, clock_, options)
                        : std::make_unique<wps::Session>(*enrollee_, clock_, options);
}

PairingRun::~PairingRun() = default;

void PairingRun::Finish(PairRun run) {
  sigint_.reset();
  sigterm_.reset();
  sighup_.reset();
  ticker_.reset();
  // From the loop, never from inside Start.
  finish_ = Schedule(nullptr, 0, [this, run = std::move(run)]() mutable {
    if (auto done = std::exchange(done_, nullptr)) done(std::move(run));
    return false;
  });
}

void PairingRun::Start(std::function<void(PairRun)> done, std::function<void(const wps::Progress&)> progress) {
  done_ = std::move(done);
  const PairView::Style style = request_.json              ? PairView::Style::kJson
                                : isatty(STDOUT_FILENO) ? PairView::Style::kTerminal
                                                         : PairView::Style::kPlain;
  view_ = std::make_unique<PairView>(style, session_.get());
  view_->Daemon(request_.daemon);
  if (!session_) return Finish(NoRouterWps(request_, PairRun{}, ""));  // the person presses the router's button

  wps::Pin pin;
  if (request_.method == Method::kPin) {
    auto obtained = ObtainPin(request_);
    if (!obtained) {
      log::Error(obtained.error().message);
      return Finish(PairRun{obtained.error().code == ErrorCode::kCancelled ? kExitInterrupted : kExitUsage, {}});
    }
    pin = std::move(obtained.value());
  }
  if (request_.pin_from == PairRequest::PinFrom::kGenerate) view_->GeneratedPin(pin);

  auto interrupt = [this] {
    // The first Ctrl-C disarms the daemon and waits for it to confirm; a
    // second one stops waiting (hostapd still drops a PIN at its timeout).
    if (++interrupts_ == 1 && !session_->finished()) return session_->Cancel();
    Finish(PairRun{kExitInterrupted, {}});
  };
  sigint_ = OnUnixSignal(SIGINT, interrupt);
  sigterm_ = OnUnixSignal(SIGTERM, interrupt);
  sighup_ = OnUnixSignal(SIGHUP, interrupt);
  ticker_ = Schedule(nullptr, 1000, [this] {
    view_->Tick();
    return true;
  });
  session_->Start(&pin, wps::Session::Listener{
                            [this, progress = std::move(progress)](const wps::Progress& s) {
                              view_->Show(s);
                              if (progress) progress(s);
                            },
                            [this](const Result<wps::Pairing>& r) {
                              if (!done_) return;
                              if (!r.ok() && r.error().code == ErrorCode::kWpsNoRouterWps) {
                                return Finish(NoRouterWps(request_, PairRun{}, r.error().message));
                              }
                              PairRun run{r.ok() ? kExitOk : ExitCodeFor(r.error().code), {}};
                              if (r.ok()) run.pairing = r.value();
                              view_->Done(r, run.exit_code);
                              if (!r.ok()) log::Debug(r.error().detail);
                              Finish(std::move(run));
                            }});
  // The session copied what it needed; nothing else reads the PIN.
}

void PairingRun::Paired(const wps::Device& device) {
  if (session_) session_->Paired(device);
}

}  // namespace cupswps::backend
