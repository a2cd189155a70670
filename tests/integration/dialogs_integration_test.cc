// SPDX-License-Identifier: Apache-2.0
// The printer dialogs' real clients, headless, against the lab's cupsd with
// the wps backend and the cups-wps driver: python3-cupshelpers (what
// system-config-printer runs), scp-dbus-service on a session bus (the driver
// chooser GNOME Settings asks) and GNOME's add sequence through
// cups-pk-helper with polkitd on ws's own system bus (lab.d/dialogs.sh).
// The client code is in data/dialog_clients.py.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <utility>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const std::string kClients = std::string(CUPS_WPS_TEST_DATA) + "/dialog_clients.py";

class DialogsIntegration : public LabSuite {
 protected:
  static void SetUpTestSuite() {
    LabSuite::SetUpTestSuite();
    // Every printer first: scp-dbus-service reads the PPD list once, at its
    // first request, and keeps it for its lifetime.
    for (const auto& [name, model] : {std::pair<const char*, const char*>{"Solo Jet", "SoloJet 1"},
                                      {"Gnome Jet", "GnomeJet 2"},
                                      {"Twin One", "TwinJet 5"},
                                      {"Twin Two", "TwinJet 5"},
                                      {"Gone Pk", "GoneJet 3"}}) {
      hosts_[name] = AddPrinterAndWait(name, {"--model", model});
    }
    session_bus_ = lab_->Run({"dialogs-up"}).out;
    while (!session_bus_.empty() && session_bus_.back() == '\n') session_bus_.pop_back();
  }

  // One client command on ws (with Debian's python3, which has the
  // cupshelpers, cups and dbus modules); its JSON answer.
  static std::string Client(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/python3", kClients};
    argv.insert(argv.end(), args.begin(), args.end());
    const CmdResult r = lab_->Sh("ws", argv);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    return r.out;
  }

  // GNOME's device list: the wps backend's devices, through cups-pk-helper.
  static std::string Devices() { return Client({"pk-devices"}); }
  // The device URI and device ID of the printer named `name` in a Devices() answer.
  static std::pair<std::string, std::string> UriAndIdOf(const std::string& devices, const std::string& name) {
    std::smatch m;
    const std::regex re("\"" + name + "\": \\{\"id\": \"([^\"]*)\", \"uri\": \"([^\"]*)\"\\}");
    if (!std::regex_search(devices, m, re)) {
      ADD_FAILURE() << name << " is not among GNOME's devices: " << devices;
      return {};
    }
    return {m[2], m[1]};
  }
  static std::string PpdNameOf(const std::string& uri) { return "cups-wps:uuid/" + uri.substr(11); }

  static inline std::map<std::string, std::string> hosts_;
  static inline std::string session_bus_;
};

TEST_F(DialogsIntegration, CupshelpersRatesTheDriverExactCmdFirstAndItsQueuePrints) {
  const auto [uri, id] = UriAndIdOf(Devices(), "Solo Jet");
  ASSERT_EQ(uri.rfind("wps://uuid/", 0), 0u);
  EXPECT_NE(id.find(";SN:" + uri.substr(11) + ";"), std::string::npos) << id;
  const std::string match = Client({"cupshelpers-match", id, uri});
  EXPECT_EQ(match.rfind("[[\"" + PpdNameOf(uri) + "\", \"exact-cmd\"]", 0), 0u) << match;

  const std::string printed = lab_->dir() + "/" + hosts_["Solo Jet"] + "/printed.log";
  const int before = LineCount(printed);
  const std::string added = Client({"cupshelpers-add", "solo", uri, PpdNameOf(uri)});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(added, m, std::regex("\"job\": ([0-9]+)"))) << added;
  EXPECT_EQ(WaitForJob("solo", std::stoi(m[1])), "completed");
  EXPECT_EQ(LineCount(printed), before + 1) << "the test page reached Solo Jet";
  EXPECT_NE(Queues().find("device for solo: " + uri), std::string::npos) << Queues();
}

TEST_F(DialogsIntegration, ScpGetBestDriversPutsTheDriverFirstAndGroupingKeepsTwinsApart) {
  const std::string devices = Devices();
  const auto [uri, id] = UriAndIdOf(devices, "Gnome Jet");
  const std::string best = Client({"scp-best-drivers", session_bus_, id, "Acme GnomeJet 2", uri});
  EXPECT_EQ(best.rfind("[[\"" + PpdNameOf(uri) + "\", \"exact-cmd\"]", 0), 0u) << best;

  // Two printers of one model: two physical devices, not one (SN:).
  const auto [one_uri, one_id] = UriAndIdOf(devices, "Twin One");
  const auto [two_uri, two_id] = UriAndIdOf(devices, "Twin Two");
  auto device = [](const std::string& device_id, const std::string& info) {
    return "{\"device-class\": \"network\", \"device-id\": \"" + device_id +
           "\", \"device-make-and-model\": \"Acme TwinJet 5\", \"device-info\": \"" + info + "\"}";
  };
  const std::string groups = Client({"scp-group", session_bus_,
                                     "{\"" + one_uri + "\": " + device(one_id, "Twin One") + ", \"" + two_uri +
                                         "\": " + device(two_id, "Twin Two") + "}"});
  EXPECT_TRUE(groups == "[[\"" + one_uri + "\"], [\"" + two_uri + "\"]]\n" ||
              groups == "[[\"" + two_uri + "\"], [\"" + one_uri + "\"]]\n")
      << groups;

  // system-config-printer matches drivers on MFG, MDL and CMD, and by the
  // make and model it reads from each entry's description: each twin gets
  // its own entry first, and the other twin's is not offered at all.
  for (const auto& [twin_uri, twin_id, other] :
       {std::tuple{one_uri, one_id, two_uri}, std::tuple{two_uri, two_id, one_uri}}) {
    const std::string twin = Client({"scp-best-drivers", session_bus_, twin_id, "Acme TwinJet 5", twin_uri});
    EXPECT_EQ(twin.rfind("[[\"" + PpdNameOf(twin_uri) + "\", \"exact-cmd\"]", 0), 0u) << twin;
    EXPECT_EQ(twin.find(PpdNameOf(other)), std::string::npos) << twin;
  }
  // The same printer's ipps row (cups-filters' own backend, the printer's
  // real model in its ID) is offered no cups-wps entry.
  const std::string ipps_id = "MFG:Acme;MDL:TwinJet 5;CMD:PDF,PWGRaster,URF;";
  const std::string ipps = Client({"scp-best-drivers", session_bus_, ipps_id, "Acme TwinJet 5",
                                   "ipps://Twin%20Two._ipps._tcp.local/"});
  EXPECT_EQ(ipps.find("cups-wps:"), std::string::npos) << ipps;
}

TEST_F(DialogsIntegration, GnomesAddSequenceThroughCupsPkHelperMakesAQueueThatPrints) {
  const auto [uri, id] = UriAndIdOf(Devices(), "Gnome Jet");
  const std::string best = Client({"scp-best-drivers", session_bus_, id, "Acme GnomeJet 2", uri});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(best, m, std::regex("^\\[\\[\"([^\"]+)\", \"(exact|exact-cmd)\"\\]"))) << best;
  const std::string ppd = m[1];
  EXPECT_EQ(ppd, PpdNameOf(uri));
  const std::string added = Client({"pk-add", "gnome", uri, ppd, "Gnome Jet"});
  EXPECT_EQ(added, "{\"added\": true, \"error\": \"\"}\n");
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-p", "gnome"}).out.find("is idle"), std::string::npos);
  EXPECT_NE(lab_->Sh("ws", {"lpstat", "-a", "gnome"}).out.find("accepting requests"), std::string::npos);

  const std::string printed = lab_->dir() + "/" + hosts_["Gnome Jet"] + "/printed.log";
  const int before = LineCount(printed);
  EXPECT_EQ(WaitForJob("gnome", Print("gnome", "/usr/share/cups/data/testprint")), "completed");
  EXPECT_EQ(LineCount(printed), before + 1) << "the test page reached Gnome Jet";
}

// GNOME Settings 43.6 gave a twin's queue the PPD of the twin listed first
// (before the driver listing put each printer's own entry first): its URI
// names one printer, its PPD was made from the other. `add` (Twin Two) and
// `watch` (Twin One) see it and give the queue its own printer's PPD.
TEST_F(DialogsIntegration, AQueueWithItsTwinsPpdGetsItsOwnFromAddAndFromWatch) {
  const std::string devices = Devices();
  const auto [one_uri, one_id] = UriAndIdOf(devices, "Twin One");
  const auto [two_uri, two_id] = UriAndIdOf(devices, "Twin Two");
  ASSERT_EQ(Client({"pk-add", "twotwin", two_uri, PpdNameOf(one_uri), "Twin Two"}), "{\"added\": true, \"error\": \"\"}\n");
  ASSERT_EQ(Client({"pk-add", "onetwin", one_uri, PpdNameOf(two_uri), "Twin One"}), "{\"added\": true, \"error\": \"\"}\n");
  auto ppd_of = [&](const std::string& queue) { return FileText(lab_->dir() + "/ws/cups/etc/ppd/" + queue + ".ppd"); };
  auto made_from = [](const std::string& uri) { return "\n*cupswpsPrinterUUID: \"" + uri.substr(11) + "\"\n"; };
  // The PPD's supply-levels link (*APSupplies) is the web page of the
  // printer it was made from: at an address of that printer's host.
  auto pages_printer_is = [&](const std::string& queue, const std::string& name) {
    std::smatch m;
    const std::string ppd = ppd_of(queue);
    if (!std::regex_search(ppd, m, std::regex("\n\\*APSupplies: \"https?://([0-9.]+):"))) return false;
    return Contains(lab_->Sh(hosts_[name], {"ip", "-o", "addr", "show"}).out, " " + m[1].str() + "/");
  };
  ASSERT_TRUE(Contains(ppd_of("twotwin"), made_from(one_uri)) && pages_printer_is("twotwin", "Twin One"))
      << ppd_of("twotwin").substr(0, 3000);

  const CmdResult add = CupsWps({"add", "Twin Two", "--json"});
  ASSERT_EQ(add.status, 0) << add.out << add.err;
  EXPECT_EQ(JsonField(add.out, "queue"), "twotwin");
  EXPECT_EQ(JsonField(add.out, "ppd_was_from"), one_uri.substr(11)) << add.out;
  EXPECT_TRUE(Contains(ppd_of("twotwin"), made_from(two_uri))) << ppd_of("twotwin").substr(0, 3000);
  EXPECT_TRUE(pages_printer_is("twotwin", "Twin Two")) << ppd_of("twotwin").substr(0, 3000);
  EXPECT_TRUE(Contains(Queues(), "device for twotwin: " + two_uri)) << Queues();
  const CmdResult again = CupsWps({"add", "Twin Two"});
  EXPECT_TRUE(Contains(again.out, "has a queue already: twotwin (nothing changed)")) << again.out << again.err;

  std::ofstream(lab_->dir() + "/twin-one-only.conf") << "allow name \"Twin One\"\nwatch-default deny\n";
  {
    auto watch = lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " watch --policy " + lab_->dir() +
                                                    "/twin-one-only.conf 2>&1"});
    EXPECT_TRUE(watch->Seen("'Twin One' has its queue onetwin already; its PPD had been made from another printer (" +
                                two_uri + ") and now is made from 'Twin One'",
                            seconds(60)))
        << watch->Text();
  }
  EXPECT_TRUE(Contains(ppd_of("onetwin"), made_from(one_uri))) << ppd_of("onetwin").substr(0, 3000);
  EXPECT_TRUE(pages_printer_is("onetwin", "Twin One")) << ppd_of("onetwin").substr(0, 3000);

  for (const auto& [queue, name] : {std::pair{"twotwin", "Twin Two"}, std::pair{"onetwin", "Twin One"}}) {
    const std::string printed = lab_->dir() + "/" + hosts_[name] + "/printed.log";
    const int before = LineCount(printed);
    EXPECT_EQ(WaitForJob(queue, Print(queue, "/usr/share/cups/data/testprint")), "completed");
    EXPECT_EQ(LineCount(printed), before + 1) << "the test page reached " << name;
  }
}

TEST_F(DialogsIntegration, PrinterAddOfAPrinterGoneAtAddTimeFailsAndLeavesNoQueue) {
  const auto [uri, id] = UriAndIdOf(Devices(), "Gone Pk");
  {
    auto follow = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
    ASSERT_TRUE(follow->Seen("\"name\":\"Gone Pk\"", seconds(30)));
    lab_->Run({"stop-printer", "Gone Pk"});
    ASSERT_TRUE(follow->Seen("\"event\":\"removed\"", seconds(30))) << "its advert went away";
  }
  ASSERT_EQ(lab_->Sh("ws", {"lpadmin", "-p", "bystander", "-v", "file:///dev/null"}).status, 0);

  // PrinterAdd sends ppd-name: cupsd runs the driver's `cat` in its main
  // loop. A client that comes meanwhile waits, at most for cat's deadline.
  const std::size_t log_from = FileSize(CupsdLog());
  const auto t0 = std::chrono::steady_clock::now();
  auto add = lab_->Spawn("ws", {"/usr/bin/python3", kClients, "pk-add", "gonepk", uri, PpdNameOf(uri), "Gone Pk"});
  ASSERT_TRUE(WaitForLog(CupsdLog(), log_from, "copy_model: Running \"cups-driverd cat " + PpdNameOf(uri), seconds(30)))
      << "cupsd runs the driver for the new queue";
  const auto asked = std::chrono::steady_clock::now();
  const CmdResult lpstat = lab_->Sh("ws", {"lpstat", "-p", "bystander"});
  EXPECT_NE(lpstat.out.find("printer bystander"), std::string::npos) << lpstat.out << lpstat.err;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count(), 11.0)
      << "lpstat -p answered while cat ran";

  const auto added = add->WaitForLine([](const std::string&) { return true; }, seconds(30));
  ASSERT_TRUE(added);
  EXPECT_EQ(add->Wait(), 0);
  EXPECT_EQ(added->rfind("{\"added\": false, \"error\": \"", 0), 0u) << *added;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 12.0);
  EXPECT_EQ(Queues().find("gonepk"), std::string::npos) << "no queue left: " << Queues();
}

}  // namespace
}  // namespace cupswps::testing
