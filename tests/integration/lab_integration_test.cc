// SPDX-License-Identifier: Apache-2.0
// The lab itself: `down` after an interrupted run leaves no namespace,
// process or file behind.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include "tests/support/lab.h"

namespace cupswps::testing {
namespace {

using std::chrono::seconds;

const std::string kId = CUPS_WPS_LAB_ID;
const std::string kDir = "/tmp/cups-wps-lab-" + kId;

std::vector<std::string> LabEnv() {
  return {"env", "CUPS_WPS_LAB_ID=" + kId, "CUPS_WPS_LAB_DIR=" + kDir, "CUPS_WPS_LAB_QUIET=1", LabScriptPath()};
}

CmdResult LabCmd(std::vector<std::string> args) {
  std::vector<std::string> argv = LabEnv();
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

// PIDs of the processes started with this lab's CUPS_WPS_LAB_ID in their
// environment (the lab's commands, and the helpers they leave running).
std::string ProcessesOfThisLab() {
  const std::string needle = "CUPS_WPS_LAB_ID=" + kId + '\0';
  std::string found;
  for (const auto& [pid, env] : EveryProcess("environ")) {
    if (env.find(needle) != std::string::npos) found += pid + " ";
  }
  return found;
}

TEST(Lab, DownAfterAnInterruptedRunLeavesNothingBehind) {
  ASSERT_EQ(LabCmd({"up", "--backend", BackendPath()}).status, 0);
  ASSERT_EQ(LabCmd({"ap-up"}).status, 0);
  ASSERT_EQ(LabCmd({"add-printer", "Left Behind"}).status, 0);
  ASSERT_EQ(LabCmd({"add-printer", "Half Set Up", "--wps"}).status, 0);
  // Its own access point: wpa_supplicant on ws, and ws's network manager.
  ASSERT_EQ(LabCmd({"add-printer", "Own Hotspot", "--own-ap"}).status, 0);
  EXPECT_NE(ProcessesOfThisLab(), "") << "the lab leaves helpers running while it is up";
  // A run interrupted while it adds a printer: killed with no chance to clean up.
  std::vector<std::string> argv = LabEnv();
  argv.insert(argv.end(), {"add-printer", "Interrupted"});
  {
    Child adding(argv);
    // Kill it once its host's namespace exists, before it has finished.
    bool made = false;
    for (int i = 0; i < 500 && !made && adding.Running(); ++i) {
      made = RunCommand({"ip", "netns", "list"}).out.find(kId + "-p-interrupted") != std::string::npos;
    }
    adding.Signal(SIGKILL);
    adding.Wait();
    EXPECT_TRUE(made) << "the interrupted run had made its namespace";
  }
  const CmdResult down = LabCmd({"down"});
  EXPECT_EQ(down.status, 0) << down.err;
  const CmdResult ns = RunCommand({"ip", "netns", "list"});
  EXPECT_EQ(ns.out.find(kId + "-"), std::string::npos) << ns.out;
  const CmdResult procs = RunCommand({"pgrep", "-af", kDir});
  EXPECT_EQ(procs.out, "") << "processes of the lab still running";
  EXPECT_EQ(ProcessesOfThisLab(), "") << "processes started by the lab still running";
  struct stat st;
  EXPECT_NE(stat(kDir.c_str(), &st), 0) << kDir << " still exists";
}

TEST(Lab, UpRemovesWhatACrashedRunLeft) {
  ASSERT_EQ(LabCmd({"up", "--backend", BackendPath()}).status, 0);
  ASSERT_EQ(LabCmd({"add-printer", "Old"}).status, 0);
  // No down: the next up finds the old lab and removes it first.
  const CmdResult up = LabCmd({"up", "--backend", BackendPath()});
  EXPECT_EQ(up.status, 0) << up.err;
  EXPECT_EQ(LabCmd({"status"}).out.find("p-old"), std::string::npos);
  EXPECT_EQ(LabCmd({"down"}).status, 0);
}

}  // namespace
}  // namespace cupswps::testing
