// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's WPS.Event and WPS.Credentials payloads, written in GVariant
// text form as dbus-monitor showed them on the lab, and hostile variants.
#include "wps/supplicant_signals.h"

#include <gtest/gtest.h>

#include "common/handle.h"

namespace cupswps::wps {
namespace {

using VariantPtr = CPtr<GVariant, g_variant_unref>;

VariantPtr Parse(const char* text) {
  GError* error = nullptr;
  GVariant* v = g_variant_parse(nullptr, text, nullptr, nullptr, &error);
  if (v == nullptr) {
    ADD_FAILURE() << text << ": " << error->message;
    g_error_free(error);
  }
  return VariantPtr(v);
}

struct EventCase {
  const char* name;
  const char* args;
  EventKind kind;
  int message;
  int config_error;
  const char* device_name;
  int category;
};

class SupplicantEvents : public ::testing::TestWithParam<EventCase> {};

TEST_P(SupplicantEvents, Parse) {
  const EventCase& c = GetParam();
  VariantPtr args = Parse(c.args);
  const Event e = ParseSupplicantEvent(c.name, args.get());
  EXPECT_EQ(KindName(e.kind), KindName(c.kind));
  EXPECT_EQ(e.message, c.message);
  EXPECT_EQ(e.config_error, c.config_error);
  EXPECT_EQ(e.device.name, c.device_name);
  EXPECT_EQ(e.device.category, c.category);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SupplicantEvents,
    ::testing::Values(
        EventCase{"success", "@a{sv} {}", EventKind::kSuccess, 0, 0, "", 0},
        EventCase{"fail", "{'msg': <int32 8>, 'config_error': <int32 18>, 'error_indication': <int32 0>}",
                  EventKind::kFailed, 8, 18, "", 0},
        EventCase{"fail", "{'msg': <int32 11>, 'config_error': <int32 0>, 'error_indication': <int32 0>}",
                  EventKind::kFailed, 11, 0, "", 0},
        EventCase{"m2d",
                  "{'config_methods': <uint16 0x2388>, 'dev_name': <b'Acme AP'>, 'primary_dev_type': <[byte 0, 6, 0, "
                  "0x50, 0xf2, 4, 0, 1]>, 'config_error': <uint16 0>, 'dev_password_id': <uint16 4>}",
                  EventKind::kM2d, 0, 0, "Acme AP", 6},
        EventCase{"pbc-overlap", "@a{sv} {}", EventKind::kOverlap, 0, 0, "", 0},
        EventCase{"something-new", "@a{sv} {}", EventKind::kOther, 0, 0, "", 0},
        // Wrong types are ignored, not trusted.
        EventCase{"fail", "{'msg': <'eight'>, 'config_error': <[1, 2]>}", EventKind::kFailed, 0, 0, "", 0},
        // "Evil\n*Foomatic\x01"
        EventCase{"m2d",
                  "{'dev_name': <[byte 0x45, 0x76, 0x69, 0x6c, 0x0a, 0x2a, 0x46, 0x6f, 0x6f, 0x01]>, "
                  "'primary_dev_type': <[byte 1]>}",
                  EventKind::kM2d, 0, 0, "Evil *Foo", 0},
        EventCase{"fail", "(1, 2)", EventKind::kFailed, 0, 0, "", 0}));

TEST(SupplicantEvents, NullArgumentsAreFine) {
  EXPECT_EQ(ParseSupplicantEvent("success", nullptr).kind, EventKind::kSuccess);
  EXPECT_EQ(ParseSupplicantEvent(nullptr, nullptr).kind, EventKind::kOther);
}

TEST(SupplicantCredentials, AsSeenOnTheLab) {
  VariantPtr dict = Parse(
      "{'BSSID': <[byte 0, 0, 0, 0, 0, 0]>, 'SSID': <b'cups-wps-lab'>, 'AuthType': <['wpa2-psk']>, "
      "'EncrType': <['aes']>, 'Key': <b'lab-passphrase-0f7c2a91'>, 'KeyIndex': <uint32 0>}");
  const Event e = ParseCredentials(dict.get());
  EXPECT_EQ(e.kind, EventKind::kCredentials);
  EXPECT_EQ(e.network.ssid, "cups-wps-lab");
  EXPECT_EQ(e.network.auth_types, std::vector<std::string>{"wpa2-psk"});
  EXPECT_EQ(e.network.encr_types, std::vector<std::string>{"aes"});
  EXPECT_TRUE(e.network.has_key);
  // The key goes only into the network handed on; what is shown has none.
  EXPECT_EQ(Describe(e).find("lab-passphrase"), std::string::npos);
  ASSERT_TRUE(e.received);
  EXPECT_EQ(e.received->ssid, "cups-wps-lab");
  EXPECT_EQ(e.received->bssid, "") << "an all-zero BSSID says nothing";
  EXPECT_EQ(e.received->key.str(), "lab-passphrase-0f7c2a91");
  EXPECT_EQ(e.received->auth_types, std::vector<std::string>{"wpa2-psk"});
}

TEST(SupplicantCredentials, TheNetworkHandedOnKeepsTheRawSsidAndTheBssid) {
  const std::string text = "{'BSSID': <[byte 0x02, 0, 0, 0, 0x0A, 0x01]>, 'SSID': <[byte 0x43, 0x61, 0x66, 0x65, 0xff]>, "
                           "'Key': <b'" + std::string(65, 'k') + "'>}";
  VariantPtr dict = Parse(text.c_str());
  const Event e = ParseCredentials(dict.get());
  ASSERT_TRUE(e.received);
  EXPECT_EQ(e.received->ssid, "Cafe\xff") << "joined by its bytes, not by what is shown";
  EXPECT_EQ(e.received->bssid, "02:00:00:00:0a:01");
  EXPECT_TRUE(e.network.has_key);
  EXPECT_EQ(e.received->key.str(), "") << "no PSK is longer than 64 bytes";
}

TEST(SupplicantCredentials, OpenNetworkAndOddValues) {
  // SSID "Cafe\xff\n": not UTF-8, and a control character.
  VariantPtr open = Parse(
      "{'SSID': <[byte 0x43, 0x61, 0x66, 0x65, 0xff, 0x0a]>, 'AuthType': <['open']>, 'EncrType': <['none']>, "
      "'Key': <@ay []>}");
  const Event e = ParseCredentials(open.get());
  EXPECT_EQ(e.network.ssid, "Cafe");
  EXPECT_FALSE(e.network.has_key);
  VariantPtr wrong = Parse("{'SSID': <'not bytes'>, 'AuthType': <'wpa2-psk'>}");
  const Event w = ParseCredentials(wrong.get());
  EXPECT_EQ(w.network.ssid, "");
  EXPECT_TRUE(w.network.auth_types.empty());
  EXPECT_EQ(ParseCredentials(nullptr).kind, EventKind::kCredentials);
}

TEST(SupplicantCredentials, LongSsidIsCut) {
  VariantPtr dict = Parse(("{'SSID': <b'" + std::string(200, 'x') + "'>}").c_str());
  EXPECT_LE(ParseCredentials(dict.get()).network.ssid.size(), 32u);
}

}  // namespace
}  // namespace cupswps::wps
