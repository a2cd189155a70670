// SPDX-License-Identifier: Apache-2.0
// The printer's network as a NetworkManager profile and as wpa_supplicant
// AddNetwork arguments: exactly these settings, the key only in psk, and a
// sentence for networks that cannot be joined.
#include "wps/network_profile.h"

#include <gtest/gtest.h>

#include <set>

namespace cupswps::wps {
namespace {

constexpr char kKey[] = "lab-passphrase-0f7c2a91";

ReceivedNetwork Psk(std::string key = kKey) {
  ReceivedNetwork n;
  n.ssid = "cups-wps-lab";
  n.auth_types = {"wpa2-psk"};
  n.encr_types = {"aes"};
  n.key.str() = std::move(key);
  return n;
}

std::set<std::string> Keys(GVariant* dict) {
  std::set<std::string> out;
  GVariantIter it;
  g_variant_iter_init(&it, dict);
  const gchar* key = nullptr;
  GVariant* value = nullptr;
  while (g_variant_iter_next(&it, "{&s@*}", &key, &value)) {
    out.insert(key);
    g_variant_unref(value);
  }
  return out;
}

VariantPtr Section(GVariant* settings, const char* name) {
  return VariantPtr(g_variant_lookup_value(settings, name, G_VARIANT_TYPE_VARDICT));
}

std::string String(GVariant* dict, const char* key) {
  const gchar* s = nullptr;
  return g_variant_lookup(dict, key, "&s", &s) ? s : "(none)";
}

bool Bool(GVariant* dict, const char* key) {
  gboolean b = FALSE;
  EXPECT_TRUE(g_variant_lookup(dict, key, "b", &b)) << key;
  return b != FALSE;
}

std::string Bytes(GVariant* dict, const char* key) {
  VariantPtr v(g_variant_lookup_value(dict, key, G_VARIANT_TYPE_BYTESTRING));
  if (!v) return "(none)";
  gsize n = 0;
  const auto* data = static_cast<const char*>(g_variant_get_fixed_array(v.get(), &n, 1));
  return std::string(data, n);
}

TEST(NetworkManagerProfile, ExactlyTheSettingsThatKeepItOffTheDefaultRoute) {
  auto settings = NetworkManagerSettings(Psk(), ProfileOptions{"wl0", "", false});
  ASSERT_TRUE(settings.ok());
  GVariant* s = settings->get();
  EXPECT_EQ(Keys(s), (std::set<std::string>{"connection", "802-11-wireless", "802-11-wireless-security", "ipv4",
                                            "ipv6"}));
  VariantPtr connection = Section(s, "connection");
  EXPECT_EQ(Keys(connection.get()), (std::set<std::string>{"id", "type", "autoconnect", "interface-name"}));
  EXPECT_FALSE(Bool(connection.get(), "autoconnect"));
  EXPECT_EQ(String(connection.get(), "type"), "802-11-wireless");
  EXPECT_EQ(String(connection.get(), "interface-name"), "wl0");
  VariantPtr wifi = Section(s, "802-11-wireless");
  EXPECT_EQ(Keys(wifi.get()), (std::set<std::string>{"ssid", "mode"}));
  EXPECT_EQ(Bytes(wifi.get(), "ssid"), "cups-wps-lab");
  VariantPtr security = Section(s, "802-11-wireless-security");
  EXPECT_EQ(Keys(security.get()), (std::set<std::string>{"key-mgmt", "psk"}));
  EXPECT_EQ(String(security.get(), "key-mgmt"), "wpa-psk");
  EXPECT_EQ(String(security.get(), "psk"), kKey);
  VariantPtr ipv4 = Section(s, "ipv4");
  EXPECT_EQ(Keys(ipv4.get()), (std::set<std::string>{"method", "never-default", "ignore-auto-dns"}));
  EXPECT_EQ(String(ipv4.get(), "method"), "auto");
  EXPECT_TRUE(Bool(ipv4.get(), "never-default"));
  EXPECT_TRUE(Bool(ipv4.get(), "ignore-auto-dns"));
  VariantPtr ipv6 = Section(s, "ipv6");
  EXPECT_EQ(Keys(ipv6.get()), (std::set<std::string>{"method", "never-default"}));
  EXPECT_EQ(String(ipv6.get(), "method"), "link-local");
  EXPECT_TRUE(Bool(ipv6.get(), "never-default"));
  // The key is in psk and nowhere else.
  gchar* text = g_variant_print(s, FALSE);
  const std::string printed = text;
  g_free(text);
  EXPECT_EQ(printed.find(kKey), printed.rfind(kKey));
}

TEST(NetworkManagerProfile, TheBssidComesFromTheOptionOrTheCredentials) {
  ReceivedNetwork n = Psk();
  n.bssid = "02:00:00:00:0a:01";
  auto settings = NetworkManagerSettings(n, ProfileOptions{"wl0", "", false});
  ASSERT_TRUE(settings.ok());
  VariantPtr wifi = Section(settings->get(), "802-11-wireless");
  EXPECT_EQ(Bytes(wifi.get(), "bssid"), std::string("\x02\x00\x00\x00\x0a\x01", 6));
  settings = NetworkManagerSettings(n, ProfileOptions{"wl0", "02:00:00:00:0b:01", false});
  wifi = Section(settings->get(), "802-11-wireless");
  EXPECT_EQ(Bytes(wifi.get(), "bssid"), std::string("\x02\x00\x00\x00\x0b\x01", 6));
}

TEST(NetworkManagerProfile, OptionsVolatileAndBoundOrKept) {
  VariantPtr temporary = NetworkManagerOptions(false);
  EXPECT_EQ(Keys(temporary.get()), (std::set<std::string>{"persist", "bind-activation"}));
  EXPECT_EQ(String(temporary.get(), "persist"), "volatile");
  EXPECT_EQ(String(temporary.get(), "bind-activation"), "dbus-client");
  VariantPtr kept = NetworkManagerOptions(true);
  EXPECT_EQ(String(kept.get(), "persist"), "disk");
  EXPECT_EQ(String(kept.get(), "bind-activation"), "none");
}

TEST(NetworkManagerProfile, AnOpenNetworkHasNoSecuritySection) {
  ReceivedNetwork n;
  n.ssid = "Printer-Setup";
  n.auth_types = {"open"};
  n.encr_types = {"none"};
  auto settings = NetworkManagerSettings(n, ProfileOptions{"wl0", "", false});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(Keys(settings->get()).count("802-11-wireless-security"), 0u);
}

TEST(SupplicantNetwork, APassphraseIsAStringAndAPskIsBytes) {
  auto args = SupplicantNetworkArgs(Psk(), ProfileOptions{"wl0", "", false});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(Keys(args->get()), (std::set<std::string>{"ssid", "key_mgmt", "psk"}));
  EXPECT_EQ(Bytes(args->get(), "ssid"), "cups-wps-lab");
  EXPECT_EQ(String(args->get(), "key_mgmt"), "WPA-PSK");
  EXPECT_EQ(String(args->get(), "psk"), kKey);
  const std::string hex(64, 'a');
  args = SupplicantNetworkArgs(Psk(hex), ProfileOptions{"wl0", "02:00:00:00:0a:01", false});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(Bytes(args->get(), "psk"), std::string(32, '\xaa'));
  EXPECT_EQ(String(args->get(), "bssid"), "02:00:00:00:0a:01");
}

TEST(SupplicantNetwork, AnOpenNetworkHasNoKey) {
  ReceivedNetwork n;
  n.ssid = "Printer-Setup";
  n.auth_types = {"open"};
  auto args = SupplicantNetworkArgs(n, ProfileOptions{"wl0", "", false});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(String(args->get(), "key_mgmt"), "NONE");
  EXPECT_EQ(Keys(args->get()).count("psk"), 0u);
}

TEST(Security, WhatCannotBeJoinedIsRefusedInOneSentenceWithoutTheKey) {
  ReceivedNetwork wep = Psk("12345");
  wep.auth_types = {"shared"};
  wep.encr_types = {"wep"};
  auto r = SecurityOf(wep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  for (const std::string& key : {std::string("short"), std::string(64, 'g'), std::string("tab\there-ok")}) {
    auto bad = SecurityOf(Psk(key));
    ASSERT_FALSE(bad.ok()) << key;
    EXPECT_EQ(bad.error().message.find(key), std::string::npos);
    EXPECT_EQ(bad.error().detail.find(key), std::string::npos);
  }
  ReceivedNetwork unnamed = Psk();
  unnamed.ssid.clear();
  EXPECT_FALSE(SecurityOf(unnamed).ok());
  EXPECT_TRUE(SecurityOf(Psk(std::string(63, 'x'))).ok());
}

}  // namespace
}  // namespace cupswps::wps
