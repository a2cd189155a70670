// SPDX-License-Identifier: Apache-2.0
// One pairing run, the same state machine for both seams:
//
//   Start -> arming -> waiting -> (device seen, exchanging, retrying ...)
//        -> disarming -> done(result)
//
// The run ends at the first decisive input: success (a registrar's
// kRegistered, an enrollee's kSuccess), a failure that another try within the
// same run cannot fix (wrong PIN, overlap, locked, daemon gone or refusing),
// the run time (our own timer, so it holds whatever the daemon does), or
// Cancel. Every ending disarms the daemon before `done` is called, so nothing
// is left armed; after a success the daemon has ended the run itself.
//
// All callbacks run on the Clock's main context; no method calls a listener
// from inside itself. The session must outlive the run (until `done`), and
// the driver and clock must outlive the session.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "common/result.h"
#include "common/clock.h"
#include "wps/enrollee.h"
#include "wps/event.h"
#include "wps/registrar.h"

namespace cupswps::wps {

// What is happening now, for the live display.
struct Progress {
  enum class Phase {
    kArming,      // talking to the daemon
    kWaiting,     // armed: waiting for the printer (its button, or the PIN)
    kDeviceSeen,  // a device in WPS mode is around (device)
    kPinNeeded,   // a device came with a PIN this run does not have (device)
    kExchanging,  // the registration protocol runs with a device (device.mac)
    kNotReady,    // enrollee: the printer's side has no password for us yet
    kRetrying,    // an exchange failed (config_error); the run goes on
    kApLocked,    // registrar: the AP PIN was locked (others guessed); the run goes on
    kRouterSearch,         // External Registrar: no router answered yet; asked again (left_s)
    kRouterFound,          // External Registrar: the home router answered (device: the router)
    kRouterLost,           // External Registrar: the router left UPnP; waited for (left_s)
    kRouterLearning,       // External Registrar: asking the router for its own settings (its AP PIN)
    kRouterSettings,       // External Registrar: the printer gets the router's own network (network)
    kRouterNetworkScan,    // External Registrar: looking over the air for the router's network named by --network (network)
    kRouterButtonPressed,  // External Registrar: the router's virtual WPS button is pressed
    kDisarming,   // the run is over; disarming the daemon
  };
  Phase phase = Phase::kArming;
  Device device;
  int config_error = 0;
  int left_s = 0;  // kRouterSearch, kRouterLost: seconds it is waited for
  NetworkCredentials network;  // kRouterSettings, kRouterNetworkScan: no key
};

// What a successful run paired.
struct Pairing {
  Side side = Side::kRegistrar;
  Device device;                           // registrar: the enrollee (MAC, UUID; name if known)
  std::vector<NetworkCredentials> networks;  // enrollee: the networks received
  std::shared_ptr<const ReceivedNetwork> received;  // enrollee: the first of them, key included
  std::chrono::milliseconds elapsed{0};
};

class Session {
 public:
  struct Options {
    Method method = Method::kPushButton;
    std::chrono::seconds run_time{120};  // see walk_time.h
  };
  struct Listener {
    std::function<void(const Progress&)> status;          // may be empty
    std::function<void(const Result<Pairing>&)> done;  // exactly once
  };

  Session(WpsRegistrar& registrar, Clock& clock, Options options);
  Session(WpsEnrollee& enrollee, Clock& clock, Options options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Arms the daemon. `pin` (kPin) is borrowed for the duration of this call.
  void Start(const Pin* pin, Listener listener);
  // Ends the run as cancelled (Ctrl-C): disarms, then `done` with kCancelled.
  void Cancel();
  // The caller learnt by other means that the run paired `device` (router
  // mode: the printer the router relayed has joined the network, while the
  // router's own registrar, not ours, did the exchange): the run ends as a
  // success, as if the daemon had said so.
  void Paired(const Device& device);

  Side side() const { return side_; }
  Method method() const { return options_.method; }
  std::chrono::seconds run_time() const { return options_.run_time; }
  // Time left before the run times out (zero once it is over).
  std::chrono::milliseconds Remaining() const;
  bool finished() const { return state_ == State::kDone; }

 private:
  enum class State { kIdle, kArming, kWaiting, kDisarming, kDone };

  Session(WpsDriver& driver, Side side, Clock& clock, Options options);
  void OnEvent(const Event& event);
  void OnWalkTimeOver();
  void Report(Progress::Phase phase, const Device& device = {}, int config_error = 0);
  void Remember(const Device& device);
  void Succeed();
  void Fail(ErrorCode code, std::string message, std::string detail = "");
  void Finish(Result<Pairing> result, bool run_succeeded);
  Error FailureFor(int config_error) const;

  WpsDriver& driver_;
  Side side_;
  Clock& clock_;
  Options options_;
  Listener listener_;
  State state_ = State::kIdle;
  std::chrono::milliseconds started_{0};
  std::chrono::milliseconds deadline_{0};
  Timer walk_timer_;
  Timer done_call_;
  Device registered_;                        // registrar: from kRegistered
  std::vector<Device> seen_;                 // devices named by the daemon, for the result
  std::vector<NetworkCredentials> networks_;  // enrollee: received so far
  std::shared_ptr<const ReceivedNetwork> received_;  // enrollee: the first, with its key
  std::string last_failure_;                 // for the timeout's detail
};

// One sentence for the user about `status` ("waiting for the printer's
// button", "printer seen: Acme (02:00:...)").
std::string DescribeProgress(const Progress& status, Side side, Method method);

}  // namespace cupswps::wps
