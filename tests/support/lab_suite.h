// SPDX-License-Identifier: Apache-2.0
// A GoogleTest suite whose tests share one lab, up for the whole suite. The
// test program names its lab with CUPS_WPS_LAB_ID (see tests/CMakeLists.txt).
// A suite that needs more (an access point, policy files) defines its own
// SetUpTestSuite and calls LabSuite::SetUpTestSuite first.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/lab.h"

namespace cupswps::testing {

// Another device answering as a WPS router over UPnP on the lab's LAN
// (cups-wps-lab extender-up), for as long as this lives.
class ExtenderUp {
 public:
  explicit ExtenderUp(Lab* lab) : lab_(lab), uuid_(Trim(lab->Run({"extender-up"}).out)) {}
  ~ExtenderUp() { lab_->Run({"ap-down", "extender"}); }
  ExtenderUp(const ExtenderUp&) = delete;
  ExtenderUp& operator=(const ExtenderUp&) = delete;
  const std::string& uuid() const { return uuid_; }  // what extender-up printed

 private:
  Lab* lab_;
  std::string uuid_;
};

// ws keeps the router's key in another form for the length of a test
// (lab.d/router.sh: station-psk).
class StationPsk {
 public:
  StationPsk(Lab* lab, const std::string& form) : lab_(lab) {
    EXPECT_EQ(lab_->Run({"station-psk", form}).status, 0);
  }
  ~StationPsk() { lab_->Run({"station-psk", "passphrase"}); }
  StationPsk(const StationPsk&) = delete;
  StationPsk& operator=(const StationPsk&) = delete;

 private:
  Lab* lab_;
};

class LabSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lab_ = new Lab(CUPS_WPS_LAB_ID);
    lab_->Up();
  }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }
  // cups-wps ARGS... on the workstation.
  static CmdResult CupsWps(std::vector<std::string> args) {
    args.insert(args.begin(), CupsWpsPath());
    return lab_->Sh("ws", args);
  }
  // `lpstat -v` on the workstation: the queues and their device URIs.
  static std::string Queues() { return lab_->Sh("ws", {"lpstat", "-v"}).out; }

  // Adds a printer and waits until the workstation has resolved it; returns
  // its host name.
  static std::string AddPrinterAndWait(const std::string& name, const std::vector<std::string>& options = {}) {
    auto follow = lab_->Spawn("ws", {CupsWpsPath(), "list", "--follow", "--json", "--all"});
    const std::string host = lab_->AddPrinter(name, options);
    EXPECT_TRUE(follow->Seen("\"name\":\"" + name + "\"", std::chrono::seconds(30))) << name << " never appeared";
    return host;
  }

  // Submits `file` to `queue` with lp; returns the job id.
  static int Print(const std::string& queue, const std::string& file) {
    const CmdResult r = lab_->Sh("ws", {"lp", "-d", queue, file});
    EXPECT_EQ(r.status, 0) << r.err;
    std::smatch m;
    if (!std::regex_search(r.out, m, std::regex("request id is .*-([0-9]+)"))) return -1;
    return std::stoi(m[1]);
  }

  static std::string JobState(const std::string& queue, int job) {
    const CmdResult r = lab_->Sh("ws", {"ipptool", "-d", "job=" + std::to_string(job), "-t",
                                        "ipp://127.0.0.1:631/printers/" + queue,
                                        std::string(CUPS_WPS_TEST_DATA) + "/job-state.test"});
    std::smatch m;
    if (std::regex_search(r.out, m, std::regex("job-state \\(enum\\) = ([a-z-]+)"))) return m[1];
    return "unknown: " + r.out + r.err;
  }

  // cupsd's log on ws (LogLevel debug).
  static std::string CupsdLog() { return lab_->dir() + "/ws/cups/log/error_log"; }
  static std::size_t FileSize(const std::string& path) {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    return f ? static_cast<std::size_t>(f.tellg()) : 0;
  }
  // Waits until `needle` shows up in the log at `path` after byte `from`: a
  // daemon's log is the only place that says where it got to.
  static bool WaitForLog(const std::string& path, std::size_t from, const std::string& needle,
                         std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      std::ifstream f(path, std::ios::binary);
      f.seekg(static_cast<std::streamoff>(from));
      std::stringstream text;
      text << f.rdbuf();
      if (text.str().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // Waits for a job to end (completed, aborted or canceled), or `limit`.
  // cupsd offers no event for this without a subscription, so this polls
  // Get-Job-Attributes.
  static std::string WaitForJob(const std::string& queue, int job,
                                std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::string state;
    for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
      state = JobState(queue, job);
      if (state == "completed" || state == "aborted" || state == "canceled") return state;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return state;
  }

  // `cups-wps setup --json ARGS` on ws, its stderr in the same stream.
  static std::unique_ptr<Child> SpawnSetup(const std::string& args) {
    return lab_->Spawn("ws", {"sh", "-c", "exec " + CupsWpsPath() + " setup --json " + args + " 2>&1"});
  }
  // Reads setup's output to its "done" line (within `limit`) and expects it
  // to exit 0 with `queue`; returns that line, or "" (a failure recorded).
  static std::string ExpectDone(Child& setup, const std::string& queue, std::chrono::seconds limit) {
    const auto done = setup.WaitForLineContaining("\"event\":\"done\"", limit);
    EXPECT_TRUE(done.has_value()) << setup.Text();
    if (!done) return "";
    EXPECT_EQ(setup.Wait(), 0) << setup.Text();
    EXPECT_EQ(JsonField(*done, "queue"), queue) << *done;
    return *done;
  }

  static inline Lab* lab_ = nullptr;
};

}  // namespace cupswps::testing
