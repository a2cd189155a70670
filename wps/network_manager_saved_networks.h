// SPDX-License-Identifier: Apache-2.0
// A SavedNetworkLookup (saved_network.h) over NetworkManager's profiles
// (org.freedesktop.NetworkManager.Settings), changing nothing:
//   ListConnections; GetSettings of each: a Wi-Fi profile (infrastructure)
//   whose SSID is those bytes; exactly one, else nothing is guessed;
//   its key management must allow WPA2 personal (key-mgmt wpa-psk: never
//   open, WEP, 802.1X or WPA3 only);
//   GetSecrets 802-11-wireless-security (root only; a key that a user's
//   agent keeps, psk-flags 1, is not given): a passphrase of 8 to 63
//   printable ASCII characters, never a 64-hex-digit PSK.
// The key is wiped where GLib's buffers allow (the reply's own copy is
// freed with it) and never logged.
#pragma once

#include <gio/gio.h>

#include <memory>
#include <string>
#include <vector>

#include "wps/dbus_caller.h"
#include "wps/saved_network.h"

namespace cupswps::wps {

// What one profile's GetSettings (a{sa{sv}}) says, for choosing. Pure.
struct ProfileFacts {
  bool wifi = false;     // type 802-11-wireless, mode infrastructure (or unset)
  std::string id;        // connection.id, cleaned for messages
  std::string ssid;      // 802-11-wireless.ssid, its bytes
  std::string key_mgmt;  // 802-11-wireless-security.key-mgmt; "" without that section (open)
};
ProfileFacts ReadProfile(GVariant* settings);

// The one profile of `ssid` among `profiles` (its index), or an Error:
// kNotFound for none, else one sentence (several, or a key management WPS
// cannot hand a printer).
Result<std::size_t> ChooseProfile(const std::vector<ProfileFacts>& profiles, const std::string& ssid);

// The passphrase from GetSecrets' reply ((a{sa{sv}})), or an Error (one
// sentence naming `id`: no key given, a raw PSK, not a passphrase).
Result<SavedNetwork> PassphraseOf(GVariant* secrets, const std::string& id);

class NetworkManagerSavedNetworks {
 public:
  // `context` (nullptr: the default one) must outlive the lookup.
  explicit NetworkManagerSavedNetworks(GMainContext* context, GBusType bus = G_BUS_TYPE_SYSTEM);
  void Find(const std::string& ssid, std::function<void(Result<SavedNetwork>)> done);

 private:
  struct Search;
  void ReadNext(std::shared_ptr<Search> search);
  void Secrets(std::shared_ptr<Search> search, std::size_t chosen);

  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  DbusCaller settings_;
};

}  // namespace cupswps::wps
