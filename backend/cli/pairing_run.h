// One pairing run on the default main context, for a command that does more
// on the same loop meanwhile (setup looks for the printer while the router
// pairs it): the PIN, the daemon's driver, the Session and pair's live view,
// and Ctrl-C (the first one disarms the daemon, a second stops waiting).
// RunPairing (pair_run.h) is this on a loop of its own.
#pragma once

#include <functional>
#include <memory>

#include "backend/cli/pair_run.h"
#include "backend/cli/pair_view.h"
#include "common/clock.h"
#include "common/glib.h"
#include "wps/pin.h"

namespace cupswps::backend {

class PairingRun {
 public:
  explicit PairingRun(const PairRequest& request);
  ~PairingRun();
  PairingRun(const PairingRun&) = delete;
  PairingRun& operator=(const PairingRun&) = delete;

  // Obtains the PIN (which may prompt), arms the daemon and runs. `done` runs
  // once, from the loop; `progress`, when set, sees every step after the view.
  void Start(std::function<void(PairRun)> done, std::function<void(const wps::Progress&)> progress = {});
  // The caller saw the paired printer by other means (Session::Paired).
  void Paired(const wps::Device& device);

 private:
  void Finish(PairRun run);

  const PairRequest& request_;
  GlibClock clock_{nullptr};
  std::unique_ptr<wps::WpsRegistrar> registrar_;
  std::unique_ptr<wps::WpsEnrollee> enrollee_;
  std::unique_ptr<wps::Session> session_;
  std::unique_ptr<PairView> view_;
  std::function<void(PairRun)> done_;
  int interrupts_ = 0;
  SourceGuard sigint_, sigterm_, sighup_, ticker_, finish_;
};

}  // namespace cupswps::backend
