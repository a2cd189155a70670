// SPDX-License-Identifier: Apache-2.0
// The pairing views; see pair_view.h.
#include "backend/cli/pair_view.h"

#include <cstdio>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "common/json.h"
#include "common/log.h"
#include "wps/secret.h"

namespace cupswps::backend {
namespace {

using wps::Side;

std::string_view ResultName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kWpsWrongPin: return "wrong-pin";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kWpsOverlap: return "overlap";
    case ErrorCode::kWpsLocked: return "locked";
    case ErrorCode::kWpsNoDaemon: return "no-daemon";
    case ErrorCode::kWpsNoRouterWps: return "no-router-wps";
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

const char* PhaseName(wps::Progress::Phase p) {
  switch (p) {
    case wps::Progress::Phase::kArming: return "arming";
    case wps::Progress::Phase::kWaiting: return "armed";
    case wps::Progress::Phase::kDeviceSeen: return "enrollee-seen";
    case wps::Progress::Phase::kRouterSearch: return "router-search";
    case wps::Progress::Phase::kRouterFound: return "router-found";
    case wps::Progress::Phase::kRouterLost: return "router-lost";
    case wps::Progress::Phase::kRouterLearning: return "router-learning";
    case wps::Progress::Phase::kRouterSettings: return "router-settings";
    case wps::Progress::Phase::kRouterNetworkScan: return "router-network-scan";
    case wps::Progress::Phase::kRouterButtonPressed: return "router-button-pressed";
    case wps::Progress::Phase::kPinNeeded: return "pin-needed";
    case wps::Progress::Phase::kExchanging: return "exchanging";
    case wps::Progress::Phase::kNotReady: return "not-ready";
    case wps::Progress::Phase::kRetrying: return "retrying";
    case wps::Progress::Phase::kApLocked: return "ap-locked";
    case wps::Progress::Phase::kDisarming: return "disarming";
  }
  return "status";
}

std::string SuccessText(const wps::Pairing& p) {
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
  return s + ".";
}

}  // namespace

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kWpsWrongPin: return kExitWrongPin;
    case ErrorCode::kTimeout: return kExitTimeout;
    case ErrorCode::kWpsOverlap: return kExitOverlap;
    case ErrorCode::kWpsLocked: return kExitLocked;
    case ErrorCode::kWpsNoDaemon:
    case ErrorCode::kWpsNoRouterWps:
    case ErrorCode::kWpsDaemonGone: return kExitNoDaemon;
    case ErrorCode::kCancelled: return kExitInterrupted;
    default: return kExitFailure;
  }
}

void PairView::Daemon(const wps::DaemonChoice& d, std::string_view manager) {
  if (style_ == Style::kJson) {
    json::Writer w;
    w.BeginObject().Key("event").String("daemon").Key("daemon").String(d.daemon);
    w.Key("mode").String(d.router ? "router" : d.side == Side::kRegistrar ? "registrar" : "enrollee");
    w.Key("side").String(d.side == Side::kRegistrar ? "registrar" : "enrollee").Key("target").String(d.target);
    w.Key("reason").StringOrNull(d.reason);
    if (!manager.empty()) w.Key("manager").String(std::string(manager));
    w.EndObject();
    Out(w.str() + "\n");
    return;
  }
  std::string line = d.router && d.target.empty() ? std::string("Router mode, without a daemon to drive")
                     : d.router ? "Router mode: using " + d.daemon + "'s External Registrar at " + d.target
                                : "Using " + d.daemon + (d.side == Side::kRegistrar ? " at " : " on ") + d.target;
  if (!d.reason.empty()) line += " (" + d.reason + ")";
  Line(line + ".");
}

// A generated PIN is shown once, for the person to type into the printer.
void PairView::GeneratedPin(const wps::Pin& pin) {
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

void PairView::Show(const wps::Progress& s) {
  if (s.phase == wps::Progress::Phase::kDisarming) {
    ClearLive();
    return;
  }
  status_ = wps::DescribeProgress(s, session_->side(), session_->method());
  if (style_ == Style::kJson) {
    json::Writer w;
    w.BeginObject().Key("event").String(PhaseName(s.phase)).Key("text").String(status_);
    if (!s.device.mac.empty()) w.Key("mac").String(s.device.mac);
    if (!s.device.uuid.empty()) w.Key("uuid").String(s.device.uuid);
    if (!s.device.name.empty()) w.Key("name").String(s.device.name);
    if (s.phase == wps::Progress::Phase::kRouterSearch || s.phase == wps::Progress::Phase::kRouterLost) {
      w.Key("seconds_left").Int(s.left_s);
    }
    if (s.phase == wps::Progress::Phase::kRouterSettings || s.phase == wps::Progress::Phase::kRouterNetworkScan) {
      w.Key("ssid").String(s.network.ssid);
    }
    if (s.phase == wps::Progress::Phase::kWaiting) {
      w.Key("timeout").Int(static_cast<std::int64_t>(session_->run_time().count()));
    }
    w.EndObject();
    Out(w.str() + "\n");
  } else if (style_ == Style::kPlain) {
    std::string line = status_;
    if (s.phase == wps::Progress::Phase::kWaiting) line += " (" + std::to_string(session_->run_time().count()) + " s)";
    Line(line);
  } else {
    Tick();
  }
}

// Redraws the live line with the time left (terminal only).
void PairView::Tick() {
  if (style_ != Style::kTerminal || status_.empty()) return;
  const long long left = (session_->Remaining().count() + 999) / 1000;
  char head[32];
  std::snprintf(head, sizeof head, "\r\033[K[%3lld s] ", left);
  Out(head + status_);
  live_ = true;
}

void PairView::Done(const Result<wps::Pairing>& r, int exit_code) {
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

void PairView::Line(const std::string& s) {
  ClearLive();
  Out(s + "\n");
  if (style_ == Style::kTerminal) Tick();
}

void PairView::Note(const std::string& event, const std::string& text) {
  if (style_ != Style::kJson) return Line(text);
  json::Writer w;
  w.BeginObject().Key("event").String(event).Key("text").String(text).EndObject();
  Out(w.str() + "\n");
}

void PairView::ClearLive() {
  if (live_) Out("\r\033[K");
  live_ = false;
}

}  // namespace cupswps::backend
