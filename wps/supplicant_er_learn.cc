// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's External Registrar with the router's own settings:
// WPS_ER_LEARN with the router's AP PIN, its WPS-ER-AP-SETTINGS checked,
// then the press or the PIN. See supplicant_er.h and router_settings.h.
#include "common/log.h"
#include "wps/router_settings.h"
#include "wps/supplicant_er.h"

namespace cupswps::wps {

void SupplicantExternalRegistrar::Learn() {
  SecretString command;
  command.str().append("WPS_ER_LEARN ").append(router_uuid_).append(" ").append(router_pin_.str());
  const std::string shown = "WPS_ER_LEARN " + router_uuid_ + " ********";
  socket_->Request(std::move(command), shown, [this](const Result<std::string>& r) {
    if (!r.ok() || r.value() != "OK") return Refused("WPS_ER_LEARN", r);
    learning_ = true;
    Event asking;
    asking.kind = EventKind::kRouterLearning;
    asking.name = "WPS_ER_LEARN";
    Emit(std::move(asking));
    learn_timer_ = ScheduleOnce(context_, options_.learn_limit, [this] {
      learning_ = false;
      Event e;
      e.kind = EventKind::kRefused;
      e.error = Error{ErrorCode::kWpsRefused,
                      "The router did not give its network's settings for its AP PIN within " +
                          std::to_string(options_.learn_limit.count() / 1000) +
                          " s; it may have locked its AP PIN, or not let computers read its settings.",
                      "no WPS-ER-AP-SETTINGS for " + router_uuid_};
      Emit(std::move(e));
    });
  });
}

void SupplicantExternalRegistrar::OnRouterSettings(std::string_view line) {
  const std::optional<RouterSettings> settings = ParseRouterSettings(line);
  if (!settings || settings->uuid != router_uuid_) {
    log::Debug(settings ? "the settings of another router: " + settings->uuid : "a WPS-ER-AP-SETTINGS that does not parse");
    return;
  }
  learning_ = false;
  learn_timer_.reset();
  Wipe(router_pin_.str());
  const std::string why = WhyUnusable(*settings);
  if (!why.empty()) {
    // The router's own button would hand out the same: nothing is pressed.
    Event e;
    e.kind = EventKind::kRefused;
    e.error = Error{ErrorCode::kWpsRefused,
                    "The router gave its network's settings, but " + why +
                        ", so cups-wps gives them to no printer; set up the router's Wi-Fi with WPA2 and a "
                        "passphrase first.",
                    "WPS-ER-AP-SETTINGS auth_type=" + std::to_string(settings->auth_type) +
                        " encr_type=" + std::to_string(settings->encr_type) +
                        " key length " + std::to_string(settings->key_length)};
    return Emit(std::move(e));
  }
  learnt_ = true;
  Event got;
  got.kind = EventKind::kRouterSettings;
  got.name = "WPS-ER-AP-SETTINGS";
  got.network.ssid = settings->ssid;
  got.network.auth_types = {DescribeSettings(*settings)};
  got.network.has_key = true;
  Emit(std::move(got));
  Press();
  Confirm();
}

void SupplicantExternalRegistrar::Confirm() {
  ++presses_;
  confirm_timer_ = ScheduleOnce(context_, options_.press_confirm, [this] {
    if (disarming_) return;
    if (presses_ >= options_.press_tries) {
      log::Debug("the router never confirmed SetSelectedRegistrar");
      return;
    }
    log::Debug("no SetSelectedRegistrar confirmed by the router: pressing again");
    SecretString command;
    if (method_ == Method::kPin) {
      command.str().append("WPS_ER_PIN any ").append(pin_.str());
    } else {
      command.str() = "WPS_ER_PBC " + router_uuid_;
    }
    const std::string shown = method_ == Method::kPin ? "WPS_ER_PIN any ********" : command.str();
    socket_->Request(std::move(command), shown, [](const Result<std::string>& r) {
      if (!r.ok() || r.value() != "OK") log::Debug("pressing again was not answered OK");
    });
    Confirm();
  });
}

// WPS-ER-SET-SEL-REG uuid=<uuid> state=DONE (debug level: LEVEL 2).
void SupplicantExternalRegistrar::OnSetSelectedRegistrar(std::string_view line) {
  if (line.find("uuid=" + router_uuid_ + " state=DONE") == std::string_view::npos) return;
  if (confirm_timer_.active()) log::Debug("the router took the press (SetSelectedRegistrar)");
  confirm_timer_.reset();
}

void SupplicantExternalRegistrar::LearnFailed(const Event& e) {
  learning_ = false;
  learn_timer_.reset();
  Wipe(router_pin_.str());
  Event refused;
  refused.kind = EventKind::kRefused;
  refused.error =
      e.config_error == kConfigErrorPasswordMismatch
          ? Error{ErrorCode::kWpsWrongPin,
                  "The router did not accept the AP PIN given with --router-pin; check it on the router's label or "
                  "its setup page (routers lock their AP PIN for a while after a few wrong ones).",
                  "WPS-FAIL config_error=18 while learning"}
      : e.config_error == kConfigErrorSetupLocked
          ? Error{ErrorCode::kWpsLocked,
                  "The router has locked its AP PIN after wrong ones; wait a few minutes (or restart the router) "
                  "and try again.",
                  "WPS-FAIL config_error=15 while learning"}
          : Error{ErrorCode::kWpsRefused,
                  "The router did not give its network's settings for its AP PIN (configuration error " +
                      std::to_string(e.config_error) + ").",
                  "WPS-FAIL msg=" + std::to_string(e.message) + " while learning"};
  Emit(std::move(refused));
}

}  // namespace cupswps::wps
