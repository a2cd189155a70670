// SPDX-License-Identifier: Apache-2.0
// Faults injected into the real peers while cups-wps works: avahi-daemon and
// cupsd restarted or killed, cups-wps itself killed halfway, a printer that
// flaps, 200 adverts at once, hostile TXT records, an unprivileged user.
// What each test asserts is the invariant a user relies on: no queue lost,
// none made twice, none left half-made, one clear sentence on failure.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FaultsIntegration : public LabSuite {
 protected:
  // Runs a cups-wps command on ws with stderr in the child's line stream.
  static std::unique_ptr<Child> SpawnCupsWps(const std::string& args) {
    return lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " " + args + " 2>&1"});
  }

  // cups-wps ARGS... on ws as user lp, in no group: neither root nor lpadmin.
  static CmdResult CupsWpsAsLp(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"setpriv", "--reuid=lp", "--regid=lp", "--clear-groups", CupsWpsPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    return lab_->Sh("ws", argv);
  }

  // `per_host` static adverts on each of `hosts` (printer hosts): each a
  // printer of its own ("PREFIX n", own UUID) served by that host's printer.
  static void PublishAdverts(const std::vector<std::string>& hosts, int per_host, const std::string& prefix,
                             int uuid_base) {
    for (std::size_t h = 0; h < hosts.size(); ++h) {
      for (int i = 0; i < per_host; ++i) {
        const int n = static_cast<int>(h) * per_host + i;
        char uuid[40];
        std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", uuid_base + n);
        std::ofstream(lab_->dir() + "/" + hosts[h] + "/services/" + prefix + "-" + std::to_string(n) + ".service")
            << "<?xml version=\"1.0\" standalone='no'?>\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n"
            << "<service-group><name>" << prefix << " " << n
            << "</name><service><type>_ipp._tcp</type><port>8000</port>"
            << "<txt-record>rp=ipp/print</txt-record><txt-record>ty=Acme " << prefix << "</txt-record>"
            << "<txt-record>pdl=application/pdf,image/urf</txt-record><txt-record>UUID=" << uuid
            << "</txt-record></service></service-group>\n";
      }
    }
    for (const std::string& h : hosts) ASSERT_EQ(lab_->Sh(h, {"avahi-daemon", "-r"}).status, 0);
  }

  // Withdraws what PublishAdverts published (goodbye packets: gone from
  // every cache within a second), so later tests see a lab of normal size.
  static void WithdrawAdverts(const std::vector<std::string>& hosts, const std::string& prefix) {
    for (const std::string& h : hosts) {
      lab_->Sh(h, {"sh", "-c", "rm -f /etc/avahi/services/" + prefix + "-*.service && avahi-daemon -r"});
    }
  }
};

TEST_F(FaultsIntegration, AvahiRestartDuringWatchLosesNoQueueAndNewPrintersStillRegister) {
  auto watch = SpawnCupsWps("watch");
  lab_->AddPrinter("Avahi One");
  lab_->AddPrinter("Avahi Two");
  ASSERT_TRUE(watch->Seen("registered 'Avahi One'", seconds(30)));
  ASSERT_TRUE(watch->Seen("registered 'Avahi Two'", seconds(30)));
  const std::string before = Queues();

  lab_->Run({"signal", "ws", "avahi", "KILL"});
  ASSERT_TRUE(watch->Seen("avahi-daemon went away", seconds(30)));
  lab_->Run({"start-avahi", "ws"});
  lab_->AddPrinter("Avahi Three");
  EXPECT_TRUE(watch->Seen("registered 'Avahi Three'", seconds(30)));
  const std::string after = Queues();
  for (const char* q : {"Avahi_One", "Avahi_Two"}) {
    EXPECT_NE(after.find(std::string("device for ") + q + ": wps://"), std::string::npos) << after;
  }
  EXPECT_EQ(Count(after, "device for "), Count(before, "device for ") + 1) << after;
  EXPECT_EQ(Count(watch->Text(), "registered 'Avahi One'"), 1) << "registered once, not again after the restart";
}

TEST_F(FaultsIntegration, CupsdDownDuringWatchIsRetriedWithoutDuplicates) {
  auto watch = SpawnCupsWps("watch --retry-after 1");
  ASSERT_TRUE(watch->Seen("watching for printers", seconds(10)));
  lab_->Run({"stop-cupsd"});
  lab_->AddPrinter("Cupsd Down");
  EXPECT_TRUE(watch->Seen("Cannot reach the CUPS scheduler", seconds(30))) << watch->Text();
  lab_->Run({"start-cupsd"});
  EXPECT_TRUE(watch->Seen("registered 'Cupsd Down' as queue Cupsd_Down", seconds(60)))
      << watch->Text() << "\nthe end of cupsd's error_log:\n"
      << [] {
           const std::string log = FileText(lab_->dir() + "/ws/cups/log/error_log");
           return log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
         }();
  const std::string queues = Queues();
  EXPECT_EQ(Count(queues, "Cupsd_Down"), 1) << queues;
}

TEST_F(FaultsIntegration, CupsdKilledDuringAddLeavesOneGoodQueueAfterTheNextRun) {
  AddPrinterAndWait("Crash Cupsd");
  auto add = SpawnCupsWps("add 'Crash Cupsd'");
  ASSERT_TRUE(add->Seen("creating queue Crash_Cupsd", seconds(30)));
  lab_->Run({"signal", "ws", "cupsd", "KILL"});
  lab_->Run({"start-cupsd"});
  const int status = add->Wait();  // done or failed: either way it has ended
  const CmdResult again = CupsWps({"add", "Crash Cupsd"});
  EXPECT_EQ(again.status, 0) << "first run exited " << status << "; again: " << again.err;
  const std::string queues = Queues();
  EXPECT_EQ(Count(queues, "Crash_Cupsd"), 1) << queues;
  EXPECT_NE(queues.find("device for Crash_Cupsd: wps://uuid/"), std::string::npos) << queues;
  EXPECT_NE(lab_->Sh("ws", {"lpoptions", "-p", "Crash_Cupsd"}).out.find("printer-make-and-model='Acme TestJet"),
            std::string::npos)
      << "the queue has its driverless PPD";
}

TEST_F(FaultsIntegration, AddKilledHalfwayLeavesNothingHalfMade) {
  const std::string host = AddPrinterAndWait("Crash Add");
  // The printer held (SIGSTOP) while add reads it; meanwhile cupsd is
  // stopped, then the printer let go: add's create request stays unanswered,
  // and the kill lands while that request is open, not after a create that
  // takes milliseconds.
  lab_->Run({"signal", host, "ippeveprinter", "STOP"});
  auto add = SpawnCupsWps("add 'Crash Add'");
  ASSERT_TRUE(add->Seen("checking the attributes of 'Crash Add'", seconds(30)));
  lab_->Run({"signal", "ws", "cupsd", "STOP"});
  lab_->Run({"signal", host, "ippeveprinter", "CONT"});
  ASSERT_TRUE(add->Seen("creating queue Crash_Add", seconds(30))) << add->Text();
  add->Signal(SIGKILL);
  EXPECT_EQ(add->Wait(), 128 + SIGKILL) << "killed, not finished: " << add->Text();
  lab_->Run({"signal", "ws", "cupsd", "CONT"});
  ASSERT_EQ(lab_->Sh("ws", {"lpstat", "-r"}).out, "scheduler is running\n");
  // Whether cupsd had taken the request in before it stopped or reads it
  // now, there is no queue or a whole one: never one without its PPD,
  // disabled or rejecting jobs.
  const std::string before = Queues();
  if (Contains(before, "Crash_Add")) {
    EXPECT_NE(lab_->Sh("ws", {"lpstat", "-p", "Crash_Add"}).out.find("is idle.  enabled"), std::string::npos);
    EXPECT_NE(lab_->Sh("ws", {"lpstat", "-a", "Crash_Add"}).out.find("accepting requests"), std::string::npos);
    EXPECT_NE(lab_->Sh("ws", {"lpoptions", "-p", "Crash_Add", "-l"}).out.find("PageSize"), std::string::npos)
        << "a queue left by the killed add has its PPD";
  }
  const CmdResult again = CupsWps({"add", "Crash Add"});
  EXPECT_EQ(again.status, 0) << again.err;
  const std::string queues = Queues();
  EXPECT_EQ(Count(queues, "Crash_Add"), 1) << queues;
  EXPECT_NE(queues.find("device for Crash_Add: wps://uuid/"), std::string::npos) << queues;
  EXPECT_NE(lab_->Sh("ws", {"lpoptions", "-p", "Crash_Add"}).out.find("printer-make-and-model='Acme TestJet"),
            std::string::npos)
      << "the queue has its driverless PPD";
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-p", "Crash_Add"}).out.find("enabled"), std::string::npos);
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-a", "Crash_Add"}).out.find("accepting requests"), std::string::npos);
}

// cupsd's own record of what was asked of it: administrative requests since
// byte `from` of its access_log.
static int AdminRequests(const std::string& log_path, std::size_t from, const std::string& op) {
  // One line a request; a request first refused for want of credentials (401)
  // and then sent with them counts once, by its 200.
  const std::string log = FileText(log_path);
  std::istringstream lines(log.substr(std::min(from, log.size())));
  int n = 0;
  for (std::string l; std::getline(lines, l);) {
    if (Contains(l, "\" 200 ") && Contains(l, " " + op + " successful-ok")) ++n;
  }
  return n;
}

TEST_F(FaultsIntegration, AFlappingPrinterCausesNoQueueChurnButOneGoneLongerIsRemovedAndAddedAgain) {
  const std::string access_log = lab_->dir() + "/ws/cups/log/access_log";
  auto watch = SpawnCupsWps("watch --remove-after 1");
  lab_->AddPrinter("Flappy");
  ASSERT_TRUE(watch->Seen("registered 'Flappy' as queue Flappy", seconds(30)));
  const std::size_t flapping_from = FileSize(access_log);
  // Its advert goes down and up every second for a minute (load, not a wait).
  for (int i = 0; i < 30; ++i) {
    lab_->Run({"stop-printer", "Flappy"});
    std::this_thread::sleep_for(milliseconds(1000));
    lab_->Run({"start-printer", "Flappy"});
    std::this_thread::sleep_for(milliseconds(1000));
  }
  EXPECT_TRUE(watch->Seen("'Flappy' is back; its queue Flappy stays", seconds(10)));
  // cupsd says what watch did meanwhile: nothing deleted, nothing made again.
  EXPECT_EQ(AdminRequests(access_log, flapping_from, "CUPS-Delete-Printer"), 0) << FileText(access_log);
  EXPECT_EQ(AdminRequests(access_log, flapping_from, "CUPS-Add-Modify-Printer"), 0) << FileText(access_log);
  EXPECT_EQ(Count(watch->Text(), "registered 'Flappy'"), 1) << watch->Text();
  EXPECT_EQ(Count(Queues(), "device for Flappy:"), 1);

  // Gone longer than --remove-after (1 minute): the same checks now see the
  // queue deleted, and made again under its name when the printer is back.
  const std::size_t gone_from = FileSize(access_log);
  lab_->Run({"stop-printer", "Flappy"});
  ASSERT_TRUE(watch->Seen("removed queue Flappy", seconds(120))) << watch->Text();
  EXPECT_EQ(AdminRequests(access_log, gone_from, "CUPS-Delete-Printer"), 1) << FileText(access_log);
  EXPECT_EQ(Queues().find("device for Flappy:"), std::string::npos);
  lab_->Run({"start-printer", "Flappy"});
  ASSERT_TRUE(watch->WaitForLineContaining("registered 'Flappy' as queue Flappy", seconds(60))) << watch->Text();
  EXPECT_TRUE(WaitForLog(access_log, gone_from, "CUPS-Add-Modify-Printer", seconds(10))) << FileText(access_log);
  EXPECT_EQ(AdminRequests(access_log, gone_from, "CUPS-Add-Modify-Printer"), 1) << FileText(access_log);
  EXPECT_EQ(Count(Queues(), "device for Flappy:"), 1);
}

TEST_F(FaultsIntegration, TwoHundredAdvertsAtOnceAreAllRegisteredOnce) {
  // 4 real printers; 50 static adverts on each printer's host, each a
  // printer of its own (own name and UUID) served by that real printer.
  constexpr int kHosts = 4, kPerHost = 50;
  std::vector<std::string> hosts;
  for (int h = 0; h < kHosts; ++h) hosts.push_back(lab_->AddPrinter("Bulk Host " + std::to_string(h)));
  auto watch = SpawnCupsWps("watch --retry-after 2");
  ASSERT_TRUE(watch->Seen("watching for printers", seconds(10)));
  PublishAdverts(hosts, kPerHost, "Bulk", 0);
  for (int n = 0; n < kHosts * kPerHost; ++n) {
    ASSERT_TRUE(watch->Seen("registered 'Bulk " + std::to_string(n) + "' as queue", seconds(240)))
        << n << "\n" << watch->Text().substr(watch->Text().size() > 4000 ? watch->Text().size() - 4000 : 0);
  }
  const std::string queues = Queues();
  for (int n = 0; n < kHosts * kPerHost; ++n) {
    EXPECT_EQ(Count(queues, "device for Bulk_" + std::to_string(n) + ": wps://"), 1) << n;
  }
  // Nothing registered twice, under whatever name: one queue per device URI.
  std::map<std::string, int> per_uri;
  std::istringstream lines(queues);
  for (std::string l; std::getline(lines, l);) {
    const auto colon = l.find(": ");
    if (l.rfind("device for ", 0) == 0 && colon != std::string::npos) ++per_uri[l.substr(colon + 2)];
  }
  for (const auto& [uri, n] : per_uri) EXPECT_EQ(n, 1) << uri << " has " << n << " queues";
  EXPECT_GE(per_uri.size(), static_cast<std::size_t>(kHosts * kPerHost));
  // watch's memory is a figure of bench/ (bench.py's "peak RSS", side by side
  // with cups-browsed), not a bound of this test.
}

// What printer dialogs and lpinfo see: cupsd runs the backend through
// cups-deviced, which stops reading a backend's output once it has reaped it.
TEST_F(FaultsIntegration, TwoHundredPrintersAreAllListedThroughCupsd) {
  constexpr int kHosts = 4, kPerHost = 50;
  std::vector<std::string> hosts;
  for (int h = 0; h < kHosts; ++h) hosts.push_back(lab_->AddPrinter("Lister " + std::to_string(h)));
  auto follow = SpawnCupsWps("list --follow --json --all");
  struct Withdraw {
    const std::vector<std::string>& hosts;
    ~Withdraw() { WithdrawAdverts(hosts, "Many"); }
  } withdraw{hosts};
  PublishAdverts(hosts, kPerHost, "Many", 1000);
  for (int n = 0; n < kHosts * kPerHost; ++n) {
    ASSERT_TRUE(follow->Seen("\"name\":\"Many " + std::to_string(n) + "\"", seconds(60))) << n;
  }
  // The loss was intermittent (it depends on when cups-deviced reaps the
  // backend): several runs.
  for (int run = 0; run < 6; ++run) {
    const CmdResult r = lab_->Sh("ws", {"lpinfo", "-l", "--include-schemes", "wps", "-v"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(Count(r.out, "info = Many "), kHosts * kPerHost) << "run " << run << ": every printer, once";
  }
}

TEST_F(FaultsIntegration, HostileTxtRecordsNeverCrashListing) {
  const std::string host = lab_->AddPrinter("Txt Host");
  // Every malformed shape avahi will carry (it refuses an empty key):
  // control characters, a repeated key, a value that is not UTF-8, a long
  // value, a bad UUID, a name with control characters; from avahi-publish.
  auto publish = lab_->Spawn(host, {"avahi-publish", "-s", "Evil\x01Name\x1b[2J", "_ipp._tcp", "8000",
                                    "rp=ipp/print", "ty=Evil\nModel", "ty=Second", "note=\xff\xfe",
                                    "adminurl=" + std::string(240, 'a'), "UUID=not-a-uuid"});
  auto follow = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
  ASSERT_TRUE(follow->Seen("\"name\":\"Evil Name [2J\"", seconds(30)));
  const CmdResult r = CupsWps({"list", "--json", "--all"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(R"("name":"Evil Name [2J","uuid":null,"make_and_model":"Evil Model","location":null)"),
            std::string::npos)
      << r.out;
  const CmdResult valid = lab_->Sh("ws", {"python3", "-c", "import json,sys; json.load(sys.stdin)"}, r.out);
  EXPECT_EQ(valid.status, 0) << "list --json is valid JSON: " << valid.err;
  EXPECT_EQ(CupsWps({"list"}).status, 0);
}

TEST_F(FaultsIntegration, OnlyRootOrLpadminMayChangeQueuesButAnyoneMayList) {
  AddPrinterAndWait("Privileged");
  const CmdResult add = CupsWpsAsLp({"add", "Privileged"});
  EXPECT_EQ(add.status, 1);
  EXPECT_NE(add.err.find("run it as root or as a member of the lpadmin group"), std::string::npos) << add.err;
  EXPECT_EQ(Queues().find("Privileged"), std::string::npos);
  // Every command that changes queues refuses, each naming itself (README, Security).
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"remove", "Privileged"}, {"watch"}, {"setup", "--pbc"}, {"trust", "Privileged"}}) {
    const CmdResult r = CupsWpsAsLp(cmd);
    EXPECT_EQ(r.status, 1) << cmd[0] << ": " << r.err;
    EXPECT_NE(r.err.find("'cups-wps " + cmd[0] + "' changes CUPS queues: run it as root or as a member of the lpadmin "
                         "group."),
              std::string::npos)
        << cmd[0] << ": " << r.err;
  }
  const CmdResult list = CupsWpsAsLp({"list", "--all"});
  EXPECT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("Privileged"), std::string::npos);
}

// CUPS 2.4.2-3+deb12u10 refuses root over TCP: the user reads why and what to
// change, not "run as root" while being root.
TEST_F(FaultsIntegration, RootOverTcpIsToldToUseTheLocalSocket) {
  AddPrinterAndWait("Over Tcp");
  const CmdResult add = lab_->Sh("ws", {"env", "CUPS_SERVER=127.0.0.1:631", CupsWpsPath(), "add", "Over Tcp"});
  EXPECT_EQ(add.status, 1);
  EXPECT_NE(add.err.find("The CUPS scheduler at 127.0.0.1:631 refused to create the queue Over_Tcp: CUPS accepts "
                         "local administration only through its socket, not over TCP; unset CUPS_SERVER, or set it "
                         "to /run/cups/cups.sock."),
            std::string::npos)
      << add.err;
  EXPECT_EQ(Queues().find("Over_Tcp"), std::string::npos);
  // The same command without CUPS_SERVER reaches /run/cups/cups.sock and succeeds.
  const CmdResult again = CupsWps({"add", "Over Tcp"});
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(Queues().find("Over_Tcp"), std::string::npos);
}

}  // namespace
}  // namespace cupswps::testing
