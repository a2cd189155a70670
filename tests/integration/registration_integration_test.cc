// SPDX-License-Identifier: Apache-2.0
// Registration against real peers: cups-wps add/remove/watch with a private
// cupsd, avahi-daemon and ippeveprinter printers in the lab, and jobs that
// print through the wps:// URI.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const std::string kData = CUPS_WPS_TEST_DATA;

class RegistrationIntegration : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    // Everything is admitted; watch's own default (local) admits the lab too.
    std::ofstream(lab_->dir() + "/allow-all.conf") << "allow any\n";
    std::ofstream(lab_->dir() + "/deny-fax.conf") << "deny make-model \"*Fax*\"\nallow any\n";
  }
};

TEST_F(RegistrationIntegration, AddMakesAQueueThatPrintsATestPageAndAPdfOnThatPrinter) {
  const std::string host = AddPrinterAndWait("Alpha");
  const CmdResult add = CupsWps({"add", "Alpha", "--json", "--policy", lab_->dir() + "/allow-all.conf"});
  ASSERT_EQ(add.status, 0) << add.out << add.err;
  EXPECT_EQ(JsonField(add.out, "queue"), "Alpha");
  EXPECT_NE(add.out.find("\"created\":true"), std::string::npos) << add.out;
  const std::string device_uri = JsonField(add.out, "device_uri");
  EXPECT_EQ(device_uri.rfind("wps://uuid/", 0), 0u);
  EXPECT_NE(Queues().find("device for Alpha: " + device_uri), std::string::npos) << Queues();

  // Ready means: the driverless PPD exists, and the queue is enabled and
  // accepting. Its model (the PPD's NickName) is the printer's own make and
  // model, and says who made the queue: read from the PPD cupsd keeps for
  // it (lpoptions -p may answer with CUPS's own DNS-SD entry of that name,
  // whose make and model come from the printer's TXT record).
  const std::string ppd = FileText(lab_->dir() + "/ws/cups/etc/ppd/Alpha.ppd");
  EXPECT_TRUE(Contains(ppd, "\n*NickName: \"Acme TestJet 8000, driverless, cups-wps\"\n")) << ppd.substr(0, 2000);
  EXPECT_TRUE(Contains(ppd, "\n*ModelName: \"Acme TestJet 8000\"\n")) << ppd.substr(0, 2000);
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-a", "Alpha"}).out.find("accepting requests"), std::string::npos);
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-p", "Alpha"}).out.find("is idle"), std::string::npos);

  const std::string printed = lab_->dir() + "/" + host + "/printed.log";
  const int before = LineCount(printed);
  const int test_page = Print("Alpha", "/usr/share/cups/data/testprint");
  EXPECT_EQ(WaitForJob("Alpha", test_page), "completed");
  const int pdf = Print("Alpha", "/usr/share/cups/data/default-testpage.pdf");
  EXPECT_EQ(WaitForJob("Alpha", pdf), "completed");
  EXPECT_EQ(LineCount(printed), before + 2) << "both jobs reached the printer Alpha";
}

TEST_F(RegistrationIntegration, AddIsIdempotentAndRemoveRefusesQueuesItDidNotMake) {
  AddPrinterAndWait("Bravo");
  ASSERT_EQ(CupsWps({"add", "Bravo", "--name", "bravo_q"}).status, 0);
  const std::string before = Queues();
  const CmdResult again = CupsWps({"add", "Bravo"});
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("has a queue already: bravo_q"), std::string::npos) << again.out;
  EXPECT_EQ(Queues(), before);

  ASSERT_EQ(lab_->Sh("ws", {"lpadmin", "-p", "foreign", "-v", "file:///dev/null"}).status, 0);
  const CmdResult refused = CupsWps({"remove", "foreign"});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("was not made by cups-wps"), std::string::npos) << refused.err;
  EXPECT_NE(Queues().find("device for foreign:"), std::string::npos);

  const CmdResult removed = CupsWps({"remove", "bravo_q"});
  EXPECT_EQ(removed.status, 0) << removed.err;
  EXPECT_EQ(Queues().find("bravo_q"), std::string::npos);
}

TEST_F(RegistrationIntegration, JobsFollowThePrinterToANewAddressPortAndName) {
  const std::string old_host = AddPrinterAndWait("Mover", {"--port", "8100", "--attributes", kData + "/mover.conf"});
  ASSERT_EQ(CupsWps({"add", "Mover", "--name", "mover"}).status, 0);
  const int first = Print("mover", "/usr/share/cups/data/default-testpage.pdf");
  ASSERT_EQ(WaitForJob("mover", first), "completed");
  ASSERT_EQ(LineCount(lab_->dir() + "/" + old_host + "/printed.log"), 1);

  // Same printer (same UUID, same TLS key) comes back on another host, port and name.
  lab_->Run({"stop-printer", "Mover"});
  const std::string new_host =
      AddPrinterAndWait("Mover Renamed", {"--port", "8200", "--attributes", kData + "/mover.conf"});
  ASSERT_NE(new_host, old_host);
  lab_->Run({"give-key", "Mover", "Mover Renamed"});
  const int second = Print("mover", "/usr/share/cups/data/default-testpage.pdf");
  EXPECT_EQ(WaitForJob("mover", second), "completed");
  EXPECT_EQ(LineCount(lab_->dir() + "/" + new_host + "/printed.log"), 1) << "printed at the new address";
  EXPECT_EQ(LineCount(lab_->dir() + "/" + old_host + "/printed.log"), 1);
}

TEST_F(RegistrationIntegration, HostilePrintersAreRefusedAndNothingReachesCupsd) {
  const struct {
    const char* name;
    const char* file;
    const char* attribute;
  } cases[] = {{"Evil Newline", "hostile-newline.conf", "printer-make-and-model"},
               {"Evil Quote", "hostile-quote.conf", "printer-make-and-model"},
               {"Evil Keyword", "hostile-keyword.conf", "media-supported"}};
  for (const auto& c : cases) {
    AddPrinterAndWait(c.name, {"--attributes", kData + "/" + c.file});
    const std::string before = Queues();
    const CmdResult r = CupsWps({"add", c.name});
    EXPECT_EQ(r.status, 1) << c.name;
    EXPECT_NE(r.err.find(std::string("Refusing to register '") + c.name + "': its attribute " + c.attribute),
              std::string::npos)
        << r.err;
    const std::string last_line = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
    EXPECT_EQ(last_line.rfind("cups-wps: Refusing to register", 0), 0u) << "one sentence, the last line: " << r.err;
    EXPECT_EQ(Queues(), before) << c.name;
  }
}

TEST_F(RegistrationIntegration, PolicyDenyRulesHold) {
  AddPrinterAndWait("Front Fax", {"--model", "LaserFax 9"});
  const CmdResult r = CupsWps({"add", "Front Fax", "--policy", lab_->dir() + "/deny-fax.conf"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("denied by rule at line 1"), std::string::npos) << r.err;
  EXPECT_EQ(Queues().find("Front_Fax"), std::string::npos);
}

TEST_F(RegistrationIntegration, WatchRegistersPrintersAsTheyAppearAndNeverChurns) {
  const std::string policy = lab_->dir() + "/deny-fax.conf";
  auto watch = lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " watch --policy " + policy + " 2>&1"});
  ASSERT_TRUE(watch->WaitForLineContaining("watching for printers", seconds(10)));
  const char* names[] = {"Watch One", "Watch Two", "Watch Three"};
  for (const char* n : names) lab_->AddPrinter(n);
  lab_->AddPrinter("Watch Fax", {"--model", "LaserFax 9"});
  for (const char* n : names) {
    EXPECT_TRUE(watch->Seen(std::string("registered '") + n + "' as queue", seconds(30))) << n;
  }
  EXPECT_TRUE(watch->Seen("not registering 'Watch Fax': denied by rule at line 1", seconds(30)));
  std::string queues = Queues();
  for (const char* q : {"Watch_One", "Watch_Two", "Watch_Three"}) {
    EXPECT_NE(queues.find("device for " + std::string(q) + ": wps://uuid/"), std::string::npos) << queues;
  }
  EXPECT_EQ(queues.find("Watch_One_2"), std::string::npos) << "no duplicates: " << queues;
  EXPECT_EQ(queues.find("Watch_Fax"), std::string::npos);

  // A restart changes no queue.
  watch->Signal(SIGTERM);
  EXPECT_EQ(watch->Wait(), 0);
  watch = lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " watch --policy " + policy + " 2>&1"});
  for (const char* n : names) {
    EXPECT_TRUE(watch->Seen(std::string("'") + n + "' has its queue", seconds(30))) << n;
  }
  EXPECT_EQ(Queues(), queues);

  // A printer that goes away keeps its queue.
  lab_->Run({"stop-printer", "Watch Two"});
  EXPECT_TRUE(watch->WaitForLineContaining("'Watch Two' went away; its queue Watch_Two stays", seconds(30)));
  EXPECT_EQ(Queues(), queues);
}

}  // namespace
}  // namespace cupswps::testing
