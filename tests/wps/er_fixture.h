// SPDX-License-Identifier: Apache-2.0
// The fixture of SupplicantExternalRegistrar's tests: the ER against a
// scripted wpa_supplicant control socket (fake_ctrl_daemon.h).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "tests/wps/fake_ctrl_daemon.h"
#include "wps/supplicant_er.h"

namespace cupswps::wps {

using namespace std::chrono_literals;
using testing::FakeCtrlDaemon;

constexpr char kRouter[] = "12345678-9abc-def0-1234-0000000000a1";
constexpr char kRouterAdd[] =
    "WPS-ER-AP-ADD 12345678-9abc-def0-1234-0000000000a1 02:00:00:00:01:02 pri_dev_type=6-0050F204-1 wps_state=2 "
    "|Lab Router|x|y|z||";

class ErTest : public ::testing::Test {
 protected:
  ErTest()
      : context_(g_main_context_new()),
        daemon_(context_),
        er_(std::make_unique<SupplicantExternalRegistrar>(context_, daemon_.path(),
                                                          SupplicantExternalRegistrar::Options{60ms, 20ms, 200ms})) {
    daemon_.replies["STATUS"] = "bssid=02:00:00:00:01:02\nid=3\nssid=lab-router\nwpa_state=ASSOCIATED";
    daemon_.replies["GET_NETWORK"] = "WPA-PSK WPA-PSK-SHA256 FT-PSK";  // as NetworkManager sets a wpa-psk profile
  }
  ~ErTest() override { g_main_context_unref(context_); }

  void Arm(Method method, const Pin* pin = nullptr) {
    er_->Arm(Arming{method, pin, 120s}, [this](const Event& e) { events_.push_back(e); });
  }
  bool RunUntil(const std::function<bool()>& pred, gint64 limit_us = 3 * G_USEC_PER_SEC) {
    return testing::RunUntil(context_, pred, limit_us);
  }
  // Arms; the router (kRouterAdd) answers WPS_ER_START, and the ER is armed.
  void ArmWithRouter(Method method, const Pin* pin = nullptr) {
    Arm(method, pin);
    ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
    daemon_.SendEvent(kRouterAdd);
    ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  }
  const Event* Find(EventKind kind) const {
    for (const Event& e : events_) {
      if (e.kind == kind) return &e;
    }
    return nullptr;
  }
  bool Sent(const std::string& command) const {
    for (const std::string& c : daemon_.commands()) {
      if (c == command) return true;
    }
    return false;
  }
  // This host's access point is none of the routers that answer (their
  // UPnP devices report another MAC), or the STATUS of a wired link.
  void OnAnotherAccessPoint() {
    daemon_.replies["STATUS"] = "bssid=02:00:00:00:01:99\nid=3\nssid=lab-router\nwpa_state=COMPLETED";
  }
  // An extender answers first, then the router (kRouterAdd).
  void ExtenderAndRouterAnswer() {
    daemon_.SendEvent("WPS-ER-AP-ADD 12345678-9abc-def0-1234-0000000000e1 02:00:00:00:0e:01 pri_dev_type=6-0050F204-1 "
                      "wps_state=2 |Extender|x|y|z||");
    daemon_.SendEvent(kRouterAdd);
  }
  // Before Arm: an ER with these options instead.
  void Use(SupplicantExternalRegistrar::Options options) {
    er_ = std::make_unique<SupplicantExternalRegistrar>(context_, daemon_.path(), std::move(options));
  }
  std::size_t Count(const std::string& command) const {
    return static_cast<std::size_t>(
        std::count(daemon_.commands().begin(), daemon_.commands().end(), command));
  }
  void Disarm() {
    bool done = false;
    er_->Disarm(false, [&] { done = true; });
    ASSERT_TRUE(RunUntil([&] { return done; }));
  }

  GMainContext* context_;
  FakeCtrlDaemon daemon_;
  std::unique_ptr<SupplicantExternalRegistrar> er_;
  std::vector<Event> events_;
};

}  // namespace cupswps::wps
