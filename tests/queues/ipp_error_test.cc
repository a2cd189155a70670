// SPDX-License-Identifier: Apache-2.0
// The sentence a user reads when cupsd refuses to change a queue.
#include "queues/ipp_error.h"

#include <gtest/gtest.h>

namespace cupswps::queues {
namespace {

TEST(SchedulerRefusal, OverTcpNamesTheLocalSocketAndCupsServer) {
  const std::string s = SchedulerRefusal("127.0.0.1:8631", "create the queue Office");
  EXPECT_EQ(s,
            "The CUPS scheduler at 127.0.0.1:8631 refused to create the queue Office: CUPS accepts local "
            "administration only through its socket, not over TCP; unset CUPS_SERVER, or set it to "
            "/run/cups/cups.sock.");
  EXPECT_EQ(s.find("run as root"), std::string::npos);
}

TEST(SchedulerRefusal, OnTheSocketNamesRootAndTheLpadminGroup) {
  EXPECT_EQ(SchedulerRefusal("/run/cups/cups.sock", "delete the queue Office"),
            "The CUPS scheduler refused to delete the queue Office: run as root or as a member of the lpadmin "
            "group.");
}

}  // namespace
}  // namespace cupswps::queues
