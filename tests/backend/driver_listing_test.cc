// SPDX-License-Identifier: Apache-2.0
#include "backend/driver_listing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "backend/report.h"
#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

constexpr char kUuid[] = "fba4df06-019d-30c1-59e7-8b56d39cdb42";

discovery::Printer PrinterWith(std::vector<std::string> txt, const std::string& name = "Office Jet") {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert(name, ServiceType::kIpp, "10.0.0.5", 631, std::move(txt)));
  return t.Printers().at(0);
}

// cups-driverd's own reading of a driver's line (CUPS 2.4.2,
// scheduler/cups-driverd.cxx, load_drivers): same buffers, same format.
struct DriverdFields {
  int count = 0;
  char name[256] = "", languages[128] = "", make[128] = "", make_and_model[128] = "", device_id[256] = "",
       product[128] = "", psversion[128] = "", type[128] = "";
};
DriverdFields ReadLikeCupsDriverd(const std::string& line) {
  DriverdFields f;
  f.count = std::sscanf(line.c_str(),
                        "\"%255[^\"]\"%127s%*[ \t]\"%127[^\"]\""
                        "%*[ \t]\"%127[^\"]\"%*[ \t]\"%255[^\"]\""
                        "%*[ \t]\"%127[^\"]\"%*[ \t]\"%127[^\"]\""
                        "%*[ \t]\"%127[^\"]\"",
                        f.name, f.languages, f.make, f.make_and_model, f.device_id, f.product, f.psversion, f.type);
  return f;
}

// One line, ending in LF, no other line ending, and cups-driverd reads all six fields.
void ExpectOneGoodLine(const std::string& line) {
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  EXPECT_EQ(ReadLikeCupsDriverd(line).count, 6) << line;
}

TEST(DriverPpdName, NamesThePrinterByUuidElseByPercentEncodedName) {
  EXPECT_EQ(DriverPpdName(PrinterWith({std::string("UUID=") + kUuid})), std::string("cups-wps:uuid/") + kUuid);
  EXPECT_EQ(DriverPpdName(PrinterWith({})), "cups-wps:name/Office%20Jet");
}

TEST(DriverPpdName, ParsesWhatItPrintsAndNothingElse) {
  const auto by_uuid = ParseDriverPpdName(std::string("cups-wps:uuid/") + kUuid);
  ASSERT_TRUE(by_uuid);
  EXPECT_EQ(by_uuid->uuid, kUuid);
  const auto by_name = ParseDriverPpdName("cups-wps:name/Office%20Jet");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->name, "Office Jet");
  const std::string upper = "cups-wps:uuid/FBA4DF06-019D-30C1-59E7-8B56D39CDB42";
  for (const std::string& bad :
       {std::string(""), std::string("cups-wps:"), std::string("cups-wps:uuid/"), std::string("cups-wps:uuid/x"),
        upper, std::string("cups-wps:uuid/") + kUuid + "/", std::string("cups-wps:uuid/") + kUuid + "x",
        std::string("cups-wps:uuid/urn:uuid:") + kUuid, std::string("driverless:uuid/") + kUuid,
        std::string("wps://uuid/") + kUuid, std::string("cups-wps:name/"), std::string("cups-wps:name/Office Jet"),
        std::string("cups-wps:name/Office%2"), std::string("cups-wps:name/Office%2fJet"),
        std::string("cups-wps:name/%0A"), std::string("cups-wps:name/%FF"), std::string("cups-wps:host/10.0.0.5"),
        std::string("cups-wps:name/../etc"), std::string("cups-wps:name/") + std::string(250, 'a')}) {
    EXPECT_FALSE(ParseDriverPpdName(bad)) << bad;
  }
}

TEST(DriverListLine, ListsMakeModelNameVersionTheBackendsDeviceIdAndTheProduct) {
  const discovery::Printer p = PrinterWith({std::string("UUID=") + kUuid, "ty=Acme TestJet 8000",
                                            "pdl=application/pdf,image/urf,image/pwg-raster"});
  const std::string line = DriverListLine(p, "0.1.0");
  EXPECT_EQ(line, std::string("\"cups-wps:uuid/") + kUuid +
                      "\" en \"Acme\" \"cups-wps Acme TestJet 8000 [Office Jet / fba4df06], driverless 0.1.0\" "
                      "\"MFG:Acme;MDL:TestJet 8000 [Office Jet / fba4df06];CMD:PDF,URF,PWGRaster;SN:" + kUuid +
                      ";\" \"(TestJet 8000)\"\n");
  ExpectOneGoodLine(line);
  EXPECT_EQ(ReadLikeCupsDriverd(line).device_id, DeviceId(p)) << "the backend's device ID, byte for byte";
}

TEST(DriverListLine, UnknownMakeAndModelStillMakeAFullLine) {
  const std::string line = DriverListLine(PrinterWith({}), "0.1.0");
  EXPECT_EQ(line,
            "\"cups-wps:name/Office%20Jet\" en \"Unknown\" \"cups-wps Unknown [Office Jet], driverless 0.1.0\" "
            "\"MFG:Unknown;MDL:Unknown [Office Jet];\" \"(Unknown)\"\n");
  ExpectOneGoodLine(line);
}

TEST(DriverListLine, HostileTxtNeitherAddsNorCutsLines) {
  // Quotes and every line ending cups-driverd knows (CR, LF) in every field;
  // the TXT parser already drops control characters, the printer name may
  // carry them from the instance name.
  const discovery::Printer p = PrinterWith(
      {std::string("UUID=") + kUuid, "ty=Evil\" \"x\" Jet", "usb_MFG=Ev\"il", "usb_MDL=Jet\"\"9",
       "pdl=application/pdf"},
      "Name\"\r\n\"cups-wps:uuid/x\" en \"A\" \"B\"");
  const std::string line = DriverListLine(p, "0.1.0");
  ExpectOneGoodLine(line);
  const DriverdFields f = ReadLikeCupsDriverd(line);
  EXPECT_EQ(std::string(f.name), std::string("cups-wps:uuid/") + kUuid);
  EXPECT_EQ(std::string(f.make), "Evil");
  EXPECT_EQ(std::string(f.device_id),
            std::string("MFG:Evil;MDL:Jet9 [Name cups-wpsuuidx en A B / fba4df06];CMD:PDF;SN:") + kUuid + ";");
  EXPECT_EQ(std::string(f.product), "(Jet9)");
}

TEST(DriverListLine, LongFieldsAreCutOnCharacterBoundariesWithinCupsDriverdsBuffers) {
  const std::string e_acute = "\xC3\xA9";  // two bytes
  std::string long_model;
  for (int i = 0; i < 120; ++i) long_model += e_acute;  // 240 bytes
  const discovery::Printer p =
      PrinterWith({std::string("UUID=") + kUuid, "usb_MFG=" + long_model, "usb_MDL=" + long_model,
                   "pdl=application/pdf,image/urf,image/pwg-raster,application/postscript"},
                  std::string(100, 'N'));
  const std::string line = DriverListLine(p, "0.1.0");
  ExpectOneGoodLine(line);
  const DriverdFields f = ReadLikeCupsDriverd(line);
  EXPECT_LE(std::strlen(f.make), kMaxMakeBytes);
  EXPECT_LE(std::strlen(f.make_and_model), kMaxMakeAndModelBytes);
  EXPECT_NE(std::string(f.make_and_model).find(", driverless 0.1.0"), std::string::npos)
      << "the version stays: " << f.make_and_model;
  EXPECT_LE(std::strlen(f.device_id), kMaxDeviceIdBytes);
  EXPECT_EQ(std::string(f.device_id).rfind("MFG:", 0), 0u);
  EXPECT_LE(std::strlen(f.product), kMaxProductBytes);
  for (const char* field : {f.make, f.make_and_model, f.device_id, f.product}) {
    const std::string s(field);
    EXPECT_NE(static_cast<unsigned char>(s.back()) & 0xC0, 0xC0u) << "not cut inside a character: " << s;
  }
}

TEST(DriverListLine, ANameTooLongForAPpdNameIsNotListed) {
  std::string name;
  for (int i = 0; i < 40; ++i) name += "\xE2\x98\x83";  // 120 bytes, 360 percent-encoded
  EXPECT_EQ(DriverListLine(PrinterWith({}, name), "0.1.0"), "");
  EXPECT_NE(DriverListLine(PrinterWith({std::string("UUID=") + kUuid}, name), "0.1.0"), "")
      << "with a UUID the name does not matter";
}

TEST(FitDeviceId, DropsSnThenCmdThenCutsTheModel) {
  const std::string id = "MFG:Acme;MDL:Jet;CMD:PDF;SN:1234;";
  EXPECT_EQ(FitDeviceId(id, 255), id);
  EXPECT_EQ(FitDeviceId(id, 26), "MFG:Acme;MDL:Jet;CMD:PDF;");
  EXPECT_EQ(FitDeviceId(id, 20), "MFG:Acme;MDL:Jet;");
  EXPECT_EQ(FitDeviceId(id, 15), "MFG:Acme;MDL:J;");
}

}  // namespace
}  // namespace cupswps::backend
