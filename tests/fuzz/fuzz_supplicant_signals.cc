// libFuzzer target: the a{sv} payloads of wpa_supplicant's WPS.Event and
// WPS.Credentials signals, from serialized (untrusted) GVariant data.
#include <glib.h>

#include <cstddef>
#include <cstdint>

#include "common/text.h"
#include "wps/supplicant_signals.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GBytes* bytes = g_bytes_new(data, size);
  GVariant* dict = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  const wps::Event cred = wps::ParseCredentials(dict);
  if (!text::IsValidUtf8(cred.network.ssid) || cred.network.ssid.size() > 32) __builtin_trap();
  for (const char* name : {"success", "fail", "m2d", "pbc-overlap"}) {
    const wps::Event e = wps::ParseSupplicantEvent(name, dict);
    if (!text::IsValidUtf8(e.device.name) || text::HasControl(e.device.name)) __builtin_trap();
  }
  g_variant_unref(dict);
  g_bytes_unref(bytes);
  return 0;
}
