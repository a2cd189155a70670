// SPDX-License-Identifier: Apache-2.0
// Names for the event vocabulary; see event.h.
#include "wps/event.h"

#include "common/text.h"

namespace cupswps::wps {
namespace {

constexpr std::size_t kMaxDeviceNameBytes = 64;  // WSC allows 32; some send more

}  // namespace

std::string CleanDeviceName(std::string_view s) { return text::Clean(s, kMaxDeviceNameBytes); }

std::string_view KindName(EventKind kind) {
  switch (kind) {
    case EventKind::kOther: return "other";
    case EventKind::kArmed: return "armed";
    case EventKind::kUnavailable: return "unavailable";
    case EventKind::kRefused: return "refused";
    case EventKind::kGone: return "gone";
    case EventKind::kPbcActive: return "pbc-active";
    case EventKind::kPbcDisabled: return "pbc-disabled";
    case EventKind::kEnrolleeSeen: return "enrollee-seen";
    case EventKind::kPinNeeded: return "pin-needed";
    case EventKind::kExchanging: return "exchanging";
    case EventKind::kRegistered: return "registered";
    case EventKind::kCredentials: return "credentials";
    case EventKind::kSuccess: return "success";
    case EventKind::kFailed: return "failed";
    case EventKind::kM2d: return "m2d";
    case EventKind::kTimeout: return "timeout";
    case EventKind::kOverlap: return "overlap";
    case EventKind::kLocked: return "locked";
    case EventKind::kDisarmed: return "disarmed";
    case EventKind::kRouterFound: return "router-found";
    case EventKind::kButtonPressed: return "button-pressed";
    case EventKind::kRouterSearch: return "router-search";
    case EventKind::kRouterLost: return "router-lost";
    case EventKind::kRouterLearning: return "router-learning";
    case EventKind::kRouterSettings: return "router-settings";
    case EventKind::kRouterNetworkScan: return "router-network-scan";
  }
  return "other";
}

std::string Describe(const Event& event) {
  std::string s(KindName(event.kind));
  if (!event.name.empty()) s += " (" + event.name + ")";
  if (!event.device.mac.empty()) s += " mac=" + event.device.mac;
  if (!event.device.uuid.empty()) s += " uuid=" + event.device.uuid;
  if (!event.device.name.empty()) s += " name=\"" + event.device.name + "\"";
  if (event.device.category != 0) s += " category=" + std::to_string(event.device.category);
  if (event.kind == EventKind::kFailed || event.kind == EventKind::kM2d) {
    s += " msg=" + std::to_string(event.message) + " config_error=" + std::to_string(event.config_error);
  }
  if (event.kind == EventKind::kCredentials) {
    s += " ssid=\"" + event.network.ssid + "\"";
    s += event.network.has_key ? " key=(present)" : " key=(none)";
  }
  if (!event.error.detail.empty()) s += ": " + event.error.detail;
  return s;
}

}  // namespace cupswps::wps
