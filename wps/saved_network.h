// SPDX-License-Identifier: Apache-2.0
// --network SSID where wpa_supplicant has no such saved network: a network
// saved by whoever manages this host's Wi-Fi (NetworkManager's profiles:
// network_manager_saved_networks.h), for the External Registrar to hand to
// the printer. The seam is this callback; tests give their own.
#pragma once

#include <functional>
#include <string>

#include "common/result.h"
#include "wps/secret.h"

namespace cupswps::wps {

// A WPA2-personal network with a passphrase a printer can use: 8 to 63
// printable ASCII characters, never a raw PSK, never open, never WPA3 only.
struct SavedNetwork {
  std::string name;         // where it is saved, for messages: "NetworkManager's profile 'Home 2.4'"
  SecretString passphrase;  // never logged, never in an Error
};

// Finds the saved network of `ssid` (its bytes); `done` exactly once, on
// the caller's loop. kNotFound: none saved (the message says what was
// looked at); any other Error: one is saved but cannot be handed on (one
// sentence, without the key).
using SavedNetworkLookup =
    std::function<void(const std::string& ssid, std::function<void(Result<SavedNetwork>)> done)>;

}  // namespace cupswps::wps
