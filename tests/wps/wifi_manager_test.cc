// SPDX-License-Identifier: Apache-2.0
// Who manages a Wi-Fi interface, and what the person is told: the decision
// from the facts, NetworkManager's version, ifupdown's files, the sentences.
#include "wps/wifi_manager.h"

#include <gtest/gtest.h>

#include "tests/support/temp_file.h"
#include "wps/wifi_manager_probe.h"

namespace cupswps::wps {
namespace {

using cupswps::testing::TempFile;

ManagerFacts Facts() {
  ManagerFacts f;
  f.ifname = "wl0";
  return f;
}

NetworkManagerDevice Managed(bool managed = true) {
  NetworkManagerDevice d;
  d.path = "/org/freedesktop/NetworkManager/Devices/3";
  d.managed = managed;
  d.wifi = true;
  d.active_id = "Home";
  d.version = "1.42.4";
  return d;
}

TEST(WifiManager, NetworkManagerWhenItManagesTheDevice) {
  ManagerFacts f = Facts();
  f.network_manager = Managed();
  f.iwd = true;  // NetworkManager with iwd as its backend: still NetworkManager's
  f.networkd = true;
  EXPECT_EQ(DecideManager(f), WifiManager::kNetworkManager);
}

TEST(WifiManager, AnUnmanagedNetworkManagerDeviceIsNotNetworkManagers) {
  ManagerFacts f = Facts();
  f.network_manager = Managed(false);
  EXPECT_EQ(DecideManager(f), WifiManager::kSupplicant);
  f.iwd = true;
  EXPECT_EQ(DecideManager(f), WifiManager::kIwd);
}

TEST(WifiManager, WpaSupplicantAloneAndWhatGivesTheAddress) {
  ManagerFacts f = Facts();
  EXPECT_EQ(DecideManager(f), WifiManager::kSupplicant);
  EXPECT_EQ(DecideAddressSource(f), AddressSource::kNone);
  f.ifupdown = true;
  EXPECT_EQ(DecideAddressSource(f), AddressSource::kIfupdown);
  f.networkd = true;
  EXPECT_EQ(DecideAddressSource(f), AddressSource::kNetworkd);
  EXPECT_EQ(ManagerName(DecideManager(f)), "wpa_supplicant");
  EXPECT_EQ(AddressSourceName(DecideAddressSource(f)), "networkd");
}

TEST(WifiManager, NetworkManagerVersions) {
  EXPECT_TRUE(NetworkManagerSupported("1.42.4"));
  EXPECT_TRUE(NetworkManagerSupported("1.16.0"));
  EXPECT_TRUE(NetworkManagerSupported("2.0"));
  EXPECT_FALSE(NetworkManagerSupported("1.14.6"));
  EXPECT_FALSE(NetworkManagerSupported("0.9.6.0"));
  EXPECT_FALSE(NetworkManagerSupported(""));
  EXPECT_FALSE(NetworkManagerSupported("one"));
}

TEST(WifiManager, TheFirstLineSaysWhoManagesTheInterface) {
  ManagerFacts f = Facts();
  f.network_manager = Managed();
  EXPECT_EQ(DescribeManagement(f).rfind("NetworkManager manages wl0", 0), 0u) << DescribeManagement(f);
  f.network_manager.reset();
  f.iwd = true;
  EXPECT_EQ(DescribeManagement(f), "iwd manages wl0");
  f.iwd = false;
  EXPECT_NE(DescribeManagement(f).find("nothing gives it an address"), std::string::npos);
  f.networkd = true;
  EXPECT_NE(DescribeManagement(f).find("systemd-networkd gives it an address"), std::string::npos);
}

TEST(WifiManager, TheWarningNamesTheNetworkThatIsLeft) {
  ManagerFacts f = Facts();
  f.network_manager = Managed();
  const std::string w = NetworkManagerWarning(f, false);
  EXPECT_NE(w.find("(wl0) leaves its network 'Home'"), std::string::npos) << w;
  EXPECT_NE(w.find("goes back afterwards"), std::string::npos) << w;
  EXPECT_NE(NetworkManagerWarning(f, true).find("stays on the printer's network"), std::string::npos);
}

TEST(WifiManager, IwdIsToldHowToJoin) {
  const std::string pbc = IwdInstruction("wl0", Method::kPushButton, true);
  EXPECT_NE(pbc.find("'iwctl wsc wl0 push-button'"), std::string::npos) << pbc;
  EXPECT_NE(pbc.find("setup looks for the printer on wl0"), std::string::npos) << pbc;
  const std::string pin = IwdInstruction("wl0", Method::kPin, false);
  EXPECT_LT(pin.find("start-pin"), pin.find("push-button")) << pin;
  EXPECT_NE(pin.find("--joined"), std::string::npos) << pin;
}

TEST(WifiManager, NothingToGiveAnAddressIsOneSentenceWithAWayOut) {
  const std::string s = NoAddressProblem("wl0");
  EXPECT_EQ(s.find('.'), s.size() - 1) << s;  // one sentence
  EXPECT_NE(s.find("--joined"), std::string::npos) << s;
}

struct IfupdownCase {
  const char* text;
  bool configures;
};

class Ifupdown : public ::testing::TestWithParam<IfupdownCase> {};

TEST_P(Ifupdown, ConfiguresWl0) {
  EXPECT_EQ(IfupdownConfigures(GetParam().text, "wl0"), GetParam().configures) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Stanzas, Ifupdown,
    ::testing::Values(IfupdownCase{"", false}, IfupdownCase{"iface wl0 inet dhcp\n", true},
                      IfupdownCase{"auto wl0\niface wl0 inet static\n  address 10.0.0.2/24\n", true},
                      IfupdownCase{"iface wl0 inet6 auto\n", true}, IfupdownCase{"iface wl0 inet manual\n", false},
                      IfupdownCase{"iface wl0 inet manual\n  wpa-roam /etc/wpa_supplicant/wpa_supplicant.conf\n", true},
                      IfupdownCase{"iface wl0 inet manual\niface eth0 inet dhcp\n  wpa-roam x\n", false},
                      IfupdownCase{"iface wl01 inet dhcp\n", false}, IfupdownCase{"# iface wl0 inet dhcp\n", false},
                      IfupdownCase{"iface wl0 \\\n  inet dhcp\n", true}, IfupdownCase{"iface lo inet loopback\n", false}));

TEST(Ifupdown, SourcesAreFollowed) {
  TempFile included("allow-hotplug wl0\niface wl0 inet dhcp\n");
  TempFile main_file("source " + included.path + "\n");
  EXPECT_TRUE(IfupdownConfiguresInterface(main_file.path, "wl0"));
  EXPECT_FALSE(IfupdownConfiguresInterface(main_file.path, "wl1"));
  EXPECT_FALSE(IfupdownConfiguresInterface(main_file.path + ".missing", "wl0"));
  const IfupdownIncludes inc = IfupdownSources("source /etc/network/interfaces.d/*\nsource-directory d\n");
  EXPECT_EQ(inc.patterns, std::vector<std::string>{"/etc/network/interfaces.d/*"});
  EXPECT_EQ(inc.directories, std::vector<std::string>{"d"});
}

}  // namespace
}  // namespace cupswps::wps
