// A GoogleTest suite whose tests share one lab, up for the whole suite. The
// test program names its lab with CUPS_WPS_LAB_ID (see tests/CMakeLists.txt).
// A suite that needs more (an access point, policy files) defines its own
// SetUpTestSuite and calls LabSuite::SetUpTestSuite first.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/lab.h"

namespace cupswps::testing {

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

  static inline Lab* lab_ = nullptr;
};

}  // namespace cupswps::testing
