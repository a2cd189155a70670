// SPDX-License-Identifier: Apache-2.0
// The pairing state machine; see session.h.
#include "wps/session.h"

#include <string>
#include <utility>

#include "common/log.h"

namespace cupswps::wps {
namespace {

std::string Seconds(std::chrono::seconds s) { return std::to_string(s.count()) + " s"; }

std::string DeviceLabel(const Device& d) {
  std::string label = d.name.empty() ? (d.category == kDeviceCategoryPrinter ? "a printer" : "a device") : d.name;
  if (!d.mac.empty()) label += " (" + d.mac + ")";
  return label;
}

}  // namespace

Session::Session(WpsRegistrar& registrar, Clock& clock, Options options)
    : Session(registrar, Side::kRegistrar, clock, options) {}

Session::Session(WpsEnrollee& enrollee, Clock& clock, Options options)
    : Session(enrollee, Side::kEnrollee, clock, options) {}

Session::Session(WpsDriver& driver, Side side, Clock& clock, Options options)
    : driver_(driver), side_(side), clock_(clock), options_(options) {}

Session::~Session() = default;

void Session::Start(const Pin* pin, Listener listener) {
  if (state_ != State::kIdle) return;
  listener_ = std::move(listener);
  state_ = State::kArming;
  started_ = clock_.Now();
  deadline_ = started_ + std::chrono::duration_cast<std::chrono::milliseconds>(options_.run_time);
  walk_timer_ = clock_.After(deadline_ - started_, [this] { OnWalkTimeOver(); });
  log::Debug("arming " + driver_.Describe() + " for " +
             (options_.method == Method::kPin ? "a PIN" : "push button") + ", " + Seconds(options_.run_time));
  Report(Progress::Phase::kArming);
  driver_.Arm(Arming{options_.method, pin, options_.run_time}, [this](const Event& e) { OnEvent(e); });
}

void Session::Cancel() {
  if (state_ == State::kArming || state_ == State::kWaiting) {
    Fail(ErrorCode::kCancelled, "Pairing was cancelled; " + driver_.Describe() + " was disarmed.");
  }
}

void Session::Paired(const Device& device) {
  if (state_ != State::kArming && state_ != State::kWaiting) return;
  registered_ = device;
  Succeed();
}

std::chrono::milliseconds Session::Remaining() const {
  if (state_ != State::kArming && state_ != State::kWaiting) return std::chrono::milliseconds(0);
  const auto left = deadline_ - clock_.Now();
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

void Session::Report(Progress::Phase phase, const Device& device, int config_error) {
  if (listener_.status) listener_.status(Progress{phase, device, config_error});
}

void Session::Remember(const Device& device) {
  if (device.mac.empty()) return;
  for (Device& d : seen_) {
    if (d.mac == device.mac) {
      if (!device.name.empty()) d.name = device.name;
      if (!device.uuid.empty()) d.uuid = device.uuid;
      if (device.category != 0) d.category = device.category;
      return;
    }
  }
  if (seen_.size() < 32) seen_.push_back(device);
}

Error Session::FailureFor(int config_error) const {
  switch (config_error) {
    case kConfigErrorPasswordMismatch:
      return Error{ErrorCode::kWpsWrongPin,
                   side_ == Side::kRegistrar
                       ? "The printer used a different PIN, so it was not paired; check the PIN and try again."
                       : "The printer's side did not accept the PIN, so nothing was paired; check the PIN and "
                         "try again.",
                   ""};
    case kConfigErrorMultiplePbc:
      return Error{ErrorCode::kWpsOverlap,
                   "More than one device was in push-button mode at once, so none was paired; try again "
                   "with only one printer's button pressed.",
                   ""};
    case kConfigErrorSetupLocked:
      return Error{ErrorCode::kWpsLocked,
                   "The access point has locked its PIN after failed attempts; wait a few minutes (or "
                   "restart it) and try again.",
                   ""};
    default:
      return Error{ErrorCode::kWpsFailed, "", ""};
  }
}

void Session::OnEvent(const Event& e) {
  if (state_ != State::kArming && state_ != State::kWaiting) {
    log::Debug("after the run: " + Describe(e));
    return;
  }
  log::Debug("event: " + Describe(e));
  switch (e.kind) {
    case EventKind::kArmed:
      state_ = State::kWaiting;
      Report(Progress::Phase::kWaiting);
      break;
    case EventKind::kUnavailable:
      // A router without WPS for computers is its own case: setup goes on
      // without it (the person presses the router's button).
      Fail(e.error.code == ErrorCode::kWpsNoRouterWps ? e.error.code : ErrorCode::kWpsNoDaemon, e.error.message,
           e.error.detail);
      break;
    case EventKind::kRouterFound:
      Report(Progress::Phase::kRouterFound, e.device);
      break;
    case EventKind::kRouterSearch:
    case EventKind::kRouterLost:
      if (listener_.status) {
        listener_.status(Progress{.phase = e.kind == EventKind::kRouterSearch ? Progress::Phase::kRouterSearch
                                                                               : Progress::Phase::kRouterLost,
                                  .left_s = e.left_s});
      }
      break;
    case EventKind::kButtonPressed:
      Report(Progress::Phase::kRouterButtonPressed);
      break;
    case EventKind::kRouterLearning:
      Report(Progress::Phase::kRouterLearning);
      break;
    case EventKind::kRouterSettings:
    case EventKind::kRouterNetworkScan:
      if (listener_.status) {
        listener_.status(Progress{.phase = e.kind == EventKind::kRouterSettings ? Progress::Phase::kRouterSettings
                                                                                : Progress::Phase::kRouterNetworkScan,
                                  .network = e.network});
      }
      break;
    case EventKind::kRefused:
      // A registrar's refusal; a router that refused its own AP PIN says so.
      Fail(e.error.code == ErrorCode::kWpsWrongPin || e.error.code == ErrorCode::kWpsLocked ? e.error.code
                                                                                            : ErrorCode::kWpsRefused,
           e.error.message, e.error.detail);
      break;
    case EventKind::kGone:
      Fail(ErrorCode::kWpsDaemonGone,
           e.error.message.empty() ? driver_.Describe() + " went away during pairing; start it again and retry."
                                   : e.error.message,
           e.error.detail);
      break;
    case EventKind::kEnrolleeSeen:
      Remember(e.device);
      Report(Progress::Phase::kDeviceSeen, e.device);
      break;
    case EventKind::kPinNeeded:
      Remember(e.device);
      Report(Progress::Phase::kPinNeeded, e.device);
      break;
    case EventKind::kExchanging:
      Remember(e.device);
      Report(Progress::Phase::kExchanging, e.device);
      break;
    case EventKind::kM2d:
      Report(Progress::Phase::kNotReady, e.device, e.config_error);
      break;
    case EventKind::kRegistered:
      if (side_ == Side::kRegistrar) {
        registered_ = e.device;
        Succeed();
      }
      break;
    case EventKind::kCredentials:
      if (networks_.size() < 8) networks_.push_back(e.network);
      if (!received_) received_ = e.received;
      break;
    case EventKind::kSuccess:
      // A registrar's own WPS-SUCCESS follows WPS-REG-SUCCESS, which decided.
      if (side_ == Side::kEnrollee) Succeed();
      break;
    case EventKind::kFailed: {
      Error failure = FailureFor(e.config_error);
      if (failure.code != ErrorCode::kWpsFailed) {
        Fail(failure.code, failure.message,
             "WPS message " + std::to_string(e.message) + ", configuration error " + std::to_string(e.config_error));
        break;
      }
      // Lost frames and the like: the daemon lets the device try again.
      last_failure_ = "the last attempt failed at WPS message " + std::to_string(e.message) +
                      " (configuration error " + std::to_string(e.config_error) + ")";
      Report(Progress::Phase::kRetrying, e.device, e.config_error);
      break;
    }
    case EventKind::kOverlap: {
      const Error overlap = FailureFor(kConfigErrorMultiplePbc);
      Fail(overlap.code, e.error.message.empty() ? overlap.message : e.error.message, e.name);
      break;
    }
    case EventKind::kLocked:
      if (side_ == Side::kEnrollee) {
        const Error locked = FailureFor(kConfigErrorSetupLocked);
        Fail(locked.code, locked.message, e.name);
      } else {
        // Only the AP PIN (for external registrars) is locked; our own
        // registrar can still pair the printer.
        Report(Progress::Phase::kApLocked);
      }
      break;
    case EventKind::kTimeout:
      OnWalkTimeOver();
      break;
    case EventKind::kDisarmed:
      Fail(ErrorCode::kWpsFailed,
           "WPS was switched off on " + driver_.Describe() + " by someone else during the run; try again.", e.name);
      break;
    case EventKind::kPbcActive:
    case EventKind::kPbcDisabled:
    case EventKind::kOther:
      break;
  }
}

void Session::OnWalkTimeOver() {
  if (state_ != State::kArming && state_ != State::kWaiting) return;
  std::string message;
  if (side_ == Side::kEnrollee) {
    message = "Pairing with the printer's network did not finish within " + Seconds(options_.run_time) +
              "; check that its WPS is on and try again.";
  } else if (options_.method == Method::kPushButton) {
    message = "No printer pressed its WPS button within " + Seconds(options_.run_time) +
              "; press the printer's button right after starting pair and try again.";
  } else {
    message = "No printer used the PIN within " + Seconds(options_.run_time) +
              "; enter the PIN on the printer and try again.";
  }
  Fail(ErrorCode::kTimeout, message, last_failure_);
}

void Session::Succeed() {
  Pairing p;
  p.side = side_;
  p.elapsed = clock_.Now() - started_;
  if (side_ == Side::kRegistrar) {
    p.device = registered_;
    for (const Device& d : seen_) {
      if (d.mac != registered_.mac) continue;
      if (p.device.name.empty()) p.device.name = d.name;
      if (p.device.category == 0) p.device.category = d.category;
      if (p.device.uuid.empty()) p.device.uuid = d.uuid;
    }
    log::Debug("paired " + DeviceLabel(p.device) + " uuid " + p.device.uuid);
  } else {
    p.networks = networks_;
    p.received = received_;
  }
  Finish(std::move(p), true);
}

void Session::Fail(ErrorCode code, std::string message, std::string detail) {
  if (message.empty()) message = "Pairing failed; try again.";
  Finish(Error{code, std::move(message), std::move(detail)}, false);
}

void Session::Finish(Result<Pairing> result, bool run_succeeded) {
  state_ = State::kDisarming;
  walk_timer_.Cancel();
  Report(Progress::Phase::kDisarming);
  driver_.Disarm(run_succeeded, [this, result = std::move(result)]() mutable {
    if (state_ != State::kDisarming) return;
    state_ = State::kDone;
    // Through the loop, so that `done` never runs inside a driver callback
    // that may be about to touch the driver again.
    done_call_ = clock_.After(std::chrono::milliseconds(0), [this, result = std::move(result)] {
      if (listener_.done) listener_.done(result);
    });
  });
}

std::string DescribeProgress(const Progress& s, Side side, Method method) {
  switch (s.phase) {
    case Progress::Phase::kArming:
      return "arming WPS";
    case Progress::Phase::kWaiting:
      if (side == Side::kEnrollee) {
        return method == Method::kPin ? "waiting for the printer's network to accept the PIN"
                                      : "waiting for the printer's WPS button";
      }
      return method == Method::kPin ? "waiting for the printer to use the PIN" : "waiting for the printer's button";
    case Progress::Phase::kDeviceSeen:
      return (s.device.category == kDeviceCategoryPrinter ? "printer seen: " : "device seen: ") +
             DeviceLabel(s.device);
    case Progress::Phase::kPinNeeded:
      return DeviceLabel(s.device) + " asked with a PIN this run does not have";
    case Progress::Phase::kExchanging:
      return s.device.mac.empty() ? "exchanging keys" : "exchanging keys with " + s.device.mac;
    case Progress::Phase::kNotReady:
      return "the printer's side is not ready for us yet (start WPS there)";
    case Progress::Phase::kRetrying:
      return "an attempt failed (configuration error " + std::to_string(s.config_error) + "); waiting for another";
    case Progress::Phase::kApLocked:
      return "the access point locked its own PIN after guesses by another device; pairing goes on";
    case Progress::Phase::kRouterSearch:
      return "no router answered over UPnP yet; asked again (up to " + std::to_string(s.left_s) + " s more)";
    case Progress::Phase::kRouterLost:
      return "the router stopped answering over UPnP (restarting?); waiting up to " + std::to_string(s.left_s) +
             " s for it to come back, then pressing again";
    case Progress::Phase::kRouterFound:
      return "found the router" + (s.device.name.empty() ? std::string() : " '" + s.device.name + "'") +
             " (WPS over UPnP)";
    case Progress::Phase::kRouterLearning:
      return "asking the router for its own network's settings (its AP PIN)";
    case Progress::Phase::kRouterSettings:
      return "the printer gets the router's own network " +
             (s.network.auth_types.empty() ? "'" + s.network.ssid + "'" : s.network.auth_types.front());
    case Progress::Phase::kRouterNetworkScan:
      return "looking over the air for the router's network '" + s.network.ssid + "' at 2.4 GHz";
    case Progress::Phase::kRouterButtonPressed:
      return "pressed the router's WPS button for you (over UPnP): now press the WPS button on the printer";
    case Progress::Phase::kDisarming:
      return "disarming";
  }
  return "";
}

}  // namespace cupswps::wps
