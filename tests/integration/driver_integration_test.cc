// SPDX-License-Identifier: Apache-2.0
// The cups-wps CUPS driver program against real peers: the lab's private
// cupsd runs it through cups-driverd (lpinfo -m, lpadmin -m), as user lp,
// for ippeveprinter printers found through avahi-daemon; and the negative
// cases: a printer gone at add time, hostile adverts, garbage names, policy.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

const std::string kData = CUPS_WPS_TEST_DATA;
const std::string kColorUuid = "22222222-3333-4444-5555-666666666666";  // driver-color.conf

// What the wps backend reports for one printer.
struct Device {
  std::string uri;
  std::string device_id;
};

double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

class DriverIntegration : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    color_host_ = AddPrinterAndWait("Color Jet", {"--attributes", kData + "/driver-color.conf"});
  }

  // The backend's listing line for the printer named `name`.
  static Device DeviceOf(const std::string& name) {
    const CmdResult r = lab_->Sh("ws", {BackendPath()});
    std::smatch m;
    const std::regex line("network (\\S+) \"[^\"]*\" \"" + name + "\" \"([^\"]*)\"");
    if (!std::regex_search(r.out, m, line)) {
      ADD_FAILURE() << "the backend does not list " << name << ":\n" << r.out << r.err;
      return {};
    }
    return {m[1], m[2]};
  }

  // The driver as cups-driverd runs it: the lab's installed copy, as lp.
  static CmdResult Driver(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"setpriv", "--reuid=lp", "--regid=lp", "--clear-groups", "env",
                                     "TMPDIR=" + lab_->dir() + "/ws/cups/spool/tmp"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(lab_->dir() + "/ws/serverbin/driver/cups-wps");
    argv.insert(argv.end(), args.begin(), args.end());
    return lab_->Sh("ws", argv);
  }

  static inline std::string color_host_;
};

// cupsd 2.4.2 lists every PPD for `lpinfo -m --device-id`, ordered by make
// and make-and-model whatever the ID (measured: an ID of no printer gives
// the same order), so this checks what lpinfo can show: the printer's entry
// with the backend's device ID, byte for byte, and its make-and-model.
TEST_F(DriverIntegration, LpinfoListsThePrintersEntryWithTheBackendsDeviceId) {
  const Device d = DeviceOf("Color Jet");
  ASSERT_EQ(d.uri, "wps://uuid/" + kColorUuid);
  EXPECT_EQ(d.device_id, "MFG:Acme;MDL:ColorJet 300 [Color Jet / " + kColorUuid.substr(0, 8) +
                             "];CMD:PDF,PWGRaster,URF;SN:" + kColorUuid + ";");
  const CmdResult r = lab_->Sh("ws", {"lpinfo", "-l", "-m", "--device-id", d.device_id});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string entry = "Model:  name = cups-wps:uuid/" + kColorUuid + "\n";
  const std::size_t at = r.out.find(entry);
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string block = r.out.substr(at, r.out.find("Model:", at + entry.size()) - at);
  EXPECT_NE(block.find("make-and-model = cups-wps Acme ColorJet 300 [Color Jet / " + kColorUuid.substr(0, 8) +
                       "], driverless "),
            std::string::npos)
      << block;
  EXPECT_NE(block.find("device-id = " + d.device_id + "\n"), std::string::npos) << "the same ID\n" << block;
}

TEST_F(DriverIntegration, ListingIsStableAndCarriesTheBackendsDeviceIds) {
  const CmdResult first = Driver({"list"});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("\"cups-wps:uuid/" + kColorUuid + "\" en \"Acme\" \"cups-wps Acme ColorJet 300 [Color Jet / " +
                           kColorUuid.substr(0, 8) + "], driverless "),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("\"" + DeviceOf("Color Jet").device_id + "\" \"(ColorJet 300)\"\n"), std::string::npos)
      << first.out;
  EXPECT_EQ(Driver({"list"}).out, first.out) << "same printers, same lines";
}

TEST_F(DriverIntegration, LpadminWithTheDriverMakesADriverlessQueueThatPrintsOnThatPrinter) {
  const Device d = DeviceOf("Color Jet");
  const CmdResult add = lab_->Sh("ws", {"lpadmin", "-p", "colorjet", "-E", "-v", d.uri, "-m",
                                        "cups-wps:uuid/" + kColorUuid});
  ASSERT_EQ(add.status, 0) << add.err;
  EXPECT_NE(Queues().find("device for colorjet: " + d.uri), std::string::npos) << Queues();

  // The PPD was built from this printer's attributes: its colour, its two
  // paper sizes and duplex, and its own address for supplies.
  std::ifstream f(lab_->dir() + "/ws/cups/etc/ppd/colorjet.ppd");
  std::stringstream ppd;
  ppd << f.rdbuf();
  for (const char* want : {"*ColorDevice: True", "*DefaultPageSize: A4", "*PageSize A5:",
                           "*Duplex DuplexNoTumble:",
                           "*cupsFilter2: \"application/vnd.cups-pdf application/pdf"}) {
    EXPECT_NE(ppd.str().find(want), std::string::npos) << want << "\n" << ppd.str();
  }
  EXPECT_EQ(ppd.str().find("*PageSize Letter:"), std::string::npos) << ppd.str();
  const std::string address = lab_->Sh(color_host_, {"sh", "-c", "ip -4 -o addr show eth0"}).out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(address, m, std::regex("inet ([0-9.]+)/"))) << address;
  EXPECT_NE(ppd.str().find("*APSupplies: \"https://" + std::string(m[1]) + ":8000/"), std::string::npos)
      << ppd.str();

  const std::string printed = lab_->dir() + "/" + color_host_ + "/printed.log";
  const int before = LineCount(printed);
  const int job = Print("colorjet", "/usr/share/cups/data/testprint");
  EXPECT_EQ(WaitForJob("colorjet", job), "completed");
  EXPECT_EQ(LineCount(printed), before + 1) << "the test page reached Color Jet";
}

TEST_F(DriverIntegration, GarbageNamesExitAtOnceWithoutLookingForAnything) {
  for (const std::string& name : {std::string("garbage"), std::string(""), std::string("cups-wps:uuid/x"),
                                  "cups-wps:uuid/" + kColorUuid + "/../../etc/passwd",
                                  "cups-wps:uuid/" + std::string("22222222-3333-4444-5555-66666666666G"),
                                  std::string("cups-wps:host/10.0.0.1"), std::string("cups-wps:name/a\nb"),
                                  std::string("cups-wps:name/%zz"), "cups-wps:name/" + std::string(300, 'a'),
                                  std::string("driverless:ipp://10.0.0.1/")}) {
    // No system bus, no avahi-daemon: had it tried to browse, it would say so.
    // (How fast it answers is bench/driver.py's (6c), not asserted here.)
    const CmdResult r = Driver({"cat", name}, {"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent"});
    EXPECT_EQ(r.status, 1) << name;
    EXPECT_EQ(r.out, "") << name;
    EXPECT_EQ(r.err, "ERROR: Not a cups-wps PPD name (cups-wps:uuid/UUID or cups-wps:name/NAME); no queue was made.\n")
        << name;
  }
}

TEST_F(DriverIntegration, APrinterGoneAtAddTimeMakesNoQueueWithLpadmin) {
  AddPrinterAndWait("Gone Jet", {"--model", "GoneJet 1"});
  const Device d = DeviceOf("Gone Jet");
  ASSERT_EQ(d.uri.rfind("wps://uuid/", 0), 0u);
  const std::string ppd_name = "cups-wps:uuid/" + d.uri.substr(11);
  {
    auto follow = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
    ASSERT_TRUE(follow->Seen("\"name\":\"Gone Jet\"", seconds(30)));
    lab_->Run({"stop-printer", "Gone Jet"});
    ASSERT_TRUE(follow->Seen("\"event\":\"removed\"", seconds(30))) << "its advert went away";
  }
  ASSERT_EQ(lab_->Sh("ws", {"lpadmin", "-p", "bystander", "-v", "file:///dev/null"}).status, 0);

  auto t0 = Clock::now();
  const CmdResult cat = Driver({"cat", ppd_name});
  EXPECT_EQ(cat.status, 1);
  EXPECT_EQ(cat.out, "") << "nothing written";
  EXPECT_NE(cat.err.find("ERROR: Cannot find the printer with UUID " + d.uri.substr(11) + " on the network"),
            std::string::npos)
      << cat.err;
  EXPECT_EQ(Count(cat.err, "ERROR:"), 1) << cat.err;
  EXPECT_LT(SecondsSince(t0), 10.0) << "within cat's deadline";

  // lpadmin fetches the PPD first (CUPS-Get-PPD: cups-driverd answers
  // before it runs the driver, so lpadmin gets an empty file) and stops
  // there, before it asks for a queue.
  t0 = Clock::now();
  const CmdResult lpadmin = lab_->Sh("ws", {"lpadmin", "-p", "gone", "-E", "-v", d.uri, "-m", ppd_name});
  EXPECT_NE(lpadmin.status, 0);
  EXPECT_NE(lpadmin.err.find("Unable to open PPD"), std::string::npos) << lpadmin.err;
  EXPECT_LT(SecondsSince(t0), 11.0);
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-p", "bystander"}).out.find("printer bystander"), std::string::npos);
  EXPECT_EQ(Queues().find("device for gone:"), std::string::npos) << "no queue left: " << Queues();
}

TEST_F(DriverIntegration, HostileAdvertsNeitherInjectNorCutListingLines) {
  // A DNS-SD instance name has at most 63 bytes: room for a short line.
  const std::string injected = "\"cups-wps:x\" en \"X\" \"Y\"";
  // Quotes everywhere, a name that carries a whole listing line of its own
  // after CR LF, a long make and model, and a printer without a UUID;
  // every advert points at Color Jet's real IPP port, so all are listed.
  auto evil_quote = lab_->Spawn(color_host_, {"avahi-publish", "-s", "Evil\"Quote", "_ipp._tcp", "8000",
                                              "rp=ipp/print", "ty=Acme \"Quoted\" Jet", "usb_MFG=Ac\"me",
                                              "usb_MDL=Jet\"9", "pdl=application/pdf",
                                              "UUID=33333333-3333-4333-8333-000000000001"});
  auto evil_line = lab_->Spawn(
      color_host_, {"avahi-publish", "-s", "Evil\r\n" + injected + "\r\n", "_ipp._tcp", "8000", "rp=ipp/print",
                    "ty=" + std::string(250, 'M'),
                    "pdl=application/pdf", "UUID=33333333-3333-4333-8333-000000000002"});
  auto evil_name = lab_->Spawn(color_host_, {"avahi-publish", "-s", "Evil/Name%\"", "_ipp._tcp", "8000",
                                             "rp=ipp/print", "ty=Acme NoUuid", "pdl=application/pdf"});
  {
    auto follow = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
    for (const std::string& n : {std::string("33333333-3333-4333-8333-000000000001"),
                                 std::string("33333333-3333-4333-8333-000000000002"), std::string("Acme NoUuid")}) {
      ASSERT_TRUE(follow->Seen(n, seconds(30))) << n;
    }
  }
  const CmdResult list = Driver({"list"});
  ASSERT_EQ(list.status, 0) << list.err;
  const std::regex good("\"cups-wps:(uuid|name)/[^\"]+\" en \"[^\"]+\" \"[^\"]+\" \"[^\"]+\" \"[^\"]+\"");
  std::istringstream lines(list.out);
  int n = 0;
  for (std::string l; std::getline(lines, l); ++n) {
    EXPECT_TRUE(std::regex_match(l, good)) << "a line cups-driverd reads whole: " << l;
    EXPECT_NE(l.rfind(injected, 0), 0u) << "no injected line: " << l;
    EXPECT_EQ(l.find('\r'), std::string::npos) << l;
  }
  EXPECT_EQ(n, Count(list.out, "\n"));

  // Through cups-driverd itself: every printer, the hostile ones and the
  // one after them, and no "Bad line" that would have dropped the rest.
  const std::size_t log_from = FileSize(CupsdLog());
  const CmdResult lpinfo = lab_->Sh("ws", {"lpinfo", "--include-schemes", "cups-wps", "-m"});
  ASSERT_EQ(lpinfo.status, 0) << lpinfo.err;
  for (const std::string& name :
       {std::string("cups-wps:uuid/33333333-3333-4333-8333-000000000001 cups-wps Acme Quoted Jet [EvilQuote / 33333333], "
                    "driverless"),
        std::string("cups-wps:uuid/33333333-3333-4333-8333-000000000002 cups-wps ") + std::string(40, 'M'),
        std::string("cups-wps:name/Evil%2FName%25%22 cups-wps Acme NoUuid [EvilName%], driverless"),
        "cups-wps:uuid/" + kColorUuid + " cups-wps Acme ColorJet 300 [Color Jet / 22222222]"}) {
    EXPECT_NE(lpinfo.out.find(name), std::string::npos) << name << "\n" << lpinfo.out;
  }
  EXPECT_EQ(Count(lpinfo.out, "\n"), n) << "one PPD per line the driver wrote\n" << lpinfo.out;
  EXPECT_EQ(lpinfo.out.find("cups-wps:x "), std::string::npos) << lpinfo.out;
  std::ifstream log(CupsdLog());
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_EQ(text.str().find("Bad line from \"cups-wps\"", log_from), std::string::npos);
}

TEST_F(DriverIntegration, ThePolicyDecidesWhatIsListedAndBuilt) {
  AddPrinterAndWait("Policy Fax", {"--model", "LaserFax 9"});
  const std::string uuid = DeviceOf("Policy Fax").uri.substr(11);
  // cupsd gives the driver CUPS_WPS_POLICY=<lab>/ws/cups/etc/cups-wps.conf.
  const std::string policy = lab_->dir() + "/ws/cups/etc/cups-wps.conf";
  std::ofstream(policy) << "deny make-model \"*Fax*\"\nallow any\n";
  const CmdResult lpinfo = lab_->Sh("ws", {"lpinfo", "--include-schemes", "cups-wps", "-m"});
  const CmdResult cat = Driver({"cat", "cups-wps:uuid/" + uuid}, {"CUPS_WPS_POLICY=" + policy});
  std::remove(policy.c_str());
  EXPECT_EQ(lpinfo.out.find(uuid), std::string::npos) << "denied: not listed\n" << lpinfo.out;
  EXPECT_NE(lpinfo.out.find(kColorUuid), std::string::npos) << lpinfo.out;
  EXPECT_EQ(cat.status, 1);
  EXPECT_EQ(cat.out, "");
  EXPECT_NE(cat.err.find("ERROR: 'Policy Fax' is not admitted by the policy in " + policy +
                         ": denied by rule at line 1"),
            std::string::npos)
      << cat.err;
  EXPECT_NE(lab_->Sh("ws", {"lpinfo", "--include-schemes", "cups-wps", "-m"}).out.find(uuid), std::string::npos)
      << "listed again without the rule";
}

}  // namespace
}  // namespace cupswps::testing
