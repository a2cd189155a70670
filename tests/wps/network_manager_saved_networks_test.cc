// SPDX-License-Identifier: Apache-2.0
// Choosing NetworkManager's profile for --network from its settings, as
// GetSettings and GetSecrets give them (the variants are built here as
// NetworkManager 1.42 sends them). Against NetworkManager itself, over the
// air: tests/integration/radio_integration_test.cc.
#include "wps/network_manager_saved_networks.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

// GetSettings of a Wi-Fi profile: ssid as bytes, key-mgmt as given ("" for none).
VariantPtr Wifi(const std::string& id, const std::string& ssid, const std::string& key_mgmt,
                const std::string& mode = "infrastructure") {
  GVariantBuilder all, connection, wireless;
  g_variant_builder_init(&all, G_VARIANT_TYPE("a{sa{sv}}"));
  g_variant_builder_init(&connection, G_VARIANT_TYPE("a{sv}"));
  g_variant_builder_add(&connection, "{sv}", "id", g_variant_new_string(id.c_str()));
  g_variant_builder_add(&connection, "{sv}", "type", g_variant_new_string("802-11-wireless"));
  g_variant_builder_add(&all, "{sa{sv}}", "connection", &connection);
  g_variant_builder_init(&wireless, G_VARIANT_TYPE("a{sv}"));
  g_variant_builder_add(&wireless, "{sv}", "ssid",
                        g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, ssid.data(), ssid.size(), 1));
  g_variant_builder_add(&wireless, "{sv}", "mode", g_variant_new_string(mode.c_str()));
  g_variant_builder_add(&all, "{sa{sv}}", "802-11-wireless", &wireless);
  if (!key_mgmt.empty()) {
    GVariantBuilder security;
    g_variant_builder_init(&security, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&security, "{sv}", "key-mgmt", g_variant_new_string(key_mgmt.c_str()));
    g_variant_builder_add(&all, "{sa{sv}}", "802-11-wireless-security", &security);
  }
  return VariantPtr(g_variant_ref_sink(g_variant_builder_end(&all)));
}

VariantPtr Secrets(const char* psk) {
  return VariantPtr(g_variant_ref_sink(
      psk == nullptr ? g_variant_new_parsed("(@a{sa{sv}} {'802-11-wireless-security': @a{sv} {}},)")
                     : g_variant_new_parsed("({'802-11-wireless-security': {'psk': <%s>}},)", psk)));
}

TEST(NetworkManagerProfiles, AWifiProfileIsReadWithItsSsidBytes) {
  const ProfileFacts p = ReadProfile(Wifi("Home 2.4", std::string("lab\0router", 10), "wpa-psk").get());
  EXPECT_TRUE(p.wifi);
  EXPECT_EQ(p.id, "Home 2.4");
  EXPECT_EQ(p.ssid, std::string("lab\0router", 10));
  EXPECT_EQ(p.key_mgmt, "wpa-psk");
  EXPECT_FALSE(ReadProfile(Wifi("Hotspot", "lab-router", "wpa-psk", "ap").get()).wifi) << "this host's own hotspot";
  VariantPtr wired(g_variant_ref_sink(
      g_variant_new_parsed("{'connection': {'id': <'Wired'>, 'type': <'802-3-ethernet'>}}")));
  EXPECT_FALSE(ReadProfile(wired.get()).wifi);
  EXPECT_FALSE(ReadProfile(nullptr).wifi);
}

TEST(NetworkManagerProfiles, TheOneProfileOfTheSsidIsChosenAndNothingIsGuessed) {
  std::vector<ProfileFacts> profiles = {ReadProfile(Wifi("Home 5", "lab-router-5G", "wpa-psk").get()),
                                        ReadProfile(Wifi("Home 2.4", "lab-router", "wpa-psk").get())};
  auto chosen = ChooseProfile(profiles, "lab-router");
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(chosen.value(), 1u);

  auto none = ChooseProfile(profiles, "cafe");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.error().message, "and NetworkManager has no Wi-Fi profile for it (it has 'Home 5', 'Home 2.4')");

  profiles.push_back(ReadProfile(Wifi("Home again", "lab-router", "wpa-psk").get()));
  auto two = ChooseProfile(profiles, "lab-router");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().message,
            "NetworkManager has 2 profiles for 'lab-router' ('Home 2.4', 'Home again'), and cups-wps does not guess "
            "which to hand to the printer.");
}

TEST(NetworkManagerProfiles, OnlyWpa2PersonalCanBeHandedOn) {
  auto refused = [](const std::string& key_mgmt) {
    auto r = ChooseProfile({ReadProfile(Wifi("Home", "lab-router", key_mgmt).get())}, "lab-router");
    return r ? std::string("chosen") : r.error().message;
  };
  EXPECT_EQ(refused("sae"),
            "NetworkManager's profile 'Home' for 'lab-router' is set up for WPA3 (SAE) only, which WPS cannot hand to "
            "a printer, so cups-wps does not hand it on.");
  EXPECT_EQ(refused(""), "NetworkManager's profile 'Home' for 'lab-router' is an open network, and cups-wps never "
                         "hands a printer an open network.");
  EXPECT_NE(refused("owe").find("is an open network"), std::string::npos);
  EXPECT_NE(refused("wpa-eap").find("is set up for 'wpa-eap', not WPA2 personal"), std::string::npos);
  EXPECT_NE(refused("none").find("'none', not WPA2 personal"), std::string::npos) << "WEP";
}

TEST(NetworkManagerProfiles, OnlyAPassphraseIsHandedOnAndTheKeyIsInNoMessage) {
  auto ok = PassphraseOf(Secrets("correct horse").get(), "Home");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->passphrase.str(), "correct horse");
  EXPECT_EQ(ok->name, "NetworkManager's profile 'Home'");

  const std::string raw(64, 'a');
  for (const char* bad : {raw.c_str(), "short", "tab\there ok"}) {
    auto r = PassphraseOf(Secrets(bad).get(), "Home");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message.find(bad), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().detail.find(bad), std::string::npos) << r.error().detail;
  }
  EXPECT_NE(PassphraseOf(Secrets(raw.c_str()).get(), "Home").error().message.find("(a raw PSK)"), std::string::npos);
  auto agent = PassphraseOf(Secrets(nullptr).get(), "Home");
  ASSERT_FALSE(agent);
  EXPECT_NE(agent.error().message.find("gave cups-wps no key"), std::string::npos);
  EXPECT_FALSE(PassphraseOf(nullptr, "Home")) << "GetSecrets failed";
}

}  // namespace
}  // namespace cupswps::wps
