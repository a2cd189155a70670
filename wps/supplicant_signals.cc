// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant D-Bus WPS signals -> Event; see supplicant_signals.h.
#include "wps/supplicant_signals.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/handle.h"
#include "common/text.h"

namespace cupswps::wps {
namespace {

using VariantPtr = CPtr<GVariant, g_variant_unref>;

constexpr std::size_t kMaxSsidBytes = 32;  // IEEE 802.11: at most 32 octets
constexpr std::size_t kMaxListEntries = 16;
constexpr std::size_t kMaxKeyBytes = 64;  // a PSK in hex; passphrases are 8-63

VariantPtr Lookup(GVariant* dict, const char* key, const GVariantType* type) {
  if (dict == nullptr || !g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT)) return nullptr;
  return VariantPtr(g_variant_lookup_value(dict, key, type));
}

int Int(GVariant* dict, const char* key) {
  if (VariantPtr v = Lookup(dict, key, G_VARIANT_TYPE_INT32)) return g_variant_get_int32(v.get());
  if (VariantPtr v = Lookup(dict, key, G_VARIANT_TYPE_UINT16)) return g_variant_get_uint16(v.get());
  if (VariantPtr v = Lookup(dict, key, G_VARIANT_TYPE_UINT32)) {
    const guint32 u = g_variant_get_uint32(v.get());
    return u > 65535 ? 0 : static_cast<int>(u);
  }
  return 0;
}

std::string_view Bytes(GVariant* v) {
  gsize n = 0;
  const void* data = g_variant_get_fixed_array(v, &n, 1);
  return data == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(data), n);
}

std::string BytesField(GVariant* dict, const char* key) {
  if (VariantPtr v = Lookup(dict, key, G_VARIANT_TYPE_BYTESTRING)) {
    // dev_name and friends may arrive with a trailing NUL.
    std::string_view s = Bytes(v.get());
    while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
    return std::string(s);
  }
  return {};
}

std::vector<std::string> Words(GVariant* dict, const char* key) {
  std::vector<std::string> out;
  if (VariantPtr v = Lookup(dict, key, G_VARIANT_TYPE_STRING_ARRAY)) {
    gsize n = 0;
    const gchar** items = g_variant_get_strv(v.get(), &n);
    for (gsize i = 0; i < n && out.size() < kMaxListEntries; ++i) {
      std::string word = text::Clean(items[i], 32);
      if (!word.empty()) out.push_back(std::move(word));
    }
    g_free(items);
  }
  return out;
}

// primary_dev_type: 8 bytes, the category is the first two (big endian).
int CategoryOf(GVariant* dict) {
  if (VariantPtr v = Lookup(dict, "primary_dev_type", G_VARIANT_TYPE_BYTESTRING)) {
    const std::string_view b = Bytes(v.get());
    if (b.size() == 8) return (static_cast<unsigned char>(b[0]) << 8) | static_cast<unsigned char>(b[1]);
  }
  return 0;
}

}  // namespace

Event ParseSupplicantEvent(const char* name, GVariant* args) {
  Event e;
  const std::string_view n = name == nullptr ? std::string_view() : std::string_view(name);
  e.name = text::Clean(n, 40);
  if (n == "success") {
    e.kind = EventKind::kSuccess;
  } else if (n == "fail") {
    e.kind = EventKind::kFailed;
    e.message = Int(args, "msg");
    e.config_error = Int(args, "config_error");
  } else if (n == "m2d") {
    e.kind = EventKind::kM2d;
    e.config_error = Int(args, "config_error");
    e.device.name = CleanDeviceName(BytesField(args, "dev_name"));
    e.device.category = CategoryOf(args);
  } else if (n == "pbc-overlap") {
    e.kind = EventKind::kOverlap;
  }
  return e;
}

Event ParseCredentials(GVariant* dict) {
  Event e;
  e.kind = EventKind::kCredentials;
  e.name = "Credentials";
  // An SSID is up to 32 arbitrary octets; show what is printable.
  e.network.ssid = text::Clean(BytesField(dict, "SSID"), kMaxSsidBytes);
  e.network.auth_types = Words(dict, "AuthType");
  e.network.encr_types = Words(dict, "EncrType");
  auto received = std::make_shared<ReceivedNetwork>();
  received->ssid = BytesField(dict, "SSID").substr(0, kMaxSsidBytes);
  if (VariantPtr bssid = Lookup(dict, "BSSID", G_VARIANT_TYPE_BYTESTRING)) {
    const std::string_view b = Bytes(bssid.get());
    if (b.size() == 6 && b.find_first_not_of('\0') != std::string_view::npos) {
      char mac[18];
      std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", static_cast<unsigned char>(b[0]),
                    static_cast<unsigned char>(b[1]), static_cast<unsigned char>(b[2]),
                    static_cast<unsigned char>(b[3]), static_cast<unsigned char>(b[4]),
                    static_cast<unsigned char>(b[5]));
      received->bssid = mac;
    }
  }
  received->auth_types = e.network.auth_types;
  received->encr_types = e.network.encr_types;
  if (VariantPtr key = Lookup(dict, "Key", G_VARIANT_TYPE_BYTESTRING)) {
    e.network.has_key = g_variant_n_children(key.get()) > 0;
    std::string_view k = Bytes(key.get());
    while (!k.empty() && k.back() == '\0') k.remove_suffix(1);  // no passphrase holds a NUL
    if (k.size() <= kMaxKeyBytes) received->key.str().assign(k.data(), k.size());
  }
  e.received = std::move(received);
  return e;
}

}  // namespace cupswps::wps
