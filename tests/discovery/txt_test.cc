// SPDX-License-Identifier: Apache-2.0
#include "discovery/txt.h"

#include <gtest/gtest.h>

namespace cupswps::discovery {
namespace {

TEST(Txt, KeysAreCaseInsensitiveAndFirstOccurrenceWins) {
  const Txt t = ParseTxt({"TY=Acme One", "ty=Evil Two", "UUID=abc"});
  EXPECT_EQ(t.Get("ty"), "Acme One");
  EXPECT_EQ(t.Get("uuid"), "abc");
  ASSERT_EQ(t.problems.size(), 1u);
}

TEST(Txt, DropsBadEntriesWithoutLosingGoodOnes) {
  const std::string oversized(300, 'x');
  const Txt t = ParseTxt({"", "=novalue", std::string("k\x01y=v"), "note=" + oversized,
                          "adminurl=\xFF\xFE", "rp=ipp/print", "flag"});
  EXPECT_FALSE(t.Has("note"));
  EXPECT_FALSE(t.Has("adminurl"));
  EXPECT_EQ(t.Get("rp"), "ipp/print");
  EXPECT_TRUE(t.Has("flag"));
  EXPECT_EQ(t.Get("flag"), "");
  EXPECT_EQ(t.problems.size(), 4u);
}

TEST(Txt, ControlCharactersInValuesAreRemoved) {
  const Txt t = ParseTxt({std::string("ty=Acme\n*FoomaticRIPCommandLine: \"rm -rf\"\r")});
  EXPECT_EQ(t.Get("ty"), "Acme *FoomaticRIPCommandLine: \"rm -rf\"");
  EXPECT_EQ(t.Get("ty").find('\n'), std::string::npos);
}

TEST(Txt, KeepsAtMostSixtyFourEntries) {
  std::vector<std::string> entries;
  for (int i = 0; i < 200; ++i) entries.push_back("k" + std::to_string(i) + "=v");
  EXPECT_EQ(ParseTxt(entries).values.size(), kMaxTxtEntries);
}

TEST(Txt, InterpretsPrinterFields) {
  const PrinterTxt p = InterpretPrinterTxt(ParseTxt(
      {"ty=Acme TestJet 8000", "rp=/ipp/print", "note=Room 4", "pdl=application/pdf,image/urf,bad type",
       "UUID=FBA4DF06-019D-30C1-59E7-8B56D39CDB42", "Color=T", "Duplex=F", "TLS=1.2", "priority=10",
       "adminurl=https://p.local/"}));
  EXPECT_EQ(p.make_and_model, "Acme TestJet 8000");
  EXPECT_EQ(p.manufacturer, "Acme");
  EXPECT_EQ(p.model, "TestJet 8000");
  EXPECT_EQ(p.resource, "ipp/print");
  EXPECT_EQ(p.location, "Room 4");
  EXPECT_EQ(p.pdl, (std::vector<std::string>{"application/pdf", "image/urf"}));
  EXPECT_EQ(p.uuid, "fba4df06-019d-30c1-59e7-8b56d39cdb42");
  EXPECT_TRUE(p.color);
  EXPECT_FALSE(p.duplex);
  EXPECT_TRUE(p.tls);
  EXPECT_EQ(p.priority, 10);
  EXPECT_EQ(p.admin_url, "https://p.local/");
}

TEST(Txt, MakeAndModelFallsBackToUsbFieldsThenProduct) {
  EXPECT_EQ(InterpretPrinterTxt(ParseTxt({"usb_MFG=HP", "usb_MDL=LaserJet 400"})).make_and_model, "HP LaserJet 400");
  const PrinterTxt p = InterpretPrinterTxt(ParseTxt({"product=(Brother HL-L2350DW)"}));
  EXPECT_EQ(p.make_and_model, "Brother HL-L2350DW");
  EXPECT_EQ(p.manufacturer, "Brother");
}

TEST(Txt, RefusesUnsafeResourcePathsAndAdminUrls) {
  EXPECT_EQ(InterpretPrinterTxt(ParseTxt({"rp=../../etc/passwd"})).resource, "");
  EXPECT_EQ(InterpretPrinterTxt(ParseTxt({"rp=ipp/print?x=%0a"})).resource, "");
  EXPECT_EQ(InterpretPrinterTxt(ParseTxt({"adminurl=javascript:alert(1)"})).admin_url, "");
  EXPECT_EQ(InterpretPrinterTxt(ParseTxt({"priority=999"})).priority, 50);
}

}  // namespace
}  // namespace cupswps::discovery
