// SPDX-License-Identifier: Apache-2.0
#include "queues/queue.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::queues {
namespace {

using discovery::Advert;
using discovery::MakeAdvert;
using discovery::Printer;
using discovery::PrinterTable;
using discovery::ServiceType;

const std::string kUuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";

Printer OfficePrinter() {
  PrinterTable t;
  Advert a = MakeAdvert("Office Jet", ServiceType::kIpp, "10.0.0.5", 8000, {"UUID=" + kUuid, "rp=ipp/print"});
  a.host_name = "office.local";
  t.Upsert(a);
  return t.Printers().at(0);
}

TEST(FindQueue, MatchesByUuidInAnyUriFormFirst) {
  const Printer p = OfficePrinter();
  EXPECT_EQ(FindQueue(p, {{"a", "", "ipp://10.9.9.9/other"}, {"b", "", "wps://uuid/" + kUuid}}), "b");
  EXPECT_EQ(FindQueue(p, {{"c", "", "dnssd://Other._ipp._tcp.local/?uuid=" + kUuid}}), "c");
  EXPECT_EQ(FindQueue(p, {{"d", "urn:uuid:" + kUuid, "ipp://elsewhere/"}}), "d");
  // UUID beats an address match that comes earlier in the list.
  EXPECT_EQ(FindQueue(p, {{"addr", "", "ipp://10.0.0.5:8000/ipp/print"}, {"uuid", "", "wps://uuid/" + kUuid}}),
            "uuid");
}

TEST(FindQueue, MatchesByHostAndPort) {
  const Printer p = OfficePrinter();
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipp://10.0.0.5:8000/ipp/print"}}), "q");
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipps://OFFICE.local.:8000/ipp/print"}}), "q");
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipp://10.0.0.5/ipp/print"}}), "");  // port 631 differs
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipp://10.0.0.50:8000/ipp/print"}}), "");
}

TEST(FindQueue, MatchesDnssdAndWpsNameUrisByInstanceName) {
  const Printer p = OfficePrinter();
  EXPECT_EQ(FindQueue(p, {{"q", "", "dnssd://Office%20Jet._ipp._tcp.local/"}}), "q");
  EXPECT_EQ(FindQueue(p, {{"q", "", "wps://name/Office%20Jet"}}), "q");
  EXPECT_EQ(FindQueue(p, {{"q", "", "dnssd://Office%20Jet%202._ipp._tcp.local/"}}), "");
}

TEST(FindQueue, AQueueNamingAnotherUuidDoesNotMatchByAddress) {
  const Printer p = OfficePrinter();
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipp://10.0.0.5:8000/ipp/print?uuid=00000000-0000-0000-0000-000000000009"}}), "");
  EXPECT_EQ(FindQueue(p, {{"q", "", "ipp://10.0.0.5:8000/printers/other"}}), "") << "another queue of a server";
}

TEST(FindQueue, IgnoresGarbageUris) {
  const Printer p = OfficePrinter();
  EXPECT_EQ(FindQueue(p, {{"q", "", ""}, {"r", "", "not a uri"}, {"s", "", "file:///dev/null"}}), "");
}

}  // namespace
}  // namespace cupswps::queues
