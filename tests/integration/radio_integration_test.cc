// SPDX-License-Identifier: Apache-2.0
// The Wi-Fi flows over the air. This program runs inside the radio guest
// (`cups-wps-lab radio run`, tests/lab/lab.d/radio.sh): Debian's kernel with
// mac80211_hwsim, so hostapd and wpa_supplicant use nl80211 and every probe,
// association, EAP-WSC exchange and 4-way handshake crosses a real 802.11
// medium (tests/lab/lab.d/air.sh). Printers fresh out of the box have Wi-Fi
// only, scan 2.4 GHz only, and get their address over DHCP once connected.
// Each test ends with a test page in that printer's own log, and checks
// that the printer is connected, with WPA2, to the network it was meant for.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "tests/integration/over_the_air.h"

namespace cupswps::testing {
namespace {

// ---------------------------------------------------------------- this host is the access point
class ThisHostIsTheAccessPoint : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(Trim(lab_->Run({"ap-up"}).out), "/run/hostapd/wlan0");
  }
  static std::string Bssid() { return Trim(lab_->Sh("ws", {"cat", "/sys/class/net/wlan0/address"}).out); }
};

TEST_F(ThisHostIsTheAccessPoint, PushButtonToPrintedTestPage) {
  const std::string host = lab_->AddPrinter("Air Jet", {"--wps"});
  auto setup = PushButtonSetup(host, "Air_Jet", "armed", "/run/hostapd/wlan0");
  ASSERT_NE(setup, nullptr);
  EXPECT_TRUE(Contains(setup->Text(), "\"matched_by\":\"mac\"")) << setup->Text();
  EXPECT_TRUE(Contains(Queues(), "device for Air_Jet: wps://uuid/")) << Queues();
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnNetwork(host, "cups-wps-lab", Bssid(), "ws");
}

TEST_F(ThisHostIsTheAccessPoint, ThePrintersPinToPrintedTestPage) {
  const std::string host = lab_->AddPrinter("Air Pin Jet", {"--wps"});
  const std::string pin = "12345670";
  ASSERT_EQ(lab_->Run({"enter-pin", host}, pin + "\n").status, 0);
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "setup", "--pin-stdin", "--test-page", "--json"}, pin + "\n");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_FALSE(Contains(r.out + r.err, pin)) << "the PIN is never printed";
  EXPECT_TRUE(Contains(Queues(), "device for Air_Pin_Jet: wps://uuid/")) << Queues();
  EXPECT_EQ(LineCount(Printed(host)), 1);
  ExpectOnNetwork(host, "cups-wps-lab", Bssid(), "ws");
}

// ---------------------------------------------------------------- the home router
// The router's hostapd (channel 6, UPnP WPS on its LAN) bridges its radio
// into the LAN; ws is on the LAN by wire and its wpa_supplicant holds the
// router's network, as a desktop's does; setup runs the External Registrar.
class HomeRouter : public OverTheAir {
 protected:
  void SetUp() override { ASSERT_EQ(lab_->Run({"router-up"}).status, 0); }
  static std::string ShowPin(const std::string& host, std::string* file) {
    *file = Trim(lab_->Run({"show-pin", host}).out);
    std::string pin;
    std::ifstream(*file) >> pin;
    return pin;
  }
};

TEST_F(HomeRouter, PushButtonThroughTheExternalRegistrar) {
  const std::string host = lab_->AddPrinter("Router Jet", {"--wps"});
  ASSERT_NE(PushButtonSetup(host, "Router_Jet", "router-button-pressed", "\"mode\":\"router\""), nullptr);
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);
}

TEST_F(HomeRouter, ThePrintersPinThroughTheExternalRegistrar) {
  const std::string host = lab_->AddPrinter("Router Pin Jet", {"--wps"});
  std::string pin_file;
  const std::string pin = ShowPin(host, &pin_file);
  ASSERT_TRUE(std::regex_match(pin, std::regex("[0-9]{8}"))) << pin_file;
  auto setup = Setup("--pin-file " + pin_file + " --test-page");
  ASSERT_FALSE(ExpectDone(*setup, "Router_Pin_Jet", seconds(240)).empty());
  EXPECT_TRUE(Contains(setup->Text(), "\"event\":\"router-found\"")) << setup->Text();
  EXPECT_FALSE(Contains(setup->Text(), pin)) << "the PIN in setup's output";
  EXPECT_EQ(LineCount(Printed(host)), 1);
  ExpectOnTheRoutersNetwork(host);
}

TEST_F(HomeRouter, TheRoutersOwnButtonWithoutUpnp) {
  ASSERT_EQ(lab_->Run({"router-up", "--no-upnp"}).status, 0);
  const std::string host = lab_->AddPrinter("Button Router Jet", {"--wps"});
  auto setup = Setup("--pbc --test-page");
  const auto say = setup->WaitForLineContaining("\"event\":\"press\"", seconds(60));
  ASSERT_TRUE(say.has_value()) << setup->Text();
  EXPECT_TRUE(Contains(*say, "Press the WPS button on the router")) << *say;
  lab_->Run({"router-button"});
  lab_->Run({"press-button", host});
  ASSERT_FALSE(ExpectDone(*setup, "Button_Router_Jet", seconds(240)).empty());
  EXPECT_EQ(LineCount(Printed(host)), 1);
  ExpectOnTheRoutersNetwork(host);
}

// ---------------------------------------------------------------- a laptop on NetworkManager
// ws is a laptop (tests/lab/lab.d/laptop.sh): off the wire, its radio owned
// by Debian's NetworkManager through wpa_supplicant's D-Bus interface, on
// the router's network with the saved profile "Home". setup runs the
// External Registrar on the control socket Debian's wpa_supplicant gives
// (-O /run/wpa_supplicant).
class Laptop : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(lab_->Run({"router-up"}).status, 0);
    ASSERT_EQ(lab_->Run({"laptop-up"}).status, 0);
  }
  static std::string Nm(const std::vector<std::string>& args) {
    std::vector<std::string> all{"laptop-nm"};
    all.insert(all.end(), args.begin(), args.end());
    return lab_->Run(all).out;
  }
  static std::string NmLog() { return FileText(lab_->dir() + "/ws/log/networkmanager.log"); }
};

// With NetworkManager's own WPS off (wifi-sec.wps-method disabled), the
// printer gets the router's network and prints.
TEST_F(Laptop, WithNetworkManagersWpsOffThePrinterGetsTheRoutersNetwork) {
  ASSERT_EQ(lab_->Run({"laptop-nm", "connection", "modify", "Home", "wifi-sec.wps-method", "disabled"}).status, 0);
  const int runs_before = Count(NmLog(), "wps: type pbc start");
  ASSERT_EQ(lab_->Run({"router-up"}).status, 0);  // a router that restarted: the laptop connects again
  const std::string host = lab_->AddPrinter("Home Laptop Jet", {"--wps"});
  ASSERT_NE(PushButtonSetup(host, "Home_Laptop_Jet", "router-button-pressed", "/run/wpa_supplicant/wlan0"), nullptr);
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);
  EXPECT_EQ(Count(NmLog(), "wps: type pbc start"), runs_before) << "NetworkManager ran no WPS of its own";
  EXPECT_EQ(Trim(Nm({"-g", "GENERAL.STATE", "connection", "show", "Home"})), "activated") << "the laptop stayed home";
}

// Another device on the LAN answers as a WPS router over UPnP too (an
// extender; lab.d/router.sh). The External Registrar takes the router whose
// MAC is the laptop's BSSID, presses only its button, and the printer gets
// the router's network.
TEST_F(Laptop, ADeviceThatAlsoAnswersAsARouterIsNotTheOneTaken) {
  if (Trim(Nm({"-g", "802-11-wireless-security.wps-method", "connection", "show", "Home"})) != "disabled") {
    // Run alone: NetworkManager's own push button on connecting would be an overlap.
    ASSERT_EQ(lab_->Run({"laptop-nm", "connection", "modify", "Home", "wifi-sec.wps-method", "disabled"}).status, 0);
    ASSERT_EQ(lab_->Run({"router-up"}).status, 0);
  }
  const ExtenderUp extender(lab_);
  ASSERT_EQ(extender.uuid(), "12345678-9abc-def0-1234-0000000000e1");
  const std::string host = lab_->AddPrinter("Mesh Laptop Jet", {"--wps"});
  auto setup = PushButtonSetup(host, "Mesh_Laptop_Jet", "router-button-pressed", "/run/wpa_supplicant/wlan0");
  ASSERT_NE(setup, nullptr);
  const auto found = std::find_if(setup->lines().begin(), setup->lines().end(),
                                  [](const std::string& l) { return Contains(l, "\"event\":\"router-found\""); });
  ASSERT_NE(found, setup->lines().end()) << setup->Text();
  EXPECT_TRUE(Contains(*found, "Lab Router") && Contains(*found, RouterInfo("bssid"))) << *found;
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);
  // hostapd logs this when an External Registrar selects it; a SetSelectedRegistrar
  // that disables (wpa_supplicant's ER sends one to every AP when its
  // registrar's state changes after the run) logs only "Disable Selected Registrar".
  EXPECT_FALSE(Contains(HostapdLog("extender"), "WPS: External Registrar selected")) << "the extender was armed";
}

// NetworkManager's profile has the router's key as 64 hex digits (nmcli
// wifi-sec.psk <hex>), which NetworkManager gives wpa_supplicant as 32 raw
// bytes, and the router's WPS would hand those to the printer as its key.
// setup learns the key's form from NetworkManager (GetSecrets), hands
// nothing on, and with the router's own button the printer gets the
// router's network with its real key (the 4-way handshake passes).
TEST_F(Laptop, AProfileWhoseKeyIsARawPskIsNotHandedOnAndTheRoutersButtonPairs) {
  if (Trim(Nm({"-g", "802-11-wireless-security.wps-method", "connection", "show", "Home"})) != "disabled") {
    // Run alone: NetworkManager's own push button on connecting would be an overlap.
    ASSERT_EQ(lab_->Run({"laptop-nm", "connection", "modify", "Home", "wifi-sec.wps-method", "disabled"}).status, 0);
    ASSERT_EQ(lab_->Run({"router-up"}).status, 0);  // it forgets the laptop's push button of laptop-up
  }
  const StationPsk hex(lab_, "hex");
  const std::string host = lab_->AddPrinter("Hex Laptop Jet", {"--wps"});
  RoutersOwnButtonInstead(host, "Hex_Laptop_Jet",
                          "This computer's network 'lab-router' is set up with its key as 64 hex digits");
}

// The printer runs its own access point; the laptop pairs with its AP PIN
// (the registrar role, which learns the printer's network), NetworkManager
// joins that network as a temporary profile, the test page prints, and the
// laptop goes back on 'Home'. NetworkManager scans the disconnected device
// meanwhile, which made wpa_supplicant throw its own WPS scans away until
// setup asked for scans itself (wps/supplicant_enrollee.h).
TEST_F(Laptop, ThePrintersOwnAccessPointByItsApPinAndBackHome) {
  const std::string host = lab_->AddPrinter("Own Jet", {"--own-ap"});
  ApPinSetup(host, "Own Jet", "networkmanager");
  // Nothing of the printer's network is left in NetworkManager, and the
  // laptop is back home.
  EXPECT_EQ(Trim(Nm({"-g", "NAME", "connection", "show"})), "Home");
  EXPECT_EQ(lab_->Sh("ws", {"nm-online", "-x", "-q", "-t", "90"}).status, 0) << "NetworkManager back online";
  EXPECT_EQ(Trim(Nm({"-g", "GENERAL.STATE", "connection", "show", "Home"})), "activated") << "the laptop went home";
  lab_->Run({"ap-down", host});  // off the air, as a printer that was set up
}

// The person does not know the printer's BSSID (as in the README): setup
// scans and takes the one access point whose WPS IE names a printer (the
// router's, beside it, names a router). With two printers' access points in
// range it names both and arms nothing; with one, it pairs by the AP PIN as
// above. (The printer of the test before has gone off the air, but
// wpa_supplicant still lists it for a while: it is no choice.)
TEST_F(Laptop, WithoutABssidThePrintersAccessPointIsFoundBesideTheRouters) {
  const std::string host = lab_->AddPrinter("Found Jet", {"--own-ap"});
  const std::string other = lab_->AddPrinter("Other Jet", {"--own-ap"});
  auto bssid = [&](const std::string& h) { return Trim(lab_->Sh(h, {"cat", "/sys/class/net/wlan0/address"}).out); };
  const CmdResult two = lab_->Sh("ws",
                                 {CupsWpsPath(), "setup", "--json", "--enrollee", "wpa_supplicant:wlan0", "--ap-pin",
                                  "--pin-stdin", "--test-page"},
                                 "87654325\n");
  EXPECT_EQ(two.status, 2) << two.out << two.err;
  EXPECT_TRUE(Contains(two.out, "printers' access points are in range of wlan0")) << two.out;
  EXPECT_TRUE(Contains(two.out, bssid(host) + ", Found Jet") && Contains(two.out, bssid(other) + ", Other Jet"))
      << two.out;
  EXPECT_TRUE(Contains(two.out, "choose one with --bssid")) << two.out;
  const std::string laptop = bssid("ws");
  EXPECT_FALSE(Contains(HostapdLog(host) + HostapdLog(other), "STA " + laptop + " IEEE 802.11: associated"))
      << "the laptop went to neither";
  ASSERT_EQ(lab_->Run({"ap-down", other}).status, 0);
  const std::string out = ApPinSetup(host, "Found Jet", "networkmanager", /*bssid=*/false);
  const std::size_t found = out.find("\"event\":\"printer-access-point\"");
  ASSERT_NE(found, std::string::npos) << out;
  const std::string line = out.substr(found, out.find('\n', found) - found);
  EXPECT_TRUE(Contains(line, bssid(host) + ", Found Jet")) << line;
  EXPECT_EQ(Trim(Nm({"-g", "GENERAL.STATE", "connection", "show", "Home"})), "activated") << "the laptop went home";
}

// ---------------------------------------------------------------- a laptop with wpa_supplicant alone
// ws is a laptop without NetworkManager (laptop-up --networkd): wpa_supplicant
// holds 'Home' in its configuration file (update_config=1) and Debian's
// systemd-networkd gives wlan0 its address. setup pairs with a printer's own
// access point by its AP PIN and hands the network to wpa_supplicant alone;
// networkd gives ws its address there; afterwards wpa_supplicant's file is
// as it was and the laptop is back on 'Home'.
class LaptopOnNetworkd : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(lab_->Run({"router-up"}).status, 0);
    ASSERT_EQ(lab_->Run({"laptop-up", "--networkd"}).status, 0);
  }
};

TEST_F(LaptopOnNetworkd, ThePrintersOwnAccessPointByItsApPinAndBackHome) {
  const std::string conf_path = lab_->dir() + "/ws/wpa_supplicant-wlan0.conf";
  const std::string conf = FileText(conf_path);
  ASSERT_TRUE(Contains(conf, "update_config=1")) << conf;
  auto ws = lab_->Events("ws");  // ws's wpa_supplicant
  const std::string out = ApPinSetup(lab_->AddPrinter("Networkd Jet", {"--own-ap"}), "Networkd Jet", "wpa_supplicant");
  EXPECT_TRUE(Contains(out, "systemd-networkd gives it an address")) << out;
  // Nothing of the printer's network is left, and the laptop goes home.
  EXPECT_EQ(FileText(conf_path), conf) << "wpa_supplicant's configuration file changed";
  const std::string networks = lab_->Sh("ws", {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0",
                                                "list_networks"}).out;
  EXPECT_EQ(Count(networks, "\n"), 2) << "the header and 'Home' only: " << networks;
  EXPECT_TRUE(ws->WaitForLineContaining("CTRL-EVENT-CONNECTED - Connection to " + RouterInfo("bssid"), seconds(90)))
      << "the laptop never went back to 'Home': " << ws->Text();
  EXPECT_EQ(lab_->Sh("ws", {"/lib/systemd/systemd-networkd-wait-online", "-i", "wlan0:routable", "--timeout", "90"})
                .status,
            0)
      << "systemd-networkd gave wlan0 no address at home";
}

// ---------------------------------------------------------------- a dual-band router
// The router also has a 5 GHz network (router-up --dual-band: a second radio
// on channel 36, bridged into the same LAN) and the laptop is on it. What
// the External Registrar would hand on is the laptop's own network, which a
// 2.4 GHz-only printer cannot join: setup says so and asks for the router's
// own button, whose 2.4 GHz radio gives the printer its own network.
class LaptopOnFiveGigahertz : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(lab_->Run({"router-up", "--dual-band"}).status, 0);
    // wpa_supplicant alone (systemd-networkd), with the router's 2.4 GHz
    // network saved beside the 5 GHz one it is on (for --network).
    ASSERT_EQ(lab_->Run({"laptop-up", "--band", "5", "--networkd"}).status, 0);
  }
};

TEST_F(LaptopOnFiveGigahertz, ThePrinterGetsTheRoutersTwoPointFourGigahertzNetworkThroughItsOwnButton) {
  ASSERT_EQ(LaptopStatus("freq").substr(0, 1), "5") << "the laptop is on the 5 GHz network";
  RoutersOwnButtonInstead(lab_->AddPrinter("Band Jet", {"--wps"}), "Band_Jet",
                          "on the router's network 'lab-router-5G' at 5 GHz, which a printer with only 2.4 GHz "
                          "cannot join");
}

// With the router's AP PIN (its label: router-info's file), the laptop's
// 5 GHz network is not handed on at all: the router gives its own settings
// over UPnP (WPS_ER_LEARN) and setup presses its button itself. The printer
// gets the router's own 2.4 GHz network (its 4-way handshake with the
// router's 2.4 GHz radio) and prints; the laptop stays on 5 GHz.
TEST_F(LaptopOnFiveGigahertz, WithTheRoutersApPinThePrinterGetsItsTwoPointFourGigahertzNetworkOverUpnp) {
  const std::string host = lab_->AddPrinter("Label Band Jet", {"--wps"});
  auto setup = PushButtonSetup(host, "Label_Band_Jet", "router-button-pressed", "/run/wpa_supplicant/wlan0",
                               "--router-pin-file " + RouterInfo("ap_pin_file"));
  ASSERT_NE(setup, nullptr);
  EXPECT_TRUE(Contains(setup->Text(), "\"event\":\"router-settings\"") &&
              Contains(setup->Text(), "\"ssid\":\"lab-router\""))
      << setup->Text();
  EXPECT_FALSE(Contains(setup->Text(), "at 5 GHz")) << "the laptop's network was not looked at";
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);  // 'lab-router', the 2.4 GHz radio, WPA2-PSK, CCMP
  EXPECT_EQ(LaptopStatus("freq").substr(0, 1), "5") << "the laptop stayed on the 5 GHz network";
}

// With --network, the laptop's saved 2.4 GHz network goes to the printer
// instead of the 5 GHz one it is on, once a scan saw the router serve it
// (the router's UUID in that network's WPS element, on 2.4 GHz). The
// printer ends up on 'lab-router' at the router's 2.4 GHz radio (the 4-way
// handshake in the router's own log: the key it received opens it), and
// the laptop stays on 5 GHz.
TEST_F(LaptopOnFiveGigahertz, WithItsSavedTwoPointFourGigahertzNetworkThePrinterGetsThatOneOverUpnp) {
  const std::string host = lab_->AddPrinter("Saved Band Jet", {"--wps"});
  auto setup = PushButtonSetup(host, "Saved_Band_Jet", "router-button-pressed", "/run/wpa_supplicant/wlan0",
                               "--network lab-router");
  ASSERT_NE(setup, nullptr);
  EXPECT_TRUE(Contains(setup->Text(), "\"event\":\"router-network-scan\"")) << setup->Text();
  EXPECT_TRUE(Contains(setup->Text(), "\"event\":\"router-settings\"") &&
              Contains(setup->Text(), "\"ssid\":\"lab-router\""))
      << setup->Text();
  EXPECT_FALSE(Contains(setup->Text(), "at 5 GHz")) << "the laptop's own network was not handed on";
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);  // 'lab-router', the 2.4 GHz radio, WPA2-PSK, CCMP
  EXPECT_EQ(LaptopStatus("freq").substr(0, 1), "5") << "the laptop stayed on the 5 GHz network";
}

// The same router, and a laptop whose NetworkManager is on the 5 GHz
// network with the 2.4 GHz one saved as another profile ("Home 2.4",
// autoconnect off). NetworkManager gives wpa_supplicant only the profile in
// use: --network finds "Home 2.4" among NetworkManager's profiles, adds it
// to wpa_supplicant for the run (disabled), and removes it at the end.
class LaptopWithNetworkManagerOnFiveGigahertz : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(lab_->Run({"router-up", "--dual-band"}).status, 0);
    ASSERT_EQ(lab_->Run({"laptop-up", "--band", "5", "--no-wps"}).status, 0);
  }
  static std::string SupplicantNetworks() {
    return lab_->Sh("ws", {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0", "list_networks"}).out;
  }
};

TEST_F(LaptopWithNetworkManagerOnFiveGigahertz, ItsSavedTwoPointFourGigahertzProfileGoesToThePrinterForTheRunOnly) {
  ASSERT_FALSE(Contains(SupplicantNetworks(), "\tlab-router\t")) << "NetworkManager gave wpa_supplicant only its "
                                                                     "5 GHz profile: "
                                                                  << SupplicantNetworks();
  const std::string host = lab_->AddPrinter("Profile Band Jet", {"--wps"});
  // --debug: its first lines are the debug log's.
  auto setup = PushButtonSetup(host, "Profile_Band_Jet", "router-button-pressed", "", "--network lab-router --debug");
  ASSERT_NE(setup, nullptr);
  EXPECT_TRUE(Contains(setup->Text(), "wpa_supplicant <- SET_NETWORK") &&
              Contains(setup->Text(), "wpa_supplicant <- REMOVE_NETWORK"))
      << setup->Text();
  EXPECT_TRUE(Contains(setup->Text(), "\"event\":\"router-settings\"") &&
              Contains(setup->Text(), "\"ssid\":\"lab-router\""))
      << setup->Text();
  EXPECT_TRUE(Contains(setup->Text(), "NetworkManager's profile 'Home 2.4'")) << setup->Text();
  EXPECT_EQ(LineCount(Printed(host)), 1) << "the test page reached that printer";
  ExpectOnTheRoutersNetwork(host);  // 'lab-router', the 2.4 GHz radio, WPA2-PSK, CCMP: the key it got opens it
  EXPECT_EQ(LaptopStatus("freq").substr(0, 1), "5") << "the laptop stayed on the 5 GHz network";
  EXPECT_FALSE(Contains(SupplicantNetworks(), "\tlab-router\t")) << "removed after the run: " << SupplicantNetworks();
  const std::string profile = FileText(lab_->dir() + "/ws/nm/system-connections/Home 2.4.nmconnection");
  const std::string key = LineValue(profile, "psk");
  ASSERT_GE(key.size(), 8u) << profile;
  EXPECT_FALSE(Contains(setup->Text(), key)) << "the key is in no output, not even the debug log";
}

// ---------------------------------------------------------------- a laptop on WPA3
// The router runs WPA2/WPA3 transition mode (router-up --wpa3) and the
// laptop's profile is WPA3 only (key-mgmt sae). The External Registrar would
// hand on the laptop's network as it is, which WPS turns into an open one
// (wpas_wps_network_to_cred): setup says so and asks for the router's own
// button, whose WPA2 credential the printer can use. NetworkManager's own
// WPS is off in the laptop's profile: with its default, NetworkManager
// starts push button as it connects, and the router, counting that for
// 2 minutes, would see an overlap when the printer's button is pressed
// within them (seen here; the Laptop suite has the same setting).
class LaptopOnWpa3 : public OverTheAir {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    ASSERT_EQ(lab_->Run({"router-up", "--wpa3"}).status, 0);
    ASSERT_EQ(lab_->Run({"laptop-up", "--wpa3", "--no-wps"}).status, 0);
  }
};

TEST_F(LaptopOnWpa3, ThePrinterGetsTheRoutersWpa2NetworkThroughItsOwnButton) {
  const std::string laptop =
      lab_->Sh("ws", {"wpa_cli", "-p", "/run/wpa_supplicant", "-i", "wlan0", "status"}).out;
  ASSERT_EQ(LineValue(laptop, "key_mgmt"), "SAE") << "the laptop is on WPA3: " << laptop;
  RoutersOwnButtonInstead(lab_->AddPrinter("Sae Jet", {"--wps"}), "Sae_Jet",
                          "network 'lab-router' is set up for WPA3 (SAE) only, which WPS cannot hand to a printer");
}

}  // namespace
}  // namespace cupswps::testing
