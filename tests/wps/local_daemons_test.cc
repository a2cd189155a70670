// SPDX-License-Identifier: Apache-2.0
// Naming and finding the daemon to pair with.
#include "wps/local_daemons.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace cupswps::wps {
namespace {

TEST(DaemonSpec, Registrar) {
  auto r = ParseRegistrarSpec("hostapd:/run/hostapd/wlan0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().side, Side::kRegistrar);
  EXPECT_EQ(r.value().daemon, "hostapd");
  EXPECT_EQ(r.value().target, "/run/hostapd/wlan0");
  auto ap = ParseRegistrarSpec("wpa_supplicant:/run/wpa_supplicant/wlan0");
  ASSERT_TRUE(ap.ok());
  EXPECT_EQ(ap.value().daemon, "wpa_supplicant");
  EXPECT_TRUE(ParseRegistrarSpec("/run/hostapd/wlan0").ok());
  EXPECT_FALSE(ParseRegistrarSpec("hostapd:wlan0").ok());
  EXPECT_FALSE(ParseRegistrarSpec("dnsmasq:/run/x").ok());
  EXPECT_FALSE(ParseRegistrarSpec("hostapd:").ok());
}

TEST(DaemonSpec, Enrollee) {
  auto e = ParseEnrolleeSpec("wpa_supplicant:wlan0");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value().side, Side::kEnrollee);
  EXPECT_EQ(e.value().target, "wlan0");
  EXPECT_TRUE(ParseEnrolleeSpec("wlp2s0").ok());
  EXPECT_FALSE(ParseEnrolleeSpec("wpa_supplicant:").ok());
  EXPECT_FALSE(ParseEnrolleeSpec("wpa_supplicant:a/b").ok());
  EXPECT_FALSE(ParseEnrolleeSpec("wpa_supplicant:averyveryverylongname").ok());
  EXPECT_FALSE(ParseEnrolleeSpec("hostapd:wlan0").ok());
}

class ControlSocketDir : public ::testing::Test {
 protected:
  ControlSocketDir() {
    char tmpl[] = "/tmp/cups-wps-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~ControlSocketDir() override {
    for (const std::string& p : made_) unlink(p.c_str());
    rmdir(dir_.c_str());
  }
  void MakeSocket(const std::string& name) {
    const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    const std::string path = dir_ + "/" + name;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    close(fd);
    made_.push_back(path);
  }
  void MakeFile(const std::string& name) {
    const std::string path = dir_ + "/" + name;
    FILE* f = std::fopen(path.c_str(), "w");
    std::fclose(f);
    made_.push_back(path);
  }
  std::string dir_;
  std::vector<std::string> made_;
};

TEST_F(ControlSocketDir, ListsSocketsButNotClientsOrFiles) {
  MakeSocket("wlan1");
  MakeSocket("wlan0");
  MakeSocket("wpa_ctrl_123-1");  // a hostapd_cli client's own socket
  MakeFile("notes");
  EXPECT_EQ(ControlSockets(dir_), (std::vector<std::string>{dir_ + "/wlan0", dir_ + "/wlan1"}));
  EXPECT_TRUE(ControlSockets(dir_ + "/missing").empty());
}

TEST_F(ControlSocketDir, PicksTheOnlyAccessPoint) {
  MakeSocket("wlan0");
  auto d = PickDaemon(dir_, dir_ + "/missing");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().side, Side::kRegistrar);
  EXPECT_EQ(d.value().target, dir_ + "/wlan0");
  EXPECT_NE(d.value().reason.find("only"), std::string::npos);
}

TEST_F(ControlSocketDir, AsksWhenThereAreSeveral) {
  MakeSocket("wlan0");
  MakeSocket("wlan1");
  auto d = PickDaemon(dir_, dir_ + "/missing");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(d.error().message.find("--registrar"), std::string::npos);
}

TEST_F(ControlSocketDir, WithoutHostapdItIsRouterModeThroughTheOnlySupplicantSocket) {
  MakeSocket("wlan0");
  MakeSocket("p2p-dev-wlan0");  // Wi-Fi Direct's management interface
  auto d = PickDaemon(dir_ + "/no-hostapd", dir_);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d.value().router) << "never an enrollee run on this host's own Wi-Fi by itself";
  EXPECT_EQ(d.value().side, Side::kRegistrar);
  EXPECT_EQ(d.value().target, dir_ + "/wlan0");
  EXPECT_NE(d.value().reason.find("no hostapd"), std::string::npos) << d.value().reason;
}

TEST_F(ControlSocketDir, WithNeitherDaemonItIsRouterModeWithNothingToDrive) {
  auto d = PickDaemon(dir_ + "/no-hostapd", dir_ + "/no-supplicant");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d.value().router);
  EXPECT_TRUE(d.value().target.empty());
}

TEST_F(ControlSocketDir, SeveralSupplicantSocketsAreNamedWithEr) {
  MakeSocket("wlan0");
  MakeSocket("wlan1");
  auto d = PickRouter(dir_);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("--er"), std::string::npos);
}

TEST(DaemonSpec, ExternalRegistrar) {
  auto er = ParseExternalRegistrarSpec("wpa_supplicant:/run/wpa_supplicant/wlan0");
  ASSERT_TRUE(er.ok());
  EXPECT_TRUE(er.value().router);
  EXPECT_EQ(er.value().target, "/run/wpa_supplicant/wlan0");
  EXPECT_TRUE(ParseExternalRegistrarSpec("/run/wpa_supplicant/wlan0").ok());
  EXPECT_FALSE(ParseExternalRegistrarSpec("wpa_supplicant:wlan0").ok());
  EXPECT_FALSE(ParseExternalRegistrarSpec("hostapd:/run/hostapd/wlan0").ok());
}

}  // namespace
}  // namespace cupswps::wps
