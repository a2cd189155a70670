#include "discovery/printer.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::discovery {
namespace {

const std::string kUuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
const std::vector<std::string> kTxt = {"ty=Acme TestJet", "rp=ipp/print", "UUID=" + kUuid,
                                       "pdl=application/pdf"};

TEST(PrinterTable, SameIdForIppAndIppsAndBothAddressFamilies) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Office", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpps, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpp, "fe80::1%eth0", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpps, "fe80::1%eth0", 631, kTxt, 3));
  const auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].key, "uuid:" + kUuid);
  EXPECT_EQ(printers[0].addresses, (std::vector<std::string>{"10.0.0.5", "fe80::1%eth0"}));
  EXPECT_EQ(printers[0].services, (std::vector<ServiceType>{ServiceType::kIpps, ServiceType::kIpp}));
}

TEST(PrinterTable, BestEndpointIsIppsOverIppOverOthersAndIpv4First) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kPdlDatastream, "10.0.0.5", 9100, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "fe80::1%eth0", 443, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 443, kTxt));
  const auto p = t.Printers().at(0);
  ASSERT_NE(p.Best(), nullptr);
  EXPECT_EQ(p.Best()->Uri(), "ipps://10.0.0.5:443/ipp/print");
  EXPECT_EQ(p.endpoints[1].Uri(), "ipps://[fe80::1%25eth0]:443/ipp/print");
  EXPECT_EQ(p.endpoints.back().Uri(), "socket://10.0.0.5:9100");
}

TEST(PrinterTable, PortZeroPlaceholderIsNoEndpointButJoinsThePrinterByName) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 0, {}));  // no UUID in its TXT
  const auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].endpoints.size(), 1u);
  EXPECT_EQ(printers[0].services.back(), ServiceType::kPrinter);
}

TEST(PrinterTable, APlaceholderAloneIsNotAPrinter) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 0, {}));
  EXPECT_TRUE(t.Printers().empty());
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  ASSERT_EQ(t.Printers().size(), 1u);
  EXPECT_EQ(t.Printers()[0].key, "uuid:" + std::string(kUuid));
}

TEST(PrinterTable, PrintersWithoutUuidGetAStableNameKey) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Old Laser", ServiceType::kPdlDatastream, "10.0.0.7", 9100, {"ty=Old"}));
  auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].key, "name:Old Laser");
  // Same printer, new address: same key.
  t.Clear();
  t.Upsert(MakeAdvert("Old Laser", ServiceType::kPdlDatastream, "10.0.0.9", 9100, {"ty=Old"}));
  EXPECT_EQ(t.Printers().at(0).key, "name:Old Laser");
}

TEST(PrinterTable, DifferentUuidsAreDifferentPrintersEvenWithTheSameName) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Printer", ServiceType::kIpp, "10.0.0.5", 631, {"UUID=" + kUuid}));
  t.Upsert(MakeAdvert("Printer", ServiceType::kIpp, "10.0.0.6", 631,
                      {"UUID=00000000-0000-0000-0000-000000000001"}, 3));
  // The placeholder is ambiguous between them and becomes its own name-keyed entry.
  t.Upsert(MakeAdvert("Printer", ServiceType::kPrinter, "10.0.0.6", 515, {}));
  EXPECT_EQ(t.Printers().size(), 3u);
}

TEST(PrinterTable, RemovingTheLastAdvertRemovesThePrinter) {
  PrinterTable t;
  const Advert ipp = MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt);
  const Advert ipps = MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 631, kTxt);
  t.Upsert(ipp);
  t.Upsert(ipps);
  EXPECT_TRUE(t.Remove(ipps.id));
  EXPECT_EQ(t.Printers().size(), 1u);
  EXPECT_TRUE(t.Remove(ipp.id));
  EXPECT_TRUE(t.Printers().empty());
  EXPECT_FALSE(t.Remove(ipp.id));
}

TEST(PrinterTable, NamesWithControlCharactersAreCleaned) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Evil\nName\x1b[31m", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  EXPECT_EQ(t.Printers().at(0).name, "Evil Name [31m");
}

TEST(PrinterTable, AdvertWhoseNameIsOnlyControlCharactersIsDropped) {
  PrinterTable t;
  t.Upsert(MakeAdvert("\x01\x02\n", ServiceType::kIpp, "10.0.0.5", 631, {}));
  EXPECT_TRUE(t.Printers().empty());
}

TEST(PrinterTable, MergedFieldsPreferTheIppsAdvert) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, {"UUID=" + kUuid, "ty=From IPP", "note=Hall"}));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 631, {"UUID=" + kUuid, "ty=From IPPS"}));
  const auto p = t.Printers().at(0);
  EXPECT_EQ(p.info.make_and_model, "From IPPS");
  EXPECT_EQ(p.info.location, "Hall");  // filled from the next advert
}

}  // namespace
}  // namespace cupswps::discovery
