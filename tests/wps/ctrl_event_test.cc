// SPDX-License-Identifier: Apache-2.0
// Control-socket event lines, as hostapd 2.10 and wpa_supplicant 2.10 send
// them (recorded on the lab and from the sources), and hostile variants.
#include "wps/ctrl_event.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

TEST(CtrlEvent, TellsEventsFromReplies) {
  EXPECT_TRUE(IsCtrlEvent("<3>WPS-PBC-ACTIVE "));
  EXPECT_TRUE(IsCtrlEvent("IFNAME=wlan0 <3>WPS-SUCCESS"));
  EXPECT_FALSE(IsCtrlEvent("OK\n"));
  EXPECT_FALSE(IsCtrlEvent("FAIL\n"));
  EXPECT_FALSE(IsCtrlEvent("PONG\n"));
  EXPECT_FALSE(IsCtrlEvent("<"));
}

struct LineCase {
  const char* line;
  EventKind kind;
  const char* mac;
  const char* uuid;
  const char* name;
  int category;
  int message;
  int config_error;
};

class CtrlEventLines : public ::testing::TestWithParam<LineCase> {};

TEST_P(CtrlEventLines, Parse) {
  const LineCase& c = GetParam();
  const Event e = ParseCtrlEvent(c.line);
  EXPECT_EQ(KindName(e.kind), KindName(c.kind)) << c.line;
  EXPECT_EQ(e.device.mac, c.mac) << c.line;
  EXPECT_EQ(e.device.uuid, c.uuid) << c.line;
  EXPECT_EQ(e.device.name, c.name) << c.line;
  EXPECT_EQ(e.device.category, c.category) << c.line;
  EXPECT_EQ(e.message, c.message) << c.line;
  EXPECT_EQ(e.config_error, c.config_error) << c.line;
}

INSTANTIATE_TEST_SUITE_P(
    Recorded, CtrlEventLines,
    ::testing::Values(
        LineCase{"<3>WPS-REG-SUCCESS 02:00:00:00:0b:01 22222222-3333-4444-5555-666666666666", EventKind::kRegistered,
                 "02:00:00:00:0b:01", "22222222-3333-4444-5555-666666666666", "", 0, 0, 0},
        LineCase{"<3>WPS-REG-SUCCESS 02:00:00:00:0B:01 2222", EventKind::kRegistered, "02:00:00:00:0b:01", "", "", 0,
                 0, 0},
        LineCase{"<3>WPS-PBC-ACTIVE ", EventKind::kPbcActive, "", "", "", 0, 0, 0},
        // wpa_supplicant's External Registrar, as seen in the lab's router flow.
        LineCase{"<3>WPS-ER-AP-ADD 12345678-9abc-def0-1234-0000000000a1 02:00:00:00:01:02 pri_dev_type=6-0050F204-1 "
                 "wps_state=2 |Lab Router|cups-wps lab|lab router||http://example.invalid/|http://x/|",
                 EventKind::kRouterFound, "02:00:00:00:01:02", "12345678-9abc-def0-1234-0000000000a1", "Lab Router",
                 0, 0, 0},
        LineCase{"<3>WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000a 02:00:00:00:0a:01 M1=1 "
                 "config_methods=0x2388 dev_passwd_id=4 pri_dev_type=3-0050F204-1 |Front Desk|Acme|TestJet|1|0001|",
                 EventKind::kExchanging, "02:00:00:00:0a:01", "22222222-3333-4444-5555-00000000000a", "Front Desk", 3,
                 0, 0},
        LineCase{"<3>WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000a 02:00:00:00:0a:01 M1=0 "
                 "config_methods=0x2388 dev_passwd_id=0 pri_dev_type=3-0050F204-1 ||||||",
                 EventKind::kEnrolleeSeen, "02:00:00:00:0a:01", "22222222-3333-4444-5555-00000000000a", "", 3, 0, 0},
        LineCase{"<3>WPS-ER-AP-REMOVE 12345678-9abc-def0-1234-0000000000a1", EventKind::kGone, "",
                 "12345678-9abc-def0-1234-0000000000a1", "", 0, 0, 0},
        // Carries the router's key: only its name is kept (a kOther line).
        LineCase{"<3>WPS-ER-AP-SETTINGS uuid=12345678-9abc-def0-1234-0000000000a1 ssid=lab-router auth_type=0x0020 "
                 "encr_type=0x0008 key=secret-passphrase",
                 EventKind::kOther, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-PBC-DISABLE ", EventKind::kPbcDisabled, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-SUCCESS ", EventKind::kSuccess, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-FAIL msg=8 config_error=18", EventKind::kFailed, "", "", "", 0, 8, 18},
        LineCase{"<3>WPS-FAIL msg=4 config_error=12", EventKind::kFailed, "", "", "", 0, 4, 12},
        LineCase{"<3>WPS-FAIL msg=8 config_error=18 reason=2 (M4 Hash)", EventKind::kFailed, "", "", "", 0, 8, 18},
        LineCase{"<3>WPS-FAIL ", EventKind::kFailed, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-TIMEOUT ", EventKind::kTimeout, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-OVERLAP-DETECTED ", EventKind::kOverlap, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-AP-SETUP-LOCKED ", EventKind::kLocked, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-CANCEL ", EventKind::kDisarmed, "", "", "", 0, 0, 0},
        LineCase{"<3>CTRL-EVENT-EAP-STARTED 02:00:00:00:0c:01", EventKind::kExchanging, "02:00:00:00:0c:01", "", "",
                 0, 0, 0},
        LineCase{"<3>CTRL-EVENT-EAP-STARTED EAP authentication started", EventKind::kExchanging, "", "", "", 0, 0, 0},
        LineCase{"<3>CTRL-EVENT-TERMINATING ", EventKind::kGone, "", "", "", 0, 0, 0},
        LineCase{"<3>AP-DISABLED ", EventKind::kGone, "", "", "", 0, 0, 0},
        LineCase{"<3>CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=254", EventKind::kOther, "", "", "", 0, 0,
                 0},
        // From probe requests over the air (never on the wired lab).
        LineCase{"<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 a1b2c3d4-0000-1111-2222-333344445555 3-0050F204-1 0x4388 "
                 "4 1 [HP OfficeJet 8010 [1]]",
                 EventKind::kEnrolleeSeen, "02:11:22:33:44:55", "a1b2c3d4-0000-1111-2222-333344445555",
                 "HP OfficeJet 8010 [1]", 3, 0, 0},
        LineCase{"<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 a1b2c3d4-0000-1111-2222-333344445555 10-0050F204-5 0x0 0 0 "
                 "[]",
                 EventKind::kEnrolleeSeen, "02:11:22:33:44:55", "a1b2c3d4-0000-1111-2222-333344445555", "", 10, 0, 0},
        LineCase{"<3>WPS-PIN-NEEDED 22222222-3333-4444-5555-00000000000b 02:00:00:00:0b:01 [Lab Printer e-b|cups-wps "
                 "lab|wpas-wired|1|e-b|3-0050F204-1]",
                 EventKind::kPinNeeded, "02:00:00:00:0b:01", "22222222-3333-4444-5555-00000000000b",
                 "Lab Printer e-b", 3, 0, 0},
        LineCase{"IFNAME=wlan0 <3>WPS-SUCCESS", EventKind::kSuccess, "", "", "", 0, 0, 0}));

INSTANTIATE_TEST_SUITE_P(
    Hostile, CtrlEventLines,
    ::testing::Values(
        LineCase{"", EventKind::kOther, "", "", "", 0, 0, 0}, LineCase{"<3>", EventKind::kOther, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-REG-SUCCESS", EventKind::kOther, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-REG-SUCCESS not-a-mac 2222", EventKind::kOther, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 x 3-0050F204-1 0x0 0 0 [Evil\n*FoomaticRIPCommandLine: "
                 "x\x01]",
                 EventKind::kEnrolleeSeen, "02:11:22:33:44:55", "", "Evil *FoomaticRIPCommandLine: x", 3, 0, 0},
        LineCase{"<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 x 99999999999-0-1 0x0 0 0 [A]", EventKind::kEnrolleeSeen,
                 "02:11:22:33:44:55", "", "A", 0, 0, 0},
        LineCase{"<3>WPS-ENROLLEE-SEEN zz:11:22:33:44:55 x 3-0 0x0 0 0 [A]", EventKind::kOther, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-FAIL msg=abc config_error=-", EventKind::kFailed, "", "", "", 0, 0, 0},
        LineCase{"<3>WPS-FAIL msg=99999999999999999999", EventKind::kFailed, "", "", "", 0, 0, 0}));

TEST(CtrlEvent, SaysWhichDevicesAskedWithThePushButton) {
  // Device password id 4: push button (over the air, and as the router relays it to an ER).
  EXPECT_TRUE(ParseCtrlEvent("<3>WPS-ENROLLEE-SEEN 02:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 "
                             "0-00000000-0 0x3148 4 1 [ ]")
                  .push_button);
  EXPECT_FALSE(ParseCtrlEvent("<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 a1b2c3d4-0000-1111-2222-333344445555 "
                              "10-0050F204-5 0x0 0 0 []")
                   .push_button);
  EXPECT_TRUE(ParseCtrlEvent("<3>WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000a 02:00:00:00:0a:01 M1=0 "
                             "config_methods=0x2388 dev_passwd_id=4 pri_dev_type=3-0050F204-1 |Jet|||||")
                  .push_button);
  EXPECT_FALSE(ParseCtrlEvent("<3>WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000a 02:00:00:00:0a:01 M1=0 "
                              "config_methods=0x2388 dev_passwd_id=44 pri_dev_type=3-0050F204-1 |Jet|||||")
                   .push_button);
}

TEST(CtrlEvent, NeverKeepsTheCredentialLine) {
  // wpa_supplicant reports the received network, key included, in hex.
  const Event e = ParseCtrlEvent(
      "<3>WPS-CRED-RECEIVED 100e004610260001011045000c637570732d7770732d6c6162100300020020100f00020008102700176c61622d"
      "706173737068726173652d3066376332613931");
  EXPECT_EQ(e.kind, EventKind::kOther);
  EXPECT_EQ(e.name, "WPS-CRED-RECEIVED");
  EXPECT_EQ(Describe(e).find("6c61622d"), std::string::npos);
}

TEST(CtrlEvent, LongDeviceNamesAreCut) {
  const std::string line = "<3>WPS-ENROLLEE-SEEN 02:11:22:33:44:55 x 3-0050F204-1 0x0 0 0 [" + std::string(500, 'A') + "]";
  EXPECT_LE(ParseCtrlEvent(line).device.name.size(), 64u);
}

// wpa_supplicant's escapes of an SSID (printf_encode), undone.
TEST(SupplicantText, EscapesAreUndoneToTheSsidsBytes) {
  EXPECT_EQ(DecodeSupplicantText("lab-router"), "lab-router");
  EXPECT_EQ(DecodeSupplicantText("Caf\\xc3\\xa9"), "Caf\xc3\xa9");
  EXPECT_EQ(DecodeSupplicantText("a\\\"b\\\\c\\td\\n\\e"), "a\"b\\c\td\n\033");
  EXPECT_EQ(DecodeSupplicantText("\\101\\0"), std::string("A\0", 2));
  EXPECT_EQ(DecodeSupplicantText("\\xg"), std::nullopt) << "a \\x without a hex digit";
  EXPECT_EQ(DecodeSupplicantText(std::string(33, 'x')), std::nullopt) << "longer than an SSID";
  EXPECT_EQ(DecodeSupplicantText(std::string(32, 'x')), std::string(32, 'x'));
  EXPECT_EQ(DecodeSupplicantText("\\x41\\x4"), "A\x04") << "one hex digit, as printf_decode reads it";
}

}  // namespace
}  // namespace cupswps::wps
