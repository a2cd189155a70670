// SPDX-License-Identifier: Apache-2.0
// Identity pinning against real peers: ippeveprinter printers serving IPPS
// with keys of their own, impostors on other hosts advertising a queue's
// UUID, an on-path attacker swapping connections after the check, a printer
// with a new key, one that stops offering IPPS, one that never offered it,
// and names that try to disguise themselves with bidi overrides.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/lab_suite.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const std::string kData = CUPS_WPS_TEST_DATA;
const std::string kPdf = "/usr/share/cups/data/default-testpage.pdf";

class IdentityIntegration : public LabSuite {
 protected:
  // An ippeveprinter attributes file (mover.conf) with this UUID: printers
  // made from it advertise the UUID, whichever host they are on.
  static std::string AttributesWithUuid(const std::string& uuid) {
    std::string s = FileText(kData + "/mover.conf");
    const std::string old = "11111111-2222-3333-4444-555555555555";
    s.replace(s.find(old), old.size(), uuid);
    const std::string path = lab_->dir() + "/attributes-" + uuid + ".conf";
    std::ofstream(path) << s;
    return path;
  }

  static std::string File(const std::string& host, const std::string& name) {
    return FileText(lab_->dir() + "/" + host + "/" + name);
  }
  static int Printed(const std::string& host) { return LineCount(lab_->dir() + "/" + host + "/printed.log"); }
  // Whether a printer received any IPP request at all (TLS handshakes are not requests).
  static bool GotRequests(const std::string& host) {
    return File(host, "log/ippeveprinter.log").find("POST ") != std::string::npos;
  }

  // A lab host's IPv4 address, from `cups-wps-lab status`.
  static std::string Address(const std::string& host) {
    std::istringstream status(lab_->Run({"status"}).out);
    for (std::string name, address, rest; status >> name >> address && std::getline(status, rest);) {
      if (name == host) return address;
    }
    return "";
  }

  // `lpstat -l -p QUEUE`: its state, message and alerts (state reasons).
  static std::string QueueStatus(const std::string& queue) {
    return lab_->Sh("ws", {"lpstat", "-l", "-p", queue}).out;
  }
  // cupsd has no event for a queue stopping without a subscription: poll.
  static bool WaitUntilStopped(const std::string& queue) {
    for (auto end = std::chrono::steady_clock::now() + seconds(60); std::chrono::steady_clock::now() < end;) {
      if (QueueStatus(queue).find("disabled") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // Makes the queue for a printer; returns the key it pinned.
  static std::string AddQueue(const std::string& printer, const std::string& queue) {
    const CmdResult add = CupsWps({"add", printer, "--name", queue, "--json"});
    EXPECT_EQ(add.status, 0) << add.out << add.err;
    EXPECT_EQ(JsonField(add.out, "identity"), "tls") << add.out;
    return JsonField(add.out, "key");
  }

  static void ExpectStoppedNamingTrust(const std::string& queue) {
    const std::string status = QueueStatus(queue);
    EXPECT_NE(status.find("cups-pki-changed"), std::string::npos) << status;
    EXPECT_NE(status.find("The printer answering for this queue is not the one it was made for; if it was reset "
                          "or replaced, run 'cups-wps trust " + queue + "'."),
              std::string::npos)
        << status;
  }

  // A `list --follow --json --all` on ws, to wait for what changes.
  static std::unique_ptr<Child> Follow() {
    return lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
  }
  static bool SeenLine(Child& follow, const std::vector<std::string>& parts) {
    return follow
        .WaitForLine(
            [&](const std::string& l) {
              for (const std::string& p : parts) {
                if (l.find(p) == std::string::npos) return false;
              }
              return true;
            },
            seconds(30))
        .has_value();
  }
};

TEST_F(IdentityIntegration, AnImpostorAloneGetsNoJobAndTheQueueStopsNamingTrust) {
  const std::string uuid = "1d000001-2222-4333-8444-555555555555";
  const std::string attrs = AttributesWithUuid(uuid);
  AddPrinterAndWait("Id Real", {"--attributes", attrs});
  AddQueue("Id Real", "id_real");

  // The real printer sleeps; another host claims its UUID.
  auto follow = Follow();
  lab_->Run({"stop-printer", "Id Real"});
  ASSERT_TRUE(SeenLine(*follow, {"\"event\":\"removed\"", uuid}));
  const std::string impostor = AddPrinterAndWait("Id Impostor", {"--attributes", attrs});

  const int job = Print("id_real", kPdf);
  ASSERT_TRUE(WaitUntilStopped("id_real")) << QueueStatus("id_real");
  ExpectStoppedNamingTrust("id_real");
  EXPECT_EQ(JobState("id_real", job), "pending") << "the job is kept for the real printer";
  EXPECT_EQ(Printed(impostor), 0);
  EXPECT_FALSE(GotRequests(impostor)) << "not one IPP request reached the impostor:\n"
                                      << File(impostor, "log/ippeveprinter.log");
}

TEST_F(IdentityIntegration, WithTheRealPrinterUpTooTheJobPrintsThereEvenWhenTheImpostorIsTriedFirst) {
  const std::string uuid = "1d000002-2222-4333-8444-555555555555";
  const std::string attrs = AttributesWithUuid(uuid);
  // The impostor's host comes first (the lower address: checked first).
  auto follow = Follow();
  const std::string impostor = AddPrinterAndWait("Id Early Impostor", {"--attributes", attrs});
  lab_->Run({"stop-printer", "Id Early Impostor"});
  ASSERT_TRUE(SeenLine(*follow, {"\"event\":\"removed\"", uuid}));
  const std::string real = AddPrinterAndWait("Id Late Real", {"--attributes", attrs});
  AddQueue("Id Late Real", "id_late");

  lab_->Run({"start-printer", "Id Early Impostor"});
  ASSERT_TRUE(SeenLine(*follow, {uuid, "\"" + Address(impostor) + "\"", "\"" + Address(real) + "\""}));
  const int job = Print("id_late", kPdf);
  EXPECT_EQ(WaitForJob("id_late", job), "completed");
  EXPECT_EQ(Printed(real), 1);
  EXPECT_TRUE(GotRequests(real)) << "the check sees the requests of a printer that printed";
  EXPECT_EQ(Printed(impostor), 0);
  EXPECT_FALSE(GotRequests(impostor));
  const std::string log = lab_->Sh("ws", {"cat", lab_->dir() + "/ws/cups/log/error_log"}).out;
  EXPECT_NE(log.find("ipps://" + Address(impostor) + ":8000/ipp/print: another key"), std::string::npos)
      << "the impostor answered and was checked first";
  EXPECT_EQ(QueueStatus("id_late").find("cups-pki-changed"), std::string::npos);
}

TEST_F(IdentityIntegration, ASwapAfterTheCheckIsCaughtInTheSessionThatWouldCarryTheJob) {
  const std::string uuid = "1d000003-2222-4333-8444-555555555555";
  const std::string real = AddPrinterAndWait("Id Swap Real", {"--attributes", AttributesWithUuid(uuid)});
  AddQueue("Id Swap Real", "id_swap");
  // The real printer keeps its key but goes quiet on mDNS; an attacker
  // advertises its UUID and relays the first connection (the check) to it,
  // every later one to an impostor of its own.
  auto follow = Follow();
  lab_->Run({"stop-printer", "Id Swap Real"});
  lab_->Run({"start-printer", "Id Swap Real", "--ipp-only"});
  lab_->Run({"unadvertise", real, "Id Swap Real"});
  const std::string impostor = lab_->AddPrinter("Id Swap Impostor", {"--ipp-only"});
  lab_->Run({"unadvertise", impostor, "Id Swap Impostor"});
  auto proxy = lab_->Spawn(impostor, {"python3", kData + "/swap_proxy.py", "9000", Address(real) + ":8000",
                                      "127.0.0.1:8000", "1"});
  ASSERT_TRUE(proxy->WaitForLineContaining("listening", seconds(10)));
  lab_->Run({"advertise", impostor, "Id Swap", "_ipps._tcp", "9000", "rp=ipp/print", "UUID=" + uuid,
             "ty=Acme Mover 100", "pdl=application/pdf"});
  ASSERT_TRUE(SeenLine(*follow, {uuid, "ipps://" + Address(impostor) + ":9000/"}));

  const int job = Print("id_swap", kPdf);
  ASSERT_TRUE(WaitUntilStopped("id_swap")) << QueueStatus("id_swap");
  ExpectStoppedNamingTrust("id_swap");
  EXPECT_TRUE(proxy->Seen("connection 1 -> real", seconds(1))) << proxy->Text();
  EXPECT_TRUE(proxy->Seen("connection 2 -> impostor", seconds(1))) << proxy->Text();
  EXPECT_EQ(JobState("id_swap", job), "pending");
  EXPECT_EQ(Printed(impostor), 0);
  EXPECT_FALSE(GotRequests(impostor)) << File(impostor, "log/ippeveprinter.log");
  lab_->Run({"unadvertise", impostor, "Id Swap"});
}

TEST_F(IdentityIntegration, ANewKeyHoldsJobsUntilTrustPinsIt) {
  const std::string host = AddPrinterAndWait("Id Rekey", {"--attributes", AttributesWithUuid("1d000004-2222-4333-8444-555555555555")});
  const std::string old_key = AddQueue("Id Rekey", "id_rekey");
  ASSERT_EQ(WaitForJob("id_rekey", Print("id_rekey", kPdf)), "completed");

  auto follow = Follow();
  lab_->Run({"rekey-printer", "Id Rekey"});
  ASSERT_TRUE(SeenLine(*follow, {"\"event\":\"added\"", "\"name\":\"Id Rekey\""}));
  const int held = Print("id_rekey", kPdf);
  ASSERT_TRUE(WaitUntilStopped("id_rekey")) << QueueStatus("id_rekey");
  ExpectStoppedNamingTrust("id_rekey");
  EXPECT_EQ(JobState("id_rekey", held), "pending");
  EXPECT_EQ(Printed(host), 1);

  const CmdResult trust = CupsWps({"trust", "id_rekey", "--yes"});
  ASSERT_EQ(trust.status, 0) << trust.out << trust.err;
  EXPECT_NE(trust.out.find("  pinned: " + old_key + " ('Id Rekey' at ipps://" + Address(host)), std::string::npos)
      << trust.out;
  EXPECT_NE(trust.out.find("  now:    sha256/"), std::string::npos) << trust.out;
  EXPECT_EQ(trust.out.find("  now:    " + old_key), std::string::npos) << trust.out;
  EXPECT_EQ(WaitForJob("id_rekey", held), "completed");
  EXPECT_EQ(Printed(host), 2);
  EXPECT_EQ(QueueStatus("id_rekey").find("cups-pki-changed"), std::string::npos);
}

TEST_F(IdentityIntegration, APrinterPinnedWithIppsGetsNoJobOverPlainIpp) {
  const std::string uuid = "1d000005-2222-4333-8444-555555555555";
  const std::string host = AddPrinterAndWait("Id Downgrade", {"--attributes", AttributesWithUuid(uuid)});
  AddQueue("Id Downgrade", "id_down");
  auto follow = Follow();
  lab_->Run({"stop-printer", "Id Downgrade"});
  lab_->Run({"start-printer", "Id Downgrade", "--ipp-only"});
  ASSERT_TRUE(SeenLine(*follow, {uuid, "\"services\":[\"ipp\"]"}));
  const std::size_t log_before = File(host, "log/ippeveprinter.log").size();

  const int job = Print("id_down", kPdf);
  ASSERT_TRUE(WaitUntilStopped("id_down")) << QueueStatus("id_down");
  ExpectStoppedNamingTrust("id_down");
  EXPECT_EQ(JobState("id_down", job), "pending");
  EXPECT_EQ(Printed(host), 0);
  EXPECT_EQ(File(host, "log/ippeveprinter.log").substr(log_before).find("POST "), std::string::npos)
      << "no request over plain IPP";
}

TEST_F(IdentityIntegration, AnIppOnlyPrinterIsUnverifiedAndRequireTlsRefusesIt) {
  const std::string host = AddPrinterAndWait("Id Plain", {"--ipp-only"});
  const CmdResult list = CupsWps({"list", "--json"});
  const std::size_t at = list.out.find("\"name\":\"Id Plain\"");
  ASSERT_NE(at, std::string::npos) << list.out;
  EXPECT_NE(list.out.substr(at, list.out.find('\n', at) - at).find("\"identity\":\"unverified\""), std::string::npos)
      << list.out;
  const std::string table = CupsWps({"list"}).out;
  EXPECT_NE(table.substr(table.find("Id Plain")).find("unverified"), std::string::npos) << table;

  const CmdResult refused = CupsWps({"add", "Id Plain", "--require-tls"});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("unverified: it offers no IPPS"), std::string::npos) << refused.err;
  std::ofstream(lab_->dir() + "/require-tls.conf") << "require-tls\nallow any\n";
  EXPECT_EQ(CupsWps({"add", "Id Plain", "--policy", lab_->dir() + "/require-tls.conf"}).status, 1);
  EXPECT_EQ(Queues().find("Id_Plain"), std::string::npos);

  const CmdResult add = CupsWps({"add", "Id Plain"});
  ASSERT_EQ(add.status, 0) << add.err;
  EXPECT_NE(add.out.find("identity: unverified"), std::string::npos) << add.out;
  EXPECT_EQ(WaitForJob("Id_Plain", Print("Id_Plain", kPdf)), "completed") << "jobs go by UUID as before";
  EXPECT_EQ(Printed(host), 1);
}

TEST_F(IdentityIntegration, BidiOverridesAreCleanedInListTheBackendListingAndTheQueue) {
  // "Nice Jet" U+202E "gpj.exe": would show as "Nice Jetexe.jpg".
  const std::string name = "Nice Jet\xE2\x80\xAEgpj.exe";
  const std::string clean = "Nice Jetgpj.exe";
  auto follow = Follow();
  lab_->AddPrinter(name, {"--location", "Room\xE2\x81\xA6 5\xE2\x80\x8B\xE2\x81\xA9"});
  ASSERT_TRUE(SeenLine(*follow, {"\"name\":\"" + clean + "\""}));
  auto no_format_characters = [](const std::string& s) {
    return s.find("\xE2\x80\xAE") == std::string::npos && s.find("\xE2\x81\xA6") == std::string::npos &&
           s.find("\xE2\x80\x8B") == std::string::npos && s.find("\\u202") == std::string::npos;
  };

  const std::string list = CupsWps({"list", "--json"}).out;
  EXPECT_NE(list.find("\"name\":\"" + clean + "\""), std::string::npos) << list;
  EXPECT_NE(list.find("\"location\":\"Room 5\""), std::string::npos) << list;
  EXPECT_TRUE(no_format_characters(list)) << list;

  const CmdResult listing = lab_->Sh("ws", {BackendPath()});
  EXPECT_EQ(listing.status, 0) << listing.err;
  EXPECT_NE(listing.out.find("\"" + clean + "\""), std::string::npos) << listing.out;
  EXPECT_TRUE(no_format_characters(listing.out)) << listing.out;

  ASSERT_EQ(CupsWps({"add", clean, "--name", "id_bidi"}).status, 0);
  const std::string info = QueueStatus("id_bidi");
  EXPECT_NE(info.find("Description: " + clean), std::string::npos) << info;
  EXPECT_NE(info.find("Location: Room 5"), std::string::npos) << info;
  EXPECT_TRUE(no_format_characters(info)) << info;
}

}  // namespace
}  // namespace cupswps::testing
