// SPDX-License-Identifier: Apache-2.0
// SupplicantExternalRegistrar against a scripted wpa_supplicant control
// socket: the command sequence of the router flow, what its events become,
// and how it ends. The real ER, router and printer are in
// tests/integration/router_setup_integration_test.cc.
#include "tests/wps/er_fixture.h"

namespace cupswps::wps {
namespace {

using namespace std::chrono_literals;

TEST_F(ErTest, PressesTheRoutersButtonWithThisHostsNetwork) {
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  EXPECT_EQ(daemon_.commands(), (std::vector<std::string>{"ATTACH", "STATUS", "GET_NETWORK 3 key_mgmt", "WPS_ER_START",
                                                          std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3",
                                                          std::string("WPS_ER_PBC ") + kRouter}));
  ASSERT_NE(Find(EventKind::kRouterFound), nullptr);
  EXPECT_EQ(Find(EventKind::kRouterFound)->device.name, "Lab Router");
  EXPECT_NE(Find(EventKind::kButtonPressed), nullptr);
}

TEST_F(ErTest, AnErThatRanAlreadyNamesTheRouterEarlyAndItsOldEnrolleesAreNotThisRuns) {
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("ATTACH"); }));
  // A running ER reports what it knew before it is asked again.
  daemon_.SendEvent(kRouterAdd);
  daemon_.SendEvent("WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000b 02:00:00:00:0b:01 M1=1 "
                    "config_methods=0x2388 dev_passwd_id=4 pri_dev_type=3-0050F204-1 |Old Jet|||||");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kArmed) != nullptr; }));
  EXPECT_TRUE(Sent(std::string("WPS_ER_SET_CONFIG ") + kRouter + " 3")) << "the network id came first";
  EXPECT_EQ(Find(EventKind::kExchanging), nullptr) << "an enrollee of an earlier run";
  daemon_.SendEvent("WPS-SUCCESS ");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRegistered) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRegistered)->device.mac, "") << "not the old enrollee";
  RunUntil([] { return false; }, 200'000);  // past router_wait: the timer would have fired
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErTest, AnotherDeviceInPushButtonModeIsAnOverlap) {
  daemon_.replies["WPS_ER_PBC"] = "FAIL-PBC-OVERLAP";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  daemon_.SendEvent(kRouterAdd);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kOverlap) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kArmed), nullptr);
}

// Seen over the air (tests/integration/radio_integration_test.cc): a laptop's
// NetworkManager starts WPS push button as it connects to a router offering
// WPS, and the router reports that laptop to the ER as an enrollee.
TEST_F(ErTest, AnOverlapWithThisHostsOwnPushButtonSaysWhyAndWhatToDo) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:01:02\nid=3\nssid=lab-router\nwpa_state=COMPLETED\n"
                              "address=02:00:00:00:01:00";
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  daemon_.SendEvent("WPS-ER-ENROLLEE-ADD 572cf82f-c957-5653-9b16-b5cfb298abf1 02:00:00:00:01:00 M1=0 "
                    "config_methods=0x3148 dev_passwd_id=4 pri_dev_type=0-00000000-0 ||||||");
  daemon_.SendEvent("WPS-OVERLAP-DETECTED ");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kOverlap) != nullptr; }));
  const std::string& why = Find(EventKind::kOverlap)->error.message;
  EXPECT_NE(why.find("also saw this computer in push-button mode"), std::string::npos) << why;
  EXPECT_NE(why.find("wifi-sec.wps-method disabled"), std::string::npos) << why;
}

TEST_F(ErTest, AnOverlapWithOtherDevicesNamesThisHostAsAPossibleOne) {
  daemon_.replies["STATUS"] = "id=3\naddress=02:00:00:00:01:00";
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  // Another device in push-button mode, and this host seen without it.
  daemon_.SendEvent("WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000b 02:00:00:00:0b:01 M1=0 "
                    "config_methods=0x2388 dev_passwd_id=4 pri_dev_type=3-0050F204-1 |Other Jet|||||");
  daemon_.SendEvent("WPS-ER-ENROLLEE-ADD 572cf82f-c957-5653-9b16-b5cfb298abf1 02:00:00:00:01:00 M1=0 "
                    "config_methods=0x3148 dev_passwd_id=0 pri_dev_type=0-00000000-0 ||||||");
  // The router's own check, relayed as the failure of the printer's M1.
  daemon_.SendEvent("WPS-FAIL msg=4 config_error=12");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kOverlap) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kFailed), nullptr);
  const std::string& why = Find(EventKind::kOverlap)->error.message;
  EXPECT_NE(why.find("If this computer joined the router's Wi-Fi in the last 2 minutes"), std::string::npos) << why;
  EXPECT_EQ(why.find("also saw this computer"), std::string::npos) << why;
}

TEST_F(ErTest, HandsThePrintersPinToTheRouter) {
  auto pin = ParsePin("12345670");
  ASSERT_TRUE(pin.ok());
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPin, &pin.value()));
  EXPECT_TRUE(Sent("WPS_ER_PIN any 12345670"));
  EXPECT_EQ(Find(EventKind::kButtonPressed), nullptr);
}

TEST_F(ErTest, SuccessNamesThePrinterTheRouterRelayed) {
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  daemon_.SendEvent("WPS-ER-ENROLLEE-ADD 22222222-3333-4444-5555-00000000000a 02:00:00:00:0a:01 M1=1 "
                    "config_methods=0x2388 dev_passwd_id=4 pri_dev_type=3-0050F204-1 |Front Desk|||||");
  daemon_.SendEvent("WPS-SUCCESS ");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kRegistered) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kRegistered)->device.mac, "02:00:00:00:0a:01");
  EXPECT_EQ(Find(EventKind::kRegistered)->device.uuid, "22222222-3333-4444-5555-00000000000a");
}

// Mesh nodes, extenders and a Linux box with hostapd answer over UPnP too:
// the access point this host is associated with (STATUS bssid) is taken,
// whichever answered first, and without waiting for router_wait.
// A router whose UPnP device reports another MAC than its BSSID (its LAN
// side): when it is the only one that answered, it is the router.
// One of two leaving before the choice leaves the other as the only one.
// One M-SEARCH is one UDP datagram each way: while nobody answered, the
// search is repeated each interval, and a router answering the second one
// is taken at the end of that interval.
// --router-uuid: of two answering, the one named is taken at once, though
// it is not this host's access point.
// Any device can claim to be a router: a UUID that nobody answers with
// arms nothing, not even the only router there is.
// A router restarting its UPnP (or losing a keep-alive) leaves and comes
// back with the same UUID: it gets the settings and the PIN again, and the
// run goes on.
// A network whose key is 64 hex digits: wpa_supplicant keeps 32 raw bytes,
// and the router would hand those to the printer as its key.
TEST_F(ErTest, ANetworkWithARawPskIsNotHandedOnAndTheLookupIsAskedForThisInterface) {
  std::string asked_ifname, asked_ssid;
  Use({.router_wait = 60ms, .reply_timeout = 200ms,
       .key_form = [&](const std::string& ifname, const std::string& ssid, std::function<void(KeyForm)> done) {
         asked_ifname = ifname;
         asked_ssid = ssid;
         done(KeyForm::kRawPsk);
       }});
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message, "This computer's network 'lab-router' is set up with its key as 64 hex digits (a raw PSK), "
                       "which the router's WPS would hand the printer as a key it cannot use, so cups-wps does not "
                       "hand it on (with the router's AP PIN from its label, --router-pin, the printer gets the "
                       "router's own network instead).");
  EXPECT_EQ(asked_ifname, daemon_.path().substr(daemon_.path().rfind('/') + 1));
  EXPECT_EQ(asked_ssid, "lab-router");
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

// A profile whose key an agent keeps (NetworkManager gives root no psk):
// nothing is known against it, and the run goes on as before.
TEST_F(ErTest, AKeyOfUnknownFormGoesOn) {
  Use({.router_wait = 60ms, .reply_timeout = 200ms,
       .key_form = [](const std::string&, const std::string&, std::function<void(KeyForm)> done) {
         done(KeyForm::kUnknown);
       }});
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
}

TEST_F(ErTest, NotConnectedThroughThisSupplicantMeansNoSettingsToGive) {
  daemon_.replies["STATUS"] = "wpa_state=DISCONNECTED";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

// A laptop on the router's 5 GHz network: a 2.4 GHz-only printer could not
// join that network (seen over the air), so the ER hands nothing on and
// setup asks for the router's own button.
TEST_F(ErTest, ThisHostsFiveGigahertzNetworkIsNotHandedToThePrinter) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:05:00\nfreq=5180\nssid=lab-router-5G\nid=0\nkey_mgmt=WPA2-PSK\n"
                              "wpa_state=COMPLETED";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message,
            "This computer is on the router's network 'lab-router-5G' at 5 GHz, which a printer with only 2.4 GHz "
            "cannot join, so cups-wps does not hand it on (with the router's AP PIN from its label, --router-pin, the "
            "printer gets the router's own network instead); or name the router's 2.4 GHz network, saved here, with "
            "--network SSID.");
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

TEST_F(ErTest, ATwoPointFourGigahertzNetworkIsHandedOn) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:00:00\nfreq=2437\nssid=lab-router\nid=0\nkey_mgmt=WPA2-PSK\n"
                              "wpa_state=COMPLETED";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErTest, AnOpenNetworkIsNeverHandedOn) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:00:00\nfreq=2437\nssid=cafe\nid=1\nkey_mgmt=NONE\n"
                              "wpa_state=COMPLETED";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kUnavailable)->error.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_TRUE(Find(EventKind::kUnavailable)->error.message.find("never hands a printer an open network") !=
              std::string::npos);
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

// A network set up for SAE only: WPS_ER_SET_CONFIG would make it an open
// network of that name (wpas_wps_network_to_cred).
TEST_F(ErTest, ASaeOnlyNetworkIsNotHandedOn) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:00:00\nfreq=2437\nssid=home\nid=2\nkey_mgmt=SAE\n"
                              "wpa_state=COMPLETED";
  daemon_.replies["GET_NETWORK"] = "SAE FT-SAE";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kUnavailable) != nullptr; }));
  const Error& e = Find(EventKind::kUnavailable)->error;
  EXPECT_EQ(e.code, ErrorCode::kWpsNoRouterWps);
  EXPECT_EQ(e.message, "This computer's network 'home' is set up for WPA3 (SAE) only, which WPS cannot hand to a "
                       "printer, so cups-wps does not hand it on (with the router's AP PIN from its label, --router-pin, the "
                       "printer gets the router's own network instead).");
  EXPECT_TRUE(Sent("GET_NETWORK 2 key_mgmt"));
  EXPECT_FALSE(Sent("WPS_ER_START"));
}

// Connected with SAE to a network that also allows WPA-PSK (transition
// mode): the printer gets WPA2 personal, which it can use.
TEST_F(ErTest, ATransitionModeNetworkIsHandedOn) {
  daemon_.replies["STATUS"] = "bssid=02:00:00:00:00:00\nfreq=2437\nssid=home\nid=2\nkey_mgmt=SAE\n"
                              "wpa_state=COMPLETED";
  daemon_.replies["GET_NETWORK"] = "WPA-PSK SAE";
  Arm(Method::kPushButton);
  ASSERT_TRUE(RunUntil([&] { return Sent("WPS_ER_START"); }));
  EXPECT_EQ(Find(EventKind::kUnavailable), nullptr);
}

TEST_F(ErTest, AWrongPinFailsButALearnRunsNackDoesNot) {
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  daemon_.SendEvent("WPS-FAIL msg=11 config_error=0");
  daemon_.SendEvent("WPS-FAIL msg=8 config_error=18");
  ASSERT_TRUE(RunUntil([&] { return Find(EventKind::kFailed) != nullptr; }));
  EXPECT_EQ(Find(EventKind::kFailed)->message, 8);
  EXPECT_EQ(Find(EventKind::kFailed)->config_error, 18);
}

TEST_F(ErTest, DisarmStopsTheExternalRegistrarAndNeverCancelsThisHostsConnection) {
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPushButton));
  Disarm();
  EXPECT_TRUE(Sent("WPS_ER_STOP"));
  EXPECT_FALSE(Sent("WPS_CANCEL")) << "WPS_CANCEL would disconnect this host from the router";
  EXPECT_EQ(daemon_.commands().back(), "DETACH") << "no PIN was handed: none to replace";
  EXPECT_EQ(std::count_if(daemon_.commands().begin(), daemon_.commands().end(),
                          [](const std::string& c) { return c.rfind("WPS_ER_PIN", 0) == 0; }),
            0);
}

// wpa_supplicant keeps an ER's PIN for 300 s, for any later ER: once the ER
// has stopped, a new random PIN (no router hears of it) replaces the printer's.
TEST_F(ErTest, DisarmAfterAPinRunReplacesThePinOnceTheErHasStopped) {
  auto pin = ParsePin("12345670");
  ASSERT_TRUE(pin.ok());
  ASSERT_NO_FATAL_FAILURE(ArmWithRouter(Method::kPin, &pin.value()));
  Disarm();
  const std::vector<std::string>& c = daemon_.commands();
  ASSERT_GE(c.size(), 3u);
  EXPECT_EQ(c[c.size() - 3], "WPS_ER_STOP");
  const std::string& replacement = c[c.size() - 2];
  ASSERT_EQ(replacement.rfind("WPS_ER_PIN any ", 0), 0u) << replacement;
  const std::string digits = replacement.substr(15);
  EXPECT_NE(digits, "12345670");
  EXPECT_TRUE(ParsePin(digits).ok()) << "a valid PIN: " << digits;
  EXPECT_EQ(c.back(), "DETACH");
}

}  // namespace
}  // namespace cupswps::wps
