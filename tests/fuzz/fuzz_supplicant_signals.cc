// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the a{sv} payloads of wpa_supplicant's WPS.Event and
// WPS.Credentials signals, from serialized (untrusted) GVariant data, and
// the received network made into NetworkManager and wpa_supplicant settings.
#include <glib.h>

#include <cstddef>
#include <cstdint>

#include "common/text.h"
#include "wps/network_profile.h"
#include "wps/supplicant_signals.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GBytes* bytes = g_bytes_new(data, size);
  GVariant* dict = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  const wps::Event cred = wps::ParseCredentials(dict);
  if (!text::IsValidUtf8(cred.network.ssid) || cred.network.ssid.size() > 32) __builtin_trap();
  // The network handed on: bounded, and whatever it holds makes settings or a refusal.
  if (!cred.received || cred.received->ssid.size() > 32 || cred.received->key.str().size() > 64) __builtin_trap();
  const wps::ProfileOptions options{"wl0", "", false};
  (void)wps::NetworkManagerSettings(*cred.received, options);
  (void)wps::SupplicantNetworkArgs(*cred.received, options);
  for (const char* name : {"success", "fail", "m2d", "pbc-overlap"}) {
    const wps::Event e = wps::ParseSupplicantEvent(name, dict);
    if (!text::IsValidUtf8(e.device.name) || text::HasControl(e.device.name)) __builtin_trap();
  }
  g_variant_unref(dict);
  g_bytes_unref(bytes);
  return 0;
}
