// SPDX-License-Identifier: Apache-2.0
// hostapd control-socket registrar; see hostapd_registrar.h. hostapd's
// replies are turned into Events in ReplyError only.
#include "wps/hostapd_registrar.h"

#include <cstdio>
#include <utility>

#include "common/log.h"
#include "wps/ctrl_event.h"

namespace cupswps::wps {

HostapdRegistrar::HostapdRegistrar(GMainContext* context, std::string ctrl_path, Options options)
    : context_(context), path_(std::move(ctrl_path)), options_(std::move(options)), poster_(context) {}

HostapdRegistrar::HostapdRegistrar(GMainContext* context, std::string ctrl_path)
    : HostapdRegistrar(context, std::move(ctrl_path), Options{}) {}

HostapdRegistrar::~HostapdRegistrar() = default;

std::string HostapdRegistrar::Describe() const { return options_.daemon + " at " + path_; }

void HostapdRegistrar::Emit(Event event) {
  if (!disarming_ && sink_) sink_(event);
}

Event HostapdRegistrar::ReplyError(EventKind kind, std::string_view command, const Result<std::string>& reply) const {
  Event e;
  e.kind = kind;
  if (!reply.ok()) {
    e.error = reply.error();
    return e;
  }
  const std::string& r = reply.value();
  e.error.code = ErrorCode::kWpsRefused;
  e.error.detail = std::string(command) + " answered \"" + r.substr(0, 40) + "\"";
  if (r == "UNKNOWN COMMAND") {
    e.error.message = Describe() + " does not know " + std::string(command) + "; it was built without WPS.";
  } else if (command == "ATTACH") {
    e.error.message = Describe() + " refused to report events; check its ctrl_interface settings.";
  } else if (command == "WPS_PBC") {
    e.error.message = Describe() + " refused push-button mode; check that WPS is enabled there (wps_state=2).";
  } else {
    e.error.message = Describe() + " refused the PIN; check that WPS is enabled there (wps_state=2).";
  }
  return e;
}

void HostapdRegistrar::Arm(const Arming& arming, EventSink sink) {
  sink_ = std::move(sink);
  auto opened = CtrlSocket::Open(
      context_, path_, CtrlSocket::Options{options_.daemon, options_.reply_timeout},
      CtrlSocket::Callbacks{[this](std::string_view line) { OnLine(line); },
                            [this](const Error& e) { OnBroken(e); }});
  if (!opened) {
    Event e;
    e.kind = EventKind::kUnavailable;
    e.error = opened.error();
    poster_.Post([this, e] { Emit(e); });
    return;
  }
  socket_ = std::move(opened.value());

  // Events first, so that nothing the arm command triggers is missed.
  SecretString attach;
  attach.str() = "ATTACH";
  socket_->Request(std::move(attach), "ATTACH", [this](const Result<std::string>& r) {
    if (!r.ok() || r.value() != "OK") Emit(ReplyError(EventKind::kUnavailable, "ATTACH", r));
  });

  SecretString command;
  std::string shown;
  std::string_view name;
  if (arming.method == Method::kPin && arming.pin != nullptr) {
    char timeout[16];
    std::snprintf(timeout, sizeof timeout, " %lld", static_cast<long long>(arming.timeout.count()));
    command.str().append("WPS_PIN any ").append(arming.pin->digits()).append(timeout);
    shown = std::string("WPS_PIN any ") + std::string(arming.pin->size(), '*') + timeout;
    name = "WPS_PIN";
  } else {
    command.str() = "WPS_PBC";
    shown = name = "WPS_PBC";
  }
  arm_sent_ = true;
  socket_->Request(std::move(command), std::move(shown), [this, name](const Result<std::string>& r) {
    // hostapd says OK; wpa_supplicant in AP mode answers WPS_PIN with the PIN.
    const bool ok = r.ok() && (r.value() == "OK" || (name == "WPS_PIN" && !r.value().empty() &&
                                                     r.value().find_first_not_of("0123456789") == std::string::npos));
    if (!ok) {
      Emit(ReplyError(r.ok() ? EventKind::kRefused : EventKind::kUnavailable, name, r));
      return;
    }
    armed_ = true;
    Event e;
    e.kind = EventKind::kArmed;
    e.name = std::string(name);
    Emit(e);
    ping_timer_ = Schedule(context_, static_cast<guint>(options_.ping_interval.count()), [this] {
      Ping();
      return true;
    });
  });
}

void HostapdRegistrar::Ping() {
  if (ping_pending_ || !socket_ || disarming_) return;
  ping_pending_ = true;
  SecretString ping;
  ping.str() = "PING";
  socket_->Request(std::move(ping), "", [this](const Result<std::string>& r) {
    ping_pending_ = false;
    if (!r.ok()) OnBroken(r.error());
  });
}

void HostapdRegistrar::OnLine(std::string_view line) {
  Event e = ParseCtrlEvent(line);
  if (e.kind == EventKind::kGone) {
    e.error.code = ErrorCode::kWpsDaemonGone;
    e.error.message = Describe() + " went away during pairing (" + e.error.detail + "); start it again and retry.";
  }
  Emit(std::move(e));
}

void HostapdRegistrar::OnBroken(const Error& error) {
  ping_timer_.reset();
  Event e;
  e.kind = armed_ ? EventKind::kGone : EventKind::kUnavailable;
  e.error = error;
  if (armed_) {
    e.error.message = Describe() + " went away during pairing; start it again and retry.";
  }
  Emit(std::move(e));
}

void HostapdRegistrar::Disarm(bool run_succeeded, std::function<void()> done) {
  disarming_ = true;
  ping_timer_.reset();
  if (!socket_ || socket_->broken()) {
    poster_.Post(std::move(done));
    return;
  }
  auto detach = [this, done = std::move(done)]() mutable {
    SecretString command;
    command.str() = "DETACH";
    socket_->Request(std::move(command), "DETACH", [done = std::move(done)](const Result<std::string>&) { done(); });
  };
  if (!arm_sent_ || run_succeeded) {
    // After a success hostapd has switched push-button mode off and dropped
    // the used PIN itself; WPS_CANCEL now would deauthenticate the station
    // that was just given the network.
    detach();
    return;
  }
  SecretString cancel;
  cancel.str() = "WPS_CANCEL";
  socket_->Request(std::move(cancel), "WPS_CANCEL", [detach = std::move(detach)](const Result<std::string>& r) mutable {
    // A daemon that is gone took what it had armed with it; DETACH then
    // fails at once and `done` still runs.
    if (!r.ok()) {
      log::Debug("WPS_CANCEL: " + r.error().detail);
    } else if (r.value() != "OK") {
      log::Debug("WPS_CANCEL answered " + r.value().substr(0, 40));
    }
    detach();
  });
}

}  // namespace cupswps::wps
