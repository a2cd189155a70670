// SPDX-License-Identifier: Apache-2.0
// Discovery against real peers: avahi-daemon per host, ippeveprinter printers
// and a private cupsd, in network namespaces built by cups-wps-lab.
#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

// The JSON object of the printer called `name` in `list --json` output.
std::string ObjectOf(const std::string& json, const std::string& name) {
  for (std::size_t start = json.find('{'); start != std::string::npos; start = json.find('{', start + 1)) {
    const std::size_t end = json.find('}', start);
    const std::string obj = json.substr(start, end - start + 1);
    if (obj.find("\"name\":\"" + name + "\"") != std::string::npos) return obj;
  }
  return {};
}

class DiscoveryIntegration : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    // Follow discovery from the start: printers are awaited as events.
    follow_ = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"}).release();
    for (const char* name : {"Alpha", "Bravo", "Charlie"}) lab_->AddPrinter(name);
    for (const char* name : {"Alpha", "Bravo", "Charlie"}) {
      ASSERT_TRUE(follow_->Seen(std::string("\"name\":\"") + name + "\"", seconds(30))) << name << " never appeared";
    }
  }
  static void TearDownTestSuite() {
    delete follow_;
    follow_ = nullptr;
    LabSuite::TearDownTestSuite();
  }

  static CmdResult List(std::vector<std::string> args) {
    std::vector<std::string> argv = {CupsWpsPath(), "list"};
    argv.insert(argv.end(), args.begin(), args.end());
    return lab_->Sh("ws", argv);
  }

  static Child* follow_;
};

Child* DiscoveryIntegration::follow_ = nullptr;

TEST_F(DiscoveryIntegration, ListsEveryPrinterOnceAcrossIppIppsAndBothAddressFamilies) {
  const CmdResult r = List({"--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Count(r.out, "\"name\":"), 3) << r.out;
  const std::string alpha = ObjectOf(r.out, "Alpha");
  ASSERT_FALSE(alpha.empty()) << r.out;
  EXPECT_NE(alpha.find(R"("services":["ipps","ipp","printer"])"), std::string::npos) << alpha;
  // One IPv4 and one IPv6 (link-local) address, one printer.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(alpha, m, std::regex(R"re("addresses":\["[0-9.]+","fe80::[^"]+"\])re"))) << alpha;
  EXPECT_EQ(JsonField(alpha, "make_and_model"), "Acme TestJet 8000");
  EXPECT_EQ(JsonField(alpha, "device_uri").rfind("wps://uuid/", 0), 0u);
}

TEST_F(DiscoveryIntegration, PrinterWithAQueueIsLeftOutUnlessAll) {
  const std::string charlie = ObjectOf(List({"--json"}).out, "Charlie");
  std::string uri = JsonField(charlie, "uri");
  ASSERT_EQ(uri.rfind("ipps://", 0), 0u) << charlie;
  uri.replace(0, 4, "ipp");  // ipps:// -> ipp://
  const CmdResult add = lab_->Sh("ws", {"lpadmin", "-p", "charlie_q", "-E", "-v", uri, "-m", "everywhere"});
  ASSERT_EQ(add.status, 0) << add.err;

  const CmdResult r = List({"--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Count(r.out, "\"name\":"), 2) << r.out;
  EXPECT_TRUE(ObjectOf(r.out, "Charlie").empty());

  const CmdResult all = List({"--json", "--all"});
  EXPECT_EQ(JsonField(ObjectOf(all.out, "Charlie"), "queue"), "charlie_q") << all.out;

  const CmdResult table = List({"--all"});
  EXPECT_NE(table.out.find("charlie_q"), std::string::npos) << table.out;
  EXPECT_EQ(Count(table.out, "no queue"), 2) << table.out;
}

TEST_F(DiscoveryIntegration, ListShowsWhyPolicyDoesNotAdmitAPrinter) {
  const std::string policy = lab_->dir() + "/deny-alpha.conf";
  ASSERT_EQ(lab_->Sh("ws", {"sh", "-c", "echo 'deny name Alpha' > " + policy}).status, 0);
  const CmdResult r = List({"--json", "--policy", policy});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string alpha = ObjectOf(r.out, "Alpha");
  EXPECT_NE(alpha.find(R"js("admitted":false,"auto_register":false,"policy":"denied by rule at line 1 (deny name \"Alpha\")")js"),
            std::string::npos)
      << alpha;
  EXPECT_NE(ObjectOf(r.out, "Bravo").find(R"js("admitted":true,"auto_register":true,"policy":null)js"), std::string::npos)
      << r.out;
  const CmdResult table = List({"--policy", policy});
  EXPECT_NE(table.out.find("POLICY"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("denied by rule at line 1"), std::string::npos) << table.out;
  const CmdResult bad = List({"--policy", lab_->dir()});
  EXPECT_EQ(bad.status, 1);
}

TEST_F(DiscoveryIntegration, LpinfoShowsWpsUrisOfPrintersWithoutQueue) {
  const std::string json = List({"--json", "--all"}).out;
  const CmdResult r = lab_->Sh("ws", {"lpinfo", "--include-schemes", "wps", "-l", "-v"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* name : {"Alpha", "Bravo"}) {
    const std::string uri = JsonField(ObjectOf(json, name), "device_uri");
    EXPECT_NE(r.out.find("uri = " + uri), std::string::npos) << name << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find(JsonField(ObjectOf(json, "Charlie"), "device_uri")), std::string::npos)
      << "Charlie has a queue already\n" << r.out;
  EXPECT_NE(r.out.find("make-and-model = Acme TestJet 8000"), std::string::npos) << r.out;
  // Each printer's own model in its ID: its name and UUID prefix after the model.
  const std::string alpha_uuid = JsonField(ObjectOf(json, "Alpha"), "device_uri").substr(11);
  EXPECT_NE(r.out.find("MFG:Acme;MDL:TestJet 8000 [Alpha / " + alpha_uuid.substr(0, 8) +
                       "];CMD:PDF,PWGRaster,URF;SN:" + alpha_uuid + ";"),
            std::string::npos)
      << r.out;
}

TEST_F(DiscoveryIntegration, BackendJobWithABadUriFailsAndAnAbsentPrinterIsRetried) {
  const CmdResult bad = lab_->Sh("ws", {"env", "DEVICE_URI=wps://uuid/not-a-uuid", BackendPath(), "1", "user", "title",
                                        "1", ""});
  EXPECT_EQ(bad.status, 1);  // CUPS_BACKEND_FAILED
  EXPECT_NE(bad.err.find("ERROR: The device URI is not a valid wps:// URI"), std::string::npos) << bad.err;
  const CmdResult absent =
      lab_->Sh("ws", {"env", "CUPS_WPS_RESOLVE_TIMEOUT=1", "DEVICE_URI=wps://uuid/00000000-0000-0000-0000-00000000abcd",
                      BackendPath(), "1", "user", "title", "1", ""});
  EXPECT_EQ(absent.status, 6);  // CUPS_BACKEND_RETRY
  EXPECT_NE(absent.err.find("STATE: +connecting-to-device"), std::string::npos) << absent.err;
  EXPECT_NE(absent.err.find("ERROR: Cannot find the printer with UUID"), std::string::npos) << absent.err;
}

TEST_F(DiscoveryIntegration, UnreachableCupsdIsOneClearSentenceAndExitOne) {
  const CmdResult r = lab_->Sh("ws", {"env", "CUPS_SERVER=127.0.0.1:9", CupsWpsPath(), "list"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("Cannot reach the CUPS scheduler at 127.0.0.1:9"), std::string::npos) << r.err;
}

TEST_F(DiscoveryIntegration, StoppedPrinterDisappears) {
  lab_->Run({"stop-printer", "Bravo"});
  ASSERT_TRUE(follow_->WaitForLine(
      [](const std::string& l) {
        return l.find("\"event\":\"removed\"") != std::string::npos && l.find("\"name\":\"Bravo\"") != std::string::npos;
      },
      seconds(30)));
  const CmdResult r = List({"--json", "--all"});
  EXPECT_TRUE(ObjectOf(r.out, "Bravo").empty()) << r.out;
  EXPECT_FALSE(ObjectOf(r.out, "Alpha").empty()) << r.out;
}

TEST_F(DiscoveryIntegration, AvahiRestartMidRunRecovers) {
  lab_->Run({"restart-avahi", "ws"});
  ASSERT_TRUE(follow_->WaitForLineContaining("\"event\":\"daemon-lost\"", seconds(30)));
  ASSERT_TRUE(follow_->WaitForLineContaining("\"event\":\"complete\"", seconds(30)));
  // The long-running view kept its printers and sees new ones.
  lab_->AddPrinter("Delta");
  EXPECT_TRUE(follow_->WaitForLine(
      [](const std::string& l) {
        return l.find("\"event\":\"added\"") != std::string::npos && l.find("\"name\":\"Delta\"") != std::string::npos;
      },
      seconds(30)));
  for (const std::string& l : follow_->lines()) {
    const bool alpha_removed = l.find("\"event\":\"removed\"") != std::string::npos &&
                               l.find("\"name\":\"Alpha\"") != std::string::npos;
    EXPECT_FALSE(alpha_removed) << "Alpha was dropped during the restart: " << l;
  }
  const CmdResult r = List({"--json", "--all"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* name : {"Alpha", "Charlie", "Delta"}) EXPECT_FALSE(ObjectOf(r.out, name).empty()) << name;
}

TEST_F(DiscoveryIntegration, AvahiDownIsOneClearSentenceAndExitOne) {
  lab_->Run({"stop-avahi", "ws"});
  const CmdResult r = List({});
  lab_->Run({"start-avahi", "ws"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("Cannot reach avahi-daemon"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cupswps::testing
