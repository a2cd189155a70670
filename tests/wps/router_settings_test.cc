// SPDX-License-Identifier: Apache-2.0
// The router's own settings as wpa_supplicant's ER reports them after
// WPS_ER_LEARN (router_settings.h): the line came from the router, and it
// carries the key in the clear, of which only the length and form are read.
#include "wps/router_settings.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

constexpr char kUuid[] = "12345678-9abc-def0-1234-0000000000a1";

std::string Line(const std::string& ssid, const std::string& auth, const std::string& encr, const std::string& key) {
  return std::string("<3>WPS-ER-AP-SETTINGS uuid=") + kUuid + " ssid=" + ssid + " auth_type=" + auth +
         " encr_type=" + encr + " key=" + key;
}

TEST(RouterSettings, TheRoutersWpa2NetworkIsReadWithoutItsKey) {
  auto s = ParseRouterSettings(Line("lab-router", "0x0020", "0x0008", "lab-passphrase-0f7c2a91"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->uuid, kUuid);
  EXPECT_EQ(s->ssid, "lab-router");
  EXPECT_EQ(s->auth_type, 0x20u);
  EXPECT_EQ(s->encr_type, 0x8u);
  EXPECT_EQ(s->key_length, 23u);
  EXPECT_FALSE(s->key_hex);
  EXPECT_EQ(WhyUnusable(*s), "");
  EXPECT_EQ(DescribeSettings(*s), "'lab-router' (WPA2, AES)");
}

// A key may hold spaces and the field names themselves; an SSID of 32
// bytes cannot hold the 39 characters that follow it.
TEST(RouterSettings, SpacesAndFieldNamesInTheKeyDoNotMoveTheFields) {
  auto s = ParseRouterSettings(Line("My Home", "0x0022", "0x000c", "a b auth_type=0x0001 encr_type=0x0001 key=") + "\n");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->ssid, "My Home");
  EXPECT_EQ(s->auth_type, 0x22u);
  EXPECT_EQ(s->key_length, 42u);
  EXPECT_EQ(WhyUnusable(*s), "");
}

TEST(RouterSettings, SixtyFourHexDigitsAreAKeyWpsCarries) {
  auto s = ParseRouterSettings(Line("lab-router", "0x0020", "0x0008", std::string(64, 'a')));
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->key_hex);
  EXPECT_EQ(WhyUnusable(*s), "");
  auto not_hex = ParseRouterSettings(Line("lab-router", "0x0020", "0x0008", std::string(64, 'z')));
  ASSERT_TRUE(not_hex.has_value());
  EXPECT_EQ(WhyUnusable(*not_hex), "it gave no key a printer could use");
}

// Why, or that the line did not parse.
std::string Why(const std::string& line) {
  const auto s = ParseRouterSettings(line);
  return s ? WhyUnusable(*s) : "(does not parse)";
}

TEST(RouterSettings, WhatAPrinterMustNotGetIsSaidWhy) {
  EXPECT_EQ(Why(Line("cafe", "0x0001", "0x0001", "")), "its network is open");
  EXPECT_EQ(Why(Line("corp", "0x0010", "0x0008", "")),
            "its network is not WPA or WPA2 personal");
  EXPECT_EQ(Why(Line("old", "0x0020", "0x0002", "passphrase")),
            "its network's encryption is neither AES nor TKIP");
  EXPECT_EQ(Why(Line("", "0x0020", "0x0008", "passphrase")),
            "it gave no network name (a router not set up yet)");
  EXPECT_EQ(Why(Line("short", "0x0020", "0x0008", "1234567")),
            "it gave no key a printer could use");
}

TEST(RouterSettings, OtherLinesAndBrokenOnesAreNotSettings) {
  EXPECT_FALSE(ParseRouterSettings("<3>WPS-ER-AP-ADD 12345678-9abc-def0-1234-0000000000a1 02:00:00:00:01:02"));
  EXPECT_FALSE(ParseRouterSettings("WPS-ER-AP-SETTINGS uuid=nonsense ssid=x auth_type=0x0020 encr_type=0x0008 key=k"));
  EXPECT_FALSE(ParseRouterSettings(std::string("WPS-ER-AP-SETTINGS uuid=") + kUuid + " ssid=x auth_type=0x00"));
  EXPECT_FALSE(ParseRouterSettings(Line("x", "0xzz20", "0x0008", "passphrase")));
  EXPECT_FALSE(ParseRouterSettings(""));
}

TEST(RouterSettings, AnSsidIsCleanedForDisplay) {
  auto s = ParseRouterSettings(Line("ev\x1b[2Jil", "0x0020", "0x0008", "passphrase"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->ssid.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace cupswps::wps
