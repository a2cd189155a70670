// SPDX-License-Identifier: Apache-2.0
#include "backend/cli/selection.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

std::vector<FoundPrinter> Printers() {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert("Office", ServiceType::kIpp, "10.0.0.5", 631,
                      {"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42", "rp=ipp/print"}));
  t.Upsert(MakeAdvert("Hall", ServiceType::kIpp, "10.0.0.6", 631, {"UUID=00000000-0000-0000-0000-000000000001"}));
  t.Upsert(MakeAdvert("Hall", ServiceType::kIpp, "10.0.0.7", 631,
                      {"UUID=00000000-0000-0000-0000-000000000002"}, 3));
  std::vector<FoundPrinter> out;
  for (auto& p : t.Printers()) out.push_back({p, ""});
  return out;
}

TEST(SelectPrinter, ByNameUuidUriOrAddress) {
  const auto printers = Printers();
  for (const char* what : {"office", "FBA4DF06-019D-30C1-59E7-8B56D39CDB42", "wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42",
                           "ipp://10.0.0.5:631/ipp/print", "10.0.0.5", "uuid:fba4df06-019d-30c1-59e7-8b56d39cdb42"}) {
    auto r = SelectPrinter(printers, what);
    ASSERT_TRUE(r) << what << ": " << r.error().message;
    EXPECT_EQ(r->printer.name, "Office");
  }
}

TEST(SelectPrinter, AmbiguousAndUnknownNamesSayWhatToDo) {
  const auto printers = Printers();
  auto amb = SelectPrinter(printers, "Hall");
  ASSERT_FALSE(amb);
  EXPECT_NE(amb.error().message.find("names 2 printers"), std::string::npos) << amb.error().message;
  auto none = SelectPrinter(printers, "Nope");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("cups-wps list"), std::string::npos);
}

}  // namespace
}  // namespace cupswps::backend
