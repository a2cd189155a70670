// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's configuration file: the form of a network's key, and
// which file a running wpa_supplicant read for an interface. The real
// files, over the wire and the air: router_setup_integration_test.cc and
// radio_integration_test.cc.
#include "wps/supplicant_config.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

// As `wpa_passphrase lab-router <passphrase>` prints it.
constexpr char kHexBlock[] =
    "network={\n"
    "\tssid=\"lab-router\"\n"
    "\t#psk=\"not the key\"\n"
    "\tpsk=5b2f4b3a0d7a12d6a6cf62ec5fbc2a8ce6f8a4ff6c1fc1c4b3e6a5f3d9b5e1c2\n"
    "}\n";

TEST(SupplicantConfig, A64HexDigitPskIsRawAndAQuotedOneAPassphrase) {
  EXPECT_EQ(KeyFormInConfig(kHexBlock, "lab-router"), KeyForm::kRawPsk);
  EXPECT_EQ(KeyFormInConfig("ctrl_interface=/run/wpa_supplicant\nnetwork={\n ssid=\"lab-router\"\n"
                            " psk=\"correct horse\"\n key_mgmt=WPA-PSK\n}\n",
                            "lab-router"),
            KeyForm::kPassphrase);
}

TEST(SupplicantConfig, OnlyTheBlocksOfThatSsidCountAndAHexSsidIsRead) {
  const std::string other = std::string(kHexBlock) + "network={\n ssid=\"cafe\"\n psk=\"passphrase\"\n}\n";
  EXPECT_EQ(KeyFormInConfig(other, "cafe"), KeyForm::kPassphrase);
  // ssid as hex: "home"
  EXPECT_EQ(KeyFormInConfig("network={\n ssid=686f6d65\n psk=\"passphrase\"\n}\n", "home"), KeyForm::kPassphrase);
  EXPECT_EQ(KeyFormInConfig(kHexBlock, "lab-router-5G"), KeyForm::kUnknown);
}

TEST(SupplicantConfig, TwoBlocksThatDisagreeOrAnExternalKeyAreUnknown) {
  const std::string both = std::string(kHexBlock) + "network={\n ssid=\"lab-router\"\n psk=\"passphrase\"\n}\n";
  EXPECT_EQ(KeyFormInConfig(both, "lab-router"), KeyForm::kUnknown);
  EXPECT_EQ(KeyFormInConfig("network={\n ssid=\"lab-router\"\n psk=ext:home\n}\n", "lab-router"), KeyForm::kUnknown);
  EXPECT_EQ(KeyFormInConfig("network={\n ssid=\"lab-router\"\n psk=abc\n", "lab-router"), KeyForm::kUnknown)
      << "a block that never ends";
}

TEST(SupplicantConfig, TheConfigFileOfTheInterfacesGroupInArgv) {
  // wpa_supplicant@wlan0.service
  EXPECT_EQ(ConfigFileInArgv({"/sbin/wpa_supplicant", "-c/etc/wpa_supplicant/wpa_supplicant-wlan0.conf",
                              "-Dnl80211,wext", "-iwlan0"},
                             "wlan0"),
            "/etc/wpa_supplicant/wpa_supplicant-wlan0.conf");
  // ifupdown's wpa-conf, and two interface groups (-N).
  const std::vector<std::string> two{"wpa_supplicant", "-B", "-i", "eth0", "-c", "/etc/a.conf", "-D", "wired",
                                     "-N", "-i", "wlan0", "-c", "/etc/b.conf"};
  EXPECT_EQ(ConfigFileInArgv(two, "eth0"), "/etc/a.conf");
  EXPECT_EQ(ConfigFileInArgv(two, "wlan0"), "/etc/b.conf");
  EXPECT_EQ(ConfigFileInArgv(two, "wlan1"), "");
  EXPECT_EQ(ConfigFileInArgv({"wpa_supplicant", "-u", "-s", "-O", "/run/wpa_supplicant"}, "wlan0"), "")
      << "Debian's wpa_supplicant.service: interfaces come over D-Bus";
  EXPECT_EQ(ConfigFileInArgv({"wpa_supplicant", "-i"}, "wlan0"), "") << "an option without its value";
}

}  // namespace
}  // namespace cupswps::wps
