// SPDX-License-Identifier: Apache-2.0
#include "backend/cli/list_view.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

std::vector<FoundPrinter> Two() {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert("Office", ServiceType::kIpps, "10.0.0.5", 631,
                      {"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42", "ty=Acme One", "rp=ipp/print"}));
  t.Upsert(MakeAdvert("Hall \"2\"", ServiceType::kPdlDatastream, "10.0.0.6", 9100, {}));
  auto printers = t.Printers();
  return {{printers[0], ""}, {printers[1], "office_queue"}};
}

TEST(ListView, JsonHasTheDocumentedFieldsAndEscapes) {
  const std::string j = PrintersJson(Two());
  EXPECT_NE(j.find(R"("name":"Hall \"2\"")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("uuid":null)"), std::string::npos);
  EXPECT_NE(j.find(R"("queue":"office_queue")"), std::string::npos);
  EXPECT_NE(j.find(R"("uri":"ipps://10.0.0.5:631/ipp/print")"), std::string::npos);
  EXPECT_NE(j.find(R"("device_uri":"wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42")"), std::string::npos);
  EXPECT_NE(j.find(R"("services":["ipps"],"identity":"tls")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("services":["pdl-datastream"],"identity":"unverified")"), std::string::npos) << j;
  EXPECT_EQ(PrintersJson({}), "[]\n");
}

TEST(ListView, TableShowsAddressProtocolsAndQueue) {
  const std::string t = PrintersTable(Two(), 0);
  EXPECT_NE(t.find("NAME"), std::string::npos);
  EXPECT_NE(t.find("10.0.0.6:9100"), std::string::npos);
  EXPECT_NE(t.find("pdl-datastream"), std::string::npos);
  EXPECT_NE(t.find("IDENTITY"), std::string::npos);
  EXPECT_NE(t.find("unverified"), std::string::npos);
  EXPECT_NE(t.find("office_queue"), std::string::npos);
  EXPECT_NE(t.find("no queue"), std::string::npos);
  EXPECT_EQ(t.find("POLICY"), std::string::npos) << "no policy column when policy admits everything";
}

TEST(ListView, PolicyColumnAndFieldsSayWhy) {
  auto printers = Two();
  printers[0].admitted = false;
  printers[0].auto_register = false;
  printers[0].policy_note = "denied by rule at line 2 (deny any)";
  EXPECT_NE(PrintersTable(printers, 0).find("POLICY"), std::string::npos);
  EXPECT_NE(PrintersJson(printers).find(R"js("admitted":false,"auto_register":false,"policy":"denied by rule at line 2 (deny any)")js"),
            std::string::npos);
}

}  // namespace
}  // namespace cupswps::backend
