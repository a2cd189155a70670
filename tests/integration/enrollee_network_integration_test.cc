// SPDX-License-Identifier: Apache-2.0
// `cups-wps setup` as the enrollee (the printer runs its own access point),
// with each manager of this host's Wi-Fi, on the lab (tests/lab/lab.d/setup.sh).
//
// NetworkManager needs a Wi-Fi radio, which these machines do not have: its
// D-Bus side is tested against python-dbusmock's NetworkManager template
// (Debian's python3-dbusmock 0.28.7), extended in
// tests/lab/lab.d/ws_networkmanager.py with what 0.28 lacks
// (AddAndActivateConnection2, Device.Autoconnect, a DeactivateConnection for
// one device). The mock runs on the lab's own D-Bus system bus, inside ws's
// namespaces; its AddAndActivateConnection2 brings ws's link up the way
// NetworkManager would (ws's address on the printer's network), and setup
// then completes end to end. The WPS part is real: the printer's hostapd
// and ws's wpa_supplicant. systemd-networkd and iwd are stand-ins of the
// same kind (ws_networkd.py, ws_iwd.py). The mocks log to /dev/null (dbusmock
// logs every argument, the key included); what cups-wps sent is read with
// the mock's GetMethodCalls, here over the lab bus's socket.
#include <gtest/gtest.h>
#include <gio/gio.h>

#include <signal.h>
#include <string.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "tests/support/lab_bus.h"
#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const char kPassphrase[] = "lab-passphrase-0f7c2a91";  // lab.d/wps.sh: WPS_PASSPHRASE

int IndexOf(const std::vector<std::string>& lines, const std::string& needle) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (Contains(lines[i], needle)) return static_cast<int>(i);
  }
  return -1;
}

class EnrolleeNetwork : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    bus_ = new LabBus(lab_->dir());
  }
  static void TearDownTestSuite() {
    delete bus_;
    bus_ = nullptr;
    LabSuite::TearDownTestSuite();
  }

  // A printer with its own access point; ws's link to it is managed by `manager`.
  std::string AddOwnApPrinter(const std::string& name, const std::string& manager, bool ipp = true) {
    std::vector<std::string> options = {"--own-ap", "--ws-manager", manager};
    if (!ipp) options.push_back("--no-ipp");
    host_ = lab_->AddPrinter(name, options);
    link_ = Trim(lab_->Run({"own-ap-link", name}).out);
    if (manager == "networkmanager") {
      for (const char* method : {"AddAndActivateConnection2", "ActivateConnection", "DeactivateConnection"}) {
        calls_before_[method] = bus_->NetworkManagerCalls(method).size();
      }
    }
    return host_;
  }
  // The mock serves the whole suite: the calls since this test's printer came.
  std::vector<Variant> NewCalls(const char* method) {
    std::vector<Variant> all = bus_->NetworkManagerCalls(method);
    all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(calls_before_[method]));
    return all;
  }
  // setup, its JSON lines read from stdout; its stderr (--debug) in err_path().
  std::unique_ptr<Child> Setup(const std::string& args) {
    return lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " setup --enrollee wpa_supplicant:" + link_ +
                                              " --json --debug " + args + " 2>" + ErrPath()});
  }
  std::string ErrPath() const { return lab_->dir() + "/setup-" + link_ + ".err"; }
  // The printer's push button (its access point takes one device for 2 minutes).
  void PressPrinterButton() { lab_->Run({"ap-pbc", host_}); }

  std::string NmDevice() const { return std::string(kNmPath) + "/Devices/lab_" + link_; }
  std::string HomeProfile() const { return std::string(kNmPath) + "/Settings/home_lab_" + link_; }
  bool Autoconnect() { return Bool(bus_->Property(kNm, NmDevice(), kDevice, "Autoconnect").get()); }
  // The profile of the device's active connection, or "".
  std::string ActiveProfile() {
    Variant active = bus_->Property(kNm, NmDevice(), kDevice, "ActiveConnection");
    const std::string path = g_variant_get_string(active.get(), nullptr);
    if (path == "/") return "";
    Variant profile = bus_->Property(kNm, path, "org.freedesktop.NetworkManager.Connection.Active", "Connection");
    return g_variant_get_string(profile.get(), nullptr);
  }
  // The saved and volatile profiles NetworkManager holds.
  std::set<std::string> Profiles() {
    Variant reply = bus_->Call(kNm, std::string(kNmPath) + "/Settings", "org.freedesktop.NetworkManager.Settings",
                               "ListConnections", nullptr);
    std::set<std::string> out;
    GVariantIter* iter = nullptr;
    const gchar* path = nullptr;
    g_variant_get(reply.get(), "(ao)", &iter);
    while (g_variant_iter_next(iter, "&o", &path)) out.insert(path);
    g_variant_iter_free(iter);
    return out;
  }
  std::string ActiveConnection() {
    return g_variant_get_string(bus_->Property(kNm, NmDevice(), kDevice, "ActiveConnection").get(), nullptr);
  }
  void SetAutoconnect(bool on) {
    bus_->Call(kNm, NmDevice(), "org.freedesktop.DBus.Properties", "Set",
               g_variant_new("(ssv)", kDevice, "Autoconnect", g_variant_new_boolean(on)));
  }
  // The next activation NetworkManager tries fails with this
  // NMActiveConnectionStateReason.
  void FailNextActivation(guint32 reason) {
    bus_->Call(kNm, kNmPath, "org.freedesktop.DBus.Mock", "FailActivations",
               g_variant_new("(@au)", g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32, &reason, 1, sizeof reason)));
  }
  std::string WsAddress() { return lab_->Sh("ws", {"ip", "-4", "-o", "address", "show", link_}).out; }
  std::string SupplicantCli(const std::string& command) {
    return lab_->Sh("ws", {"wpa_cli", "-p", lab_->dir() + "/ws/wpas", "-i", link_, command}).out;
  }
  std::string WpsCredProcessing() { return Trim(lab_->Sh("ws", {"wpa_cli", "-p", lab_->dir() + "/ws/wpas", "-i", link_, "get", "wps_cred_processing"}).out); }

  // Runs `setup` to its end, taking snapshots of every process's argv meanwhile.
  int RunWatchingArgv(Child& setup, std::string* argv_seen) {
    const auto deadline = std::chrono::steady_clock::now() + seconds(120);
    while (setup.Running() && std::chrono::steady_clock::now() < deadline) {
      *argv_seen += CmdlineSnapshot();
      setup.WaitForLineContaining("\"event\":\"restored\"", std::chrono::milliseconds(50));
    }
    setup.WaitForLineContaining("\"event\":\"restored\"", seconds(5));  // the rest of its output
    return setup.Wait();
  }
  void ExpectNoKeyIn(const std::string& what, const std::string& text) {
    EXPECT_FALSE(Contains(text, kPassphrase)) << "the network key in " << what;
  }

  static inline LabBus* bus_ = nullptr;
  std::string host_, link_;
  std::map<std::string, std::size_t> calls_before_;
};

// ---------------------------------------------------------------- NetworkManager

TEST_F(EnrolleeNetwork, NetworkManagerGetsANeverDefaultVolatileProfileAndHomeComesBack) {
  AddOwnApPrinter("Nm Jet", "networkmanager");
  ASSERT_TRUE(Autoconnect());
  ASSERT_EQ(ActiveProfile(), HomeProfile()) << "ws is on its network 'Home'";
  auto setup = Setup("--pbc --test-page");
  ASSERT_TRUE(setup->Seen("\"event\":\"armed\"", seconds(30))) << setup->Text();
  // WPS runs: NetworkManager keeps off the device.
  EXPECT_FALSE(Autoconnect());
  EXPECT_EQ(ActiveProfile(), "");
  PressPrinterButton();
  std::string argv_seen;
  EXPECT_EQ(RunWatchingArgv(*setup, &argv_seen), 0) << setup->Text();
  const std::vector<std::string>& lines = setup->lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(JsonField(lines[0], "event"), "daemon");
  EXPECT_EQ(JsonField(lines[0], "manager"), "networkmanager") << lines[0];
  const int warning = IndexOf(lines, "\"event\":\"warning\"");
  ASSERT_GE(warning, 0) << setup->Text();
  EXPECT_TRUE(Contains(lines[warning], "leaves its network 'Home'")) << lines[warning];
  const int arming = IndexOf(lines, "\"event\":\"arming\"");
  EXPECT_LT(warning, arming) << "no WPS run before the warning";
  EXPECT_TRUE(setup->Seen("\"event\":\"done\"", seconds(0)));
  EXPECT_EQ(LineCount(lab_->dir() + "/" + host_ + "/printed.log"), 1) << "the test page reached that printer";

  // What NetworkManager was handed: exactly this profile, these options.
  std::vector<Variant> calls = NewCalls("AddAndActivateConnection2");
  ASSERT_EQ(calls.size(), 1u);
  GVariant* args = calls[0].get();
  Variant settings = Arg(args, 0), device = Arg(args, 1), options = Arg(args, 3);
  EXPECT_STREQ(g_variant_get_string(device.get(), nullptr), NmDevice().c_str());
  EXPECT_EQ(Keys(settings.get()), (std::set<std::string>{"connection", "802-11-wireless", "802-11-wireless-security",
                                                         "ipv4", "ipv6"}));
  Variant connection = Lookup(settings.get(), "connection");
  EXPECT_FALSE(Bool(Lookup(connection.get(), "autoconnect").get()));
  EXPECT_TRUE(Lookup(connection.get(), "autoconnect")) << "autoconnect=false is said, not left to the default";
  Variant wifi = Lookup(settings.get(), "802-11-wireless");
  Variant ssid = Lookup(wifi.get(), "ssid");
  ASSERT_TRUE(ssid);
  gsize n = 0;
  const auto* bytes = static_cast<const char*>(g_variant_get_fixed_array(ssid.get(), &n, 1));
  EXPECT_EQ(std::string(bytes, n), "cups-wps-lab");
  Variant security = Lookup(settings.get(), "802-11-wireless-security");
  EXPECT_EQ(Str(Lookup(security.get(), "key-mgmt").get()), "wpa-psk");
  EXPECT_EQ(Str(Lookup(security.get(), "psk").get()), kPassphrase);
  for (const char* ip : {"ipv4", "ipv6"}) {
    Variant section = Lookup(settings.get(), ip);
    EXPECT_TRUE(Bool(Lookup(section.get(), "never-default").get())) << ip;
  }
  EXPECT_EQ(Str(Lookup(Lookup(settings.get(), "ipv4").get(), "method").get()), "auto");
  EXPECT_TRUE(Bool(Lookup(Lookup(settings.get(), "ipv4").get(), "ignore-auto-dns").get()));
  EXPECT_EQ(Str(Lookup(Lookup(settings.get(), "ipv6").get(), "method").get()), "link-local");
  EXPECT_EQ(Keys(options.get()), (std::set<std::string>{"persist", "bind-activation"}));
  EXPECT_EQ(Str(Lookup(options.get(), "persist").get()), "volatile");
  EXPECT_EQ(Str(Lookup(options.get(), "bind-activation").get()), "dbus-client");

  // Afterwards: the printer's network left, 'Home' back, Autoconnect back.
  EXPECT_EQ(ActiveProfile(), HomeProfile());
  EXPECT_TRUE(Autoconnect());
  EXPECT_EQ(NewCalls("ActivateConnection").size(), 1u);
  EXPECT_EQ(NewCalls("DeactivateConnection").size(), 2u) << "'Home', then the printer's";
  EXPECT_EQ(WsAddress(), "") << "NetworkManager took ws off the printer's network";
  EXPECT_EQ(WpsCredProcessing(), "0") << "wpa_supplicant's own handling of received networks is back";
  EXPECT_TRUE(Contains(setup->Text(), "back on 'Home'")) << setup->Text();

  // The key: in no argv, output, JSON line or log.
  ExpectNoKeyIn("an argv", argv_seen);
  ExpectNoKeyIn("setup's output (--json)", setup->Text());
  ExpectNoKeyIn("setup's debug log (--debug)", FileText(ErrPath()));
  EXPECT_TRUE(Contains(FileText(ErrPath()), "NetworkManager activates the printer's network")) << "the debug log is there";
  for (const char* log : {"/ws/cups/log/error_log", "/ws/cups/log/access_log", "/ws/log/cupsd.log",
                          "/ws/log/networkmanager.log", "/ws/log/join.log", "/ws/log/wpa_supplicant.log"}) {
    ExpectNoKeyIn(log, FileText(lab_->dir() + log));
  }
}

TEST_F(EnrolleeNetwork, NetworkManagerGoesBackHomeWhenThePrinterNeverAdvertises) {
  AddOwnApPrinter("Nm Mute", "networkmanager", /*ipp=*/false);
  PressPrinterButton();
  auto setup = Setup("--pbc --join-timeout 3");
  ASSERT_TRUE(setup->WaitForLineContaining("\"event\":\"restored\"", seconds(60))) << setup->Text();
  EXPECT_EQ(setup->Wait(), 8) << setup->Text();
  EXPECT_EQ(NewCalls("AddAndActivateConnection2").size(), 1u);
  EXPECT_EQ(ActiveProfile(), HomeProfile());
  EXPECT_TRUE(Autoconnect());
  EXPECT_EQ(WsAddress(), "");
}

TEST_F(EnrolleeNetwork, NetworkManagerGoesBackHomeAfterCtrlCWhileWpsRuns) {
  AddOwnApPrinter("Nm Armed", "networkmanager");
  auto setup = Setup("--pbc");
  ASSERT_TRUE(setup->Seen("\"event\":\"armed\"", seconds(30))) << setup->Text();
  EXPECT_FALSE(Autoconnect());
  setup->Signal(SIGINT);
  EXPECT_EQ(setup->Wait(), 130) << setup->Text();
  EXPECT_TRUE(setup->Seen("\"event\":\"restored\"", seconds(5))) << setup->Text();
  EXPECT_EQ(ActiveProfile(), HomeProfile());
  EXPECT_TRUE(Autoconnect());
  EXPECT_FALSE(Contains(SupplicantCli("status"), "key_mgmt=WPS")) << "WPS was cancelled";
}

TEST_F(EnrolleeNetwork, NetworkManagerGoesBackHomeAfterCtrlCWhileLookingForThePrinter) {
  AddOwnApPrinter("Nm Looking", "networkmanager", /*ipp=*/false);
  PressPrinterButton();
  auto setup = Setup("--pbc --join-timeout 300");
  ASSERT_TRUE(setup->Seen("\"event\":\"joining\"", seconds(60))) << setup->Text();
  EXPECT_NE(WsAddress(), "") << "on the printer's network";
  setup->Signal(SIGINT);
  EXPECT_EQ(setup->Wait(), 130) << setup->Text();
  EXPECT_TRUE(setup->Seen("\"event\":\"restored\"", seconds(5))) << setup->Text();
  EXPECT_EQ(ActiveProfile(), HomeProfile());
  EXPECT_TRUE(Autoconnect());
  EXPECT_EQ(WsAddress(), "");
}

TEST_F(EnrolleeNetwork, KeepNetworkSavesTheProfileAndStaysOnItAndJoinedFindsThePrinterThere) {
  AddOwnApPrinter("Nm Keep", "networkmanager");
  PressPrinterButton();
  auto setup = Setup("--pbc --keep-network");
  ASSERT_TRUE(setup->WaitForLineContaining("\"event\":\"restored\"", seconds(60))) << setup->Text();
  EXPECT_EQ(setup->Wait(), 0) << setup->Text();
  std::vector<Variant> calls = NewCalls("AddAndActivateConnection2");
  ASSERT_FALSE(calls.empty());
  Variant options = Arg(calls.back().get(), 3);
  EXPECT_EQ(Str(Lookup(options.get(), "persist").get()), "disk");
  // Not bound to setup's bus connection: real NetworkManager would drop the
  // network when setup exits.
  EXPECT_EQ(Str(Lookup(options.get(), "bind-activation").get()), "none");
  Variant settings = Arg(calls.back().get(), 0);
  EXPECT_TRUE(Bool(Lookup(Lookup(settings.get(), "ipv4").get(), "never-default").get()));
  EXPECT_NE(ActiveProfile(), HomeProfile());
  EXPECT_NE(ActiveProfile(), "") << "still on the printer's network";
  EXPECT_NE(WsAddress(), "");
  EXPECT_TRUE(Autoconnect());
  // On the printer's network already: --joined pairs nothing and finds it there.
  const CmdResult joined = lab_->Sh("ws", {CupsWpsPath(), "setup", "--enrollee", link_, "--joined", "--json"});
  EXPECT_EQ(joined.status, 0) << joined.out << joined.err;
  EXPECT_TRUE(Contains(joined.out, "\"matched_by\":\"network\"")) << joined.out;
  EXPECT_TRUE(Contains(joined.out, "\"queue\":\"Nm_Keep\"")) << joined.out;
  EXPECT_FALSE(Contains(joined.out, "\"event\":\"armed\"")) << joined.out;
}

TEST_F(EnrolleeNetwork, NetworkManagerThatDoesNotJoinIsNamedWithItsReasonAndHomeComesBack) {
  AddOwnApPrinter("Nm Refused", "networkmanager");
  const std::set<std::string> before = Profiles();
  FailNextActivation(9);  // NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS
  PressPrinterButton();
  auto setup = Setup("--pbc");
  ASSERT_TRUE(setup->WaitForLineContaining("\"event\":\"restored\"", seconds(60))) << setup->Text();
  EXPECT_EQ(setup->Wait(), 1) << setup->Text();
  EXPECT_TRUE(Contains(setup->Text(), "NetworkManager did not join it (no-secrets)")) << setup->Text();
  EXPECT_FALSE(Contains(setup->Text(), "\"event\":\"joining\"")) << "no looking for the printer on no network";
  EXPECT_EQ(NewCalls("AddAndActivateConnection2").size(), 1u);
  EXPECT_EQ(NewCalls("DeactivateConnection").size(), 1u) << "'Home' only: NetworkManager dropped the printer's";
  EXPECT_EQ(ActiveProfile(), HomeProfile());
  EXPECT_TRUE(Autoconnect());
  EXPECT_EQ(WsAddress(), "");
  EXPECT_EQ(Profiles(), before) << "the volatile profile went with its activation";
  ExpectNoKeyIn("setup's output", setup->Text());
}

TEST_F(EnrolleeNetwork, NetworkManagerDropsThePrintersNetworkWhenSetupIsKilled) {
  // bind-activation=dbus-client: the network lives as long as setup's bus
  // connection, so nothing is left on it after a SIGKILL.
  AddOwnApPrinter("Nm Killed", "networkmanager", /*ipp=*/false);
  const std::set<std::string> before = Profiles();
  PressPrinterButton();
  auto setup = Setup("--pbc --join-timeout 300");
  ASSERT_TRUE(setup->Seen("\"event\":\"joining\"", seconds(60))) << setup->Text();
  ASSERT_NE(WsAddress(), "") << "on the printer's network";
  ASSERT_NE(Profiles(), before);
  EXPECT_TRUE(bus_->AwaitDeviceState(NmDevice(), 30, [&] { setup->Signal(SIGKILL); }))
      << "NetworkManager never disconnected the device after setup died";
  EXPECT_EQ(setup->Wait(), 128 + SIGKILL);
  EXPECT_EQ(WsAddress(), "");
  EXPECT_EQ(ActiveConnection(), "/");
  EXPECT_EQ(Profiles(), before);
}

// The double's own rules, shown to refuse and to act as NetworkManager 1.42
// does (nm-manager.c, nm-policy.c): if they were lenient, the tests above
// could pass on calls that the real NetworkManager refuses.
TEST_F(EnrolleeNetwork, TheNetworkManagerDoubleRefusesWhatNetworkManagerRefuses) {
  AddOwnApPrinter("Nm Strict", "networkmanager", /*ipp=*/false);
  auto add = [&](const char* ssid, const char* psk, const char* option, const char* value) -> std::string {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sa{sv}}"));
    g_variant_builder_add_parsed(&b, "{'connection', {'type': <'802-11-wireless'>, 'autoconnect': <false>}}");
    g_variant_builder_add(&b, "{s@a{sv}}", "802-11-wireless",
                          g_variant_new_parsed("{'ssid': <%@ay>}", g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, ssid,
                                                                                                 strlen(ssid), 1)));
    g_variant_builder_add(&b, "{s@a{sv}}", "802-11-wireless-security",
                          g_variant_new_parsed("{'key-mgmt': <'wpa-psk'>, 'psk': <%s>}", psk));
    GVariantBuilder o;
    g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&o, "{sv}", option, g_variant_new_string(value));
    try {
      bus_->Call(kNm, kNmPath, kNm, "AddAndActivateConnection2",
                 g_variant_new("(a{sa{sv}}ooa{sv})", &b, NmDevice().c_str(), "/", &o));
      return "accepted";
    } catch (const std::exception& e) {
      return e.what();
    }
  };
  const std::set<std::string> before = Profiles();
  EXPECT_TRUE(Contains(add("Printer", kPassphrase, "persist", "forever"), "InvalidArguments"));
  EXPECT_TRUE(Contains(add("Printer", kPassphrase, "bind", "dbus-client"), "Unknown extra option 'bind'"));
  EXPECT_TRUE(Contains(add("Printer", "short", "persist", "volatile"), "psk: property is invalid"));
  EXPECT_TRUE(Contains(add("", kPassphrase, "persist", "volatile"), "SSID length is out of range"));
  EXPECT_EQ(Profiles(), before) << "a refused call adds no profile";
  EXPECT_EQ(ActiveProfile(), HomeProfile()) << "and changes nothing";
}

TEST_F(EnrolleeNetwork, TheNetworkManagerDoubleAutoconnectsAsNetworkManagerDoes) {
  AddOwnApPrinter("Nm Auto", "networkmanager", /*ipp=*/false);
  const std::string home = ActiveConnection();
  ASSERT_NE(home, "/");
  ASSERT_TRUE(bus_->AwaitDeviceState(NmDevice(), 30, [&] {
    bus_->Call(kNm, kNmPath, kNm, "DeactivateConnection", g_variant_new("(o)", home.c_str()));
  }));
  // Deactivated on request: blocked from autoconnect, even when it is set again.
  SetAutoconnect(false);
  SetAutoconnect(true);
  EXPECT_EQ(ActiveConnection(), "/");
  // Activated on request, then failed: autoconnect brings it back.
  FailNextActivation(6);  // NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT
  EXPECT_TRUE(bus_->AwaitDeviceState(NmDevice(), 100, [&] {
    bus_->Call(kNm, kNmPath, kNm, "ActivateConnection",
               g_variant_new("(ooo)", HomeProfile().c_str(), NmDevice().c_str(), "/"));
  }));
  EXPECT_EQ(ActiveProfile(), HomeProfile());
}

// ---------------------------------------------------------------- wpa_supplicant alone

TEST_F(EnrolleeNetwork, WpaSupplicantAloneLeavesItsConfigurationFileAsItWas) {
  AddOwnApPrinter("Alone Jet", "networkd");
  const std::string conf_path = lab_->dir() + "/ws/wpa_supplicant-" + link_ + ".conf";
  const std::string conf = FileText(conf_path);
  ASSERT_TRUE(Contains(conf, "update_config=1")) << conf;
  PressPrinterButton();
  auto setup = Setup("--pbc");
  ASSERT_TRUE(setup->WaitForLineContaining("\"event\":\"restored\"", seconds(60))) << setup->Text();
  EXPECT_EQ(setup->Wait(), 0) << setup->Text();
  ASSERT_FALSE(setup->lines().empty());
  EXPECT_EQ(JsonField(setup->lines()[0], "manager"), "wpa_supplicant") << setup->lines()[0];
  EXPECT_TRUE(Contains(setup->lines()[0], "systemd-networkd gives it an address")) << setup->lines()[0];
  EXPECT_TRUE(setup->Seen("\"event\":\"done\"", seconds(0)));
  EXPECT_EQ(FileText(conf_path), conf) << "wpa_supplicant.conf changed";
  EXPECT_FALSE(Contains(SupplicantCli("list_networks"), "cups-wps-lab")) << "the printer's network is gone";
  EXPECT_EQ(WpsCredProcessing(), "0");
  EXPECT_EQ(WsAddress(), "");
  ExpectNoKeyIn("setup's output", setup->Text());
}

TEST_F(EnrolleeNetwork, NothingToGiveAnAddressIsSaidAtOnceAndNothingIsArmed) {
  AddOwnApPrinter("Lonely Jet", "none");
  const auto t0 = std::chrono::steady_clock::now();
  const CmdResult r = lab_->Sh("ws", {CupsWpsPath(), "setup", "--enrollee", link_, "--pbc"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, seconds(10)) << "no waiting for a time-out";
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "nothing gives it an address")) << r.out;
  EXPECT_TRUE(Contains(r.err, "Nothing on this host would give " + link_ + " an address")) << r.err;
  EXPECT_EQ(Count(r.err, ". "), 0) << "one sentence: " << r.err;
  EXPECT_FALSE(Contains(r.out, "arming")) << r.out;
  EXPECT_FALSE(Contains(SupplicantCli("status"), "key_mgmt=WPS"));
}

// ---------------------------------------------------------------- iwd

TEST_F(EnrolleeNetwork, IwdIsToldHowToJoinAndSetupWaitsOnItsInterface) {
  AddOwnApPrinter("Iwd Jet", "iwd");
  auto setup = Setup("--pbc --timeout 1 --join-timeout 1");
  EXPECT_EQ(setup->Wait(), 8) << setup->Text();
  setup->WaitForLineContaining("never", seconds(1));  // the rest of its output
  ASSERT_FALSE(setup->lines().empty());
  EXPECT_EQ(JsonField(setup->lines()[0], "manager"), "iwd") << setup->lines()[0];
  EXPECT_TRUE(Contains(setup->Text(), "iwctl wsc " + link_ + " push-button")) << setup->Text();
  EXPECT_TRUE(Contains(setup->Text(), "advertised IPP on " + link_)) << setup->Text();
  EXPECT_FALSE(Contains(setup->Text(), "\"event\":\"armed\"")) << "cups-wps drives no WPS of iwd's";
}

}  // namespace
}  // namespace cupswps::testing
