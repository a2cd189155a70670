// SPDX-License-Identifier: Apache-2.0
// The one vocabulary of WPS happenings that both drivers translate their
// daemon's words into (hostapd's control-socket events, wpa_supplicant's
// D-Bus signals), and that Session understands. Plain data.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "wps/secret.h"

namespace cupswps::wps {

// WSC "Configuration Error" values that decide how a run ends (WSC 2.0, table 34).
inline constexpr int kConfigErrorNone = 0;
inline constexpr int kConfigErrorMultiplePbc = 12;       // push-button session overlap
inline constexpr int kConfigErrorSetupLocked = 15;       // AP PIN locked after failures
inline constexpr int kConfigErrorPasswordMismatch = 18;  // device password (PIN) auth failure

// WSC primary device type category of printers (and scanners).
inline constexpr int kDeviceCategoryPrinter = 3;

// What a daemon tells about the other side. Strings from the network are
// cleaned (valid UTF-8, no control characters, bounded) by the parsers.
struct Device {
  std::string mac;   // "02:00:00:00:0a:01" (lower case), or ""
  std::string uuid;  // "22222222-3333-4444-5555-000000000000" (lower case), or ""
  std::string name;  // the WSC device name, or ""
  int category = 0;  // WSC primary device type category, 0 when unknown
};

// Network settings received by an enrollee, for display: no key, only
// whether there was one.
struct NetworkCredentials {
  std::string ssid;                     // cleaned for display
  std::vector<std::string> auth_types;  // "wpa2-psk", "open", ...
  std::vector<std::string> encr_types;  // "aes", "none", ...
  bool has_key = false;
};

// The same network as received, key included, for whoever joins it on this
// host (NetworkManager, or wpa_supplicant alone): it goes from here only into
// a D-Bus call to that daemon, never into a log, a message or an argv. Held
// behind a shared_ptr so that events and results that carry it copy only the
// pointer; the key is wiped when the last one goes.
struct ReceivedNetwork {
  std::string ssid;   // raw octets, at most 32
  std::string bssid;  // "02:00:00:00:0a:01" (lower case), or "" when not given (or all zero)
  std::vector<std::string> auth_types;  // as in NetworkCredentials
  std::vector<std::string> encr_types;
  SecretString key;  // passphrase (8-63 characters) or PSK (64 hex digits); "" without one
};

enum class EventKind {
  kOther,         // anything the session does not act on
  kArmed,         // the daemon accepted the command; WPS is running
  kUnavailable,   // no daemon to talk to (error says why)
  kRefused,       // the daemon refused to start WPS (error says why)
  kGone,          // the daemon went away (error says how)
  kPbcActive,     // registrar: push-button mode is on
  kPbcDisabled,   // registrar: push-button mode is off again
  kEnrolleeSeen,  // a device in WPS mode is around (device)
  kPinNeeded,     // registrar: a device asked with a PIN we do not have (device)
  kExchanging,    // the registration protocol started with a device (device.mac)
  kRegistered,    // registrar: a device received our network (device.mac, device.uuid)
  kCredentials,   // enrollee: network settings received (network)
  kSuccess,       // the run succeeded
  kFailed,        // an exchange failed (message, config_error)
  kM2d,           // enrollee: the registrar has no password for us yet (device, config_error)
  kTimeout,       // the daemon's own walk time ran out
  kOverlap,       // push-button session overlap
  kLocked,        // the access point locked its AP PIN
  kDisarmed,      // the daemon's WPS run was cancelled, not by this session
  kRouterFound,   // External Registrar: the home router answered over UPnP (device: its uuid, mac, name)
  kButtonPressed, // External Registrar: the router's virtual push button was pressed
  kRouterSearch,  // External Registrar: no router answered yet; asked again (left_s: how long it goes on)
  kRouterLost,    // External Registrar: the router left UPnP during the run (left_s: how long it may take to return)
  kRouterLearning,  // External Registrar: the router is asked for its own settings (its AP PIN)
  kRouterSettings,  // External Registrar: the router gave its own settings, which the printer gets (network)
  kRouterNetworkScan,  // External Registrar: a scan for the router's network named by --network (network.ssid)
};

struct Event {
  EventKind kind = EventKind::kOther;
  Device device;
  NetworkCredentials network;
  std::shared_ptr<const ReceivedNetwork> received;  // kCredentials: the network with its key
  int message = 0;  // WSC message type of a failure (M1 = 4 ... WSC_Done = 15)
  int config_error = kConfigErrorNone;
  Error error;       // kUnavailable, kRefused, kGone; kOverlap: a better sentence, when known
  std::string name;  // the daemon's own name for it, for the debug log
  bool push_button = false;  // kEnrolleeSeen, kExchanging: the device asked with the push button's password
  int left_s = 0;            // kRouterSearch, kRouterLost: seconds it is waited for
};

// A device name from the network, fit for display.
std::string CleanDeviceName(std::string_view s);

// "armed", "registered", ... (stable; used in the debug log).
std::string_view KindName(EventKind kind);

// One line for the debug log; never contains a secret.
std::string Describe(const Event& event);

}  // namespace cupswps::wps
