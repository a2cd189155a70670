// SPDX-License-Identifier: Apache-2.0
// The printer's network as daemon settings; see network_profile.h.
#include "wps/network_profile.h"

#include <algorithm>
#include <cstring>

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::wps {
namespace {

bool Has(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return g_ascii_isxdigit(c); });
}

// A copy of `bytes` that a GVariant owns and wipes when it is freed.
struct SecretBytes {
  std::size_t size;
  char* data;
};

GVariant* SecretVariant(const GVariantType* type, const char* bytes, std::size_t size) {
  auto* secret = new SecretBytes{size, static_cast<char*>(g_malloc(size))};
  std::memcpy(secret->data, bytes, size);
  return g_variant_new_from_data(type, secret->data, size, TRUE, +[](gpointer p) {
    auto* s = static_cast<SecretBytes*>(p);
    Wipe(s->data, s->size);
    g_free(s->data);
    delete s;
  }, secret);
}

// The key as a string variant (with its terminating NUL).
GVariant* KeyString(const std::string& key) {
  return SecretVariant(G_VARIANT_TYPE_STRING, key.c_str(), key.size() + 1);
}

GVariant* Bytes(const std::string& s) {
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, s.data(), s.size(), 1);
}

GVariant* MacBytes(const std::string& mac) {
  guint8 b[6];
  for (int i = 0; i < 6; ++i) {
    b[i] = static_cast<guint8>(g_ascii_xdigit_value(mac[i * 3]) * 16 + g_ascii_xdigit_value(mac[i * 3 + 1]));
  }
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, b, 6, 1);
}

std::string Bssid(const ReceivedNetwork& n, const ProfileOptions& o) {
  return NormalizeMac(!o.bssid.empty() ? o.bssid : n.bssid);
}

VariantPtr Sunk(GVariant* v) { return VariantPtr(g_variant_ref_sink(v)); }

}  // namespace

Result<Security> SecurityOf(const ReceivedNetwork& n) {
  const std::string& key = n.key.str();
  if (n.ssid.empty()) {
    return Error{ErrorCode::kRefused, "The printer sent network settings without a network name, so there is nothing to join.", ""};
  }
  if (Has(n.auth_types, "wpa2-psk") || Has(n.auth_types, "wpa-psk")) {
    const bool passphrase = key.size() >= 8 && key.size() <= 63 &&
                            std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (passphrase || (key.size() == 64 && IsHex(key))) return Security::kPsk;
    return Error{ErrorCode::kRefused,
                 "The printer sent a network key that is neither a WPA passphrase nor a PSK, so its network "
                 "cannot be joined.",
                 "key of " + std::to_string(key.size()) + " bytes"};
  }
  const bool open_auth = n.auth_types.empty() || (n.auth_types.size() == 1 && n.auth_types[0] == "open");
  const bool no_encryption = n.encr_types.empty() || (n.encr_types.size() == 1 && n.encr_types[0] == "none");
  if (open_auth && no_encryption && key.empty()) return Security::kOpen;
  return Error{ErrorCode::kRefused,
               "The printer's network uses a security mode other than WPA/WPA2 personal (WEP or 802.1X), which "
               "cups-wps does not join; join it by hand.",
               ""};
}

Result<VariantPtr> NetworkManagerSettings(const ReceivedNetwork& n, const ProfileOptions& o) {
  auto security = SecurityOf(n);
  if (!security) return security.error();
  const std::string bssid = Bssid(n, o);
  GVariantBuilder settings, connection, wireless, ipv4, ipv6;
  g_variant_builder_init(&settings, G_VARIANT_TYPE("a{sa{sv}}"));

  g_variant_builder_init(&connection, G_VARIANT_TYPE_VARDICT);
  const std::string id = "cups-wps: " + text::Clean(n.ssid, 32);
  g_variant_builder_add(&connection, "{sv}", "id", g_variant_new_string(id.c_str()));
  g_variant_builder_add(&connection, "{sv}", "type", g_variant_new_string("802-11-wireless"));
  g_variant_builder_add(&connection, "{sv}", "autoconnect", g_variant_new_boolean(FALSE));
  g_variant_builder_add(&connection, "{sv}", "interface-name", g_variant_new_string(o.ifname.c_str()));
  g_variant_builder_add(&settings, "{sa{sv}}", "connection", &connection);

  g_variant_builder_init(&wireless, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&wireless, "{sv}", "ssid", Bytes(n.ssid));
  g_variant_builder_add(&wireless, "{sv}", "mode", g_variant_new_string("infrastructure"));
  if (!bssid.empty()) g_variant_builder_add(&wireless, "{sv}", "bssid", MacBytes(bssid));
  g_variant_builder_add(&settings, "{sa{sv}}", "802-11-wireless", &wireless);

  if (*security == Security::kPsk) {
    GVariantBuilder wsec;
    g_variant_builder_init(&wsec, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&wsec, "{sv}", "key-mgmt", g_variant_new_string("wpa-psk"));
    g_variant_builder_add(&wsec, "{sv}", "psk", KeyString(n.key.str()));
    g_variant_builder_add(&settings, "{sa{sv}}", "802-11-wireless-security", &wsec);
  }

  g_variant_builder_init(&ipv4, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&ipv4, "{sv}", "method", g_variant_new_string("auto"));
  g_variant_builder_add(&ipv4, "{sv}", "never-default", g_variant_new_boolean(TRUE));
  g_variant_builder_add(&ipv4, "{sv}", "ignore-auto-dns", g_variant_new_boolean(TRUE));
  g_variant_builder_add(&settings, "{sa{sv}}", "ipv4", &ipv4);

  g_variant_builder_init(&ipv6, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&ipv6, "{sv}", "method", g_variant_new_string("link-local"));
  g_variant_builder_add(&ipv6, "{sv}", "never-default", g_variant_new_boolean(TRUE));
  g_variant_builder_add(&settings, "{sa{sv}}", "ipv6", &ipv6);
  return Sunk(g_variant_builder_end(&settings));
}

VariantPtr NetworkManagerOptions(bool keep) {
  GVariantBuilder options;
  g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&options, "{sv}", "persist", g_variant_new_string(keep ? "disk" : "volatile"));
  g_variant_builder_add(&options, "{sv}", "bind-activation", g_variant_new_string(keep ? "none" : "dbus-client"));
  return Sunk(g_variant_builder_end(&options));
}

Result<VariantPtr> SupplicantNetworkArgs(const ReceivedNetwork& n, const ProfileOptions& o) {
  auto security = SecurityOf(n);
  if (!security) return security.error();
  const std::string bssid = Bssid(n, o);
  GVariantBuilder args;
  g_variant_builder_init(&args, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&args, "{sv}", "ssid", Bytes(n.ssid));
  if (*security == Security::kPsk) {
    g_variant_builder_add(&args, "{sv}", "key_mgmt", g_variant_new_string("WPA-PSK"));
    const std::string& key = n.key.str();
    if (key.size() == 64) {
      // A PSK: as bytes, which wpa_supplicant writes as the hex it expects.
      char psk[32];
      for (std::size_t i = 0; i < 32; ++i) {
        psk[i] = static_cast<char>(g_ascii_xdigit_value(key[2 * i]) * 16 + g_ascii_xdigit_value(key[2 * i + 1]));
      }
      g_variant_builder_add(&args, "{sv}", "psk", SecretVariant(G_VARIANT_TYPE_BYTESTRING, psk, sizeof psk));
      Wipe(psk, sizeof psk);
    } else {
      g_variant_builder_add(&args, "{sv}", "psk", KeyString(key));
    }
  } else {
    g_variant_builder_add(&args, "{sv}", "key_mgmt", g_variant_new_string("NONE"));
  }
  if (!bssid.empty()) g_variant_builder_add(&args, "{sv}", "bssid", g_variant_new_string(bssid.c_str()));
  return Sunk(g_variant_builder_end(&args));
}

}  // namespace cupswps::wps
