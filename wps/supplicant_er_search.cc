// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's External Registrar, its search for the router: the
// M-SEARCH repeated while nobody answers, the choice among the devices that
// answer, and the router's return after it left UPnP. See supplicant_er.h.
#include <algorithm>

#include "common/log.h"
#include "wps/supplicant_er.h"

namespace cupswps::wps {

void SupplicantExternalRegistrar::StartEr() {
  started_ = true;
  Send("WPS_ER_START", [this](const Result<std::string>& r) {
    start_answered_ = true;
    if (!r.ok() || r.value() != "OK") return Refused("WPS_ER_START", r);
    // An ER that was running already may have named routers before this
    // reply came.
    const auto wanted = std::find_if(routers_.begin(), routers_.end(), [this](const Event& e) { return Wanted(e); });
    if (wanted != routers_.end()) return TakeRouter(*wanted);
    // Routers with the WFA UPnP WPS service answer within a second or two.
    const auto interval = std::min(options_.search_interval, options_.router_wait);
    router_timer_ = Schedule(context_, static_cast<guint>(interval.count()), [this] {
      OnSearchTick();
      return router_timer_.active();  // reset once a router is taken, or chosen from
    });
  });
}

void SupplicantExternalRegistrar::OnSearchTick() {
  if (!router_uuid_.empty() || disarming_) return;
  ++searches_;
  const auto waited = std::min(options_.search_interval, options_.router_wait) * searches_;
  // The routers that answered this interval's M-SEARCH have all answered.
  if ((options_.router_uuid.empty() && !routers_.empty()) || waited >= options_.router_wait) {
    router_timer_.reset();
    return Choose();
  }
  // None (or not the one named): a new M-SEARCH. A running ER takes a
  // second WPS_ER_START as "search again" (wps_er_refresh).
  Send("WPS_ER_START", [](const Result<std::string>& r) {
    if (!r.ok() || r.value() != "OK") log::Debug("WPS_ER_START (again) was not answered OK");
  });
  Event e;
  e.kind = EventKind::kRouterSearch;
  e.name = "WPS_ER_START";
  e.left_s = static_cast<int>((options_.router_wait - waited).count() + 999) / 1000;
  Emit(std::move(e));
}

void SupplicantExternalRegistrar::OnRouterSeen(const Event& e) {
  if (disarming_) return;
  if (!router_uuid_.empty()) {
    if (router_lost_ && e.device.uuid == router_uuid_) Rearm(e);
    return;
  }
  for (const Event& known : routers_) {
    if (known.device.uuid == e.device.uuid) return;
  }
  if (routers_.size() >= 32 && !Wanted(e)) return;  // the LAN's answers are untrusted: a bound
  routers_.push_back(e);
  // This host's own access point (or the one named) needs no waiting for
  // the others.
  if (start_answered_ && Wanted(e)) TakeRouter(e);
}

bool SupplicantExternalRegistrar::IsOwnAccessPoint(const Event& router) const {
  return !bssid_.empty() && router.device.mac == bssid_;
}

bool SupplicantExternalRegistrar::Wanted(const Event& router) const {
  if (!options_.router_uuid.empty()) return router.device.uuid == options_.router_uuid;
  return IsOwnAccessPoint(router);
}

namespace {

// "'Lab Router' (02:00:00:00:01:02, 12345678-...), ..." sorted by name.
std::string RouterList(const std::vector<Event>& routers) {
  std::vector<std::string> names;
  for (const Event& e : routers) {
    names.push_back("'" + (e.device.name.empty() ? std::string("(no name)") : e.device.name) + "' (" +
                    (e.device.mac.empty() ? std::string() : e.device.mac + ", ") + e.device.uuid + ")");
  }
  std::sort(names.begin(), names.end());
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

}  // namespace

void SupplicantExternalRegistrar::Choose() {
  if (!router_uuid_.empty() || disarming_) return;
  const std::string within = std::to_string((options_.router_wait.count() + 999) / 1000) + " s";
  if (!options_.router_uuid.empty()) {
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "No router with UUID " + options_.router_uuid + " answered over UPnP within " + within +
                           (routers_.empty() ? std::string(".") : "; these did: " + RouterList(routers_) + "."),
                       "no WPS-ER-AP-ADD for " + options_.router_uuid);
  }
  if (routers_.size() == 1) return TakeRouter(routers_.front());
  if (routers_.empty()) {
    const std::string hint = options_.silence_hint ? options_.silence_hint() : std::string();
    return Unavailable(ErrorCode::kWpsNoRouterWps,
                       "The router did not answer over UPnP within " + within + " (asked " +
                           std::to_string(searches_) + " times)" +
                           (hint.empty() ? ", so it does not let a computer start WPS for it." : ". " + hint),
                       "no WPS-ER-AP-ADD");
  }
  Unavailable(ErrorCode::kWpsNoRouterWps,
              std::to_string(routers_.size()) + " devices answer as WPS routers over UPnP (" + RouterList(routers_) +
                  "), and none is the access point this computer is connected to" +
                  (bssid_.empty() ? std::string() : " (" + bssid_ + ")") +
                  ", so cups-wps does not guess (--router-uuid UUID picks one).",
              "several WPS-ER-AP-ADD, none with bssid " + bssid_);
}

void SupplicantExternalRegistrar::OnRouterLeft() {
  if (router_lost_) return;
  router_lost_ = true;
  const int seconds = static_cast<int>((options_.router_return.count() + 999) / 1000);
  Event lost;
  lost.kind = EventKind::kRouterLost;
  lost.left_s = seconds;
  Emit(std::move(lost));
  lost_timer_ = ScheduleOnce(context_, options_.router_return, [this, seconds] {
    Event gone;
    gone.kind = EventKind::kGone;
    gone.error.message = "The router stopped answering over UPnP during pairing and did not come back within " +
                         std::to_string(seconds) + " s.";
    gone.error.detail = "WPS-ER-AP-REMOVE " + router_uuid_;
    Emit(std::move(gone));
  });
}

// Its new UPnP device knows nothing of this run: the network's settings and
// the press (or the PIN, which wpa_supplicant's registrar sends to the
// routers it knows only when it changes) go to it again.
void SupplicantExternalRegistrar::Rearm(const Event& e) {
  router_lost_ = false;
  lost_timer_.reset();
  Emit(e);
  // wpa_supplicant gives a returning router the settings it learnt from it
  // (wps_er_ap_use_cached_settings).
  if (learnt_) return Press();
  if (!router_pin_.str().empty()) return Learn();
  // --network's scan is still under way: it hands the network on when it
  // has seen it (a router that went and came back meanwhile is the same).
  if (!options_.network.empty() && !network_checked_) return;
  SetConfig();
}

}  // namespace cupswps::wps
