// SPDX-License-Identifier: Apache-2.0
#include "backend/report.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

discovery::Printer PrinterWith(std::vector<std::string> txt, const std::string& name = "Office Jet") {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert(name, ServiceType::kIpp, "10.0.0.5", 631, std::move(txt)));
  return t.Printers().at(0);
}

TEST(DeviceReport, NamesThePrinterByUuidWithMakeModelInfoAndLocation) {
  const DeviceReport r = MakeDeviceReport(PrinterWith({"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42",
                                                       "ty=Acme TestJet 8000", "note=Room 4",
                                                       "pdl=application/pdf,image/urf,image/pwg-raster"}));
  EXPECT_EQ(r.device_class, "network");
  EXPECT_EQ(r.uri, "wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42");
  EXPECT_EQ(r.make_and_model, "Acme TestJet 8000");
  EXPECT_EQ(r.info, "Office Jet");
  EXPECT_EQ(r.location, "Room 4");
  EXPECT_EQ(r.device_id,
            "MFG:Acme;MDL:TestJet 8000 [Office Jet / fba4df06];CMD:PDF,URF,PWGRaster;SN:fba4df06-019d-30c1-59e7-8b56d39cdb42;");
}

TEST(DeviceReport, UnknownMakeAndNameUri) {
  const DeviceReport r = MakeDeviceReport(PrinterWith({}));
  EXPECT_EQ(r.make_and_model, "Unknown");
  EXPECT_EQ(r.uri, "wps://name/Office%20Jet");
  EXPECT_EQ(r.device_id, "MFG:Unknown;MDL:Unknown [Office Jet];") << "MFG and MDL always; no UUID, no SN";
}

TEST(DeviceReport, DeviceIdFieldsCannotBeForged) {
  const DeviceReport r = MakeDeviceReport(PrinterWith({"usb_MFG=Acme;CMD:EVIL", "usb_MDL=X:Y"}));
  EXPECT_EQ(r.device_id, "MFG:AcmeCMDEVIL;MDL:XY [Office Jet];");
}

// Two printers of one model: their IDs differ in MDL, which is what the
// dialogs match drivers and title rows on.
TEST(DeviceReport, TwoPrintersOfOneModelHaveTheirOwnModelInTheId) {
  const DeviceReport a = MakeDeviceReport(PrinterWith({"UUID=aaaaaaaa-019d-30c1-59e7-8b56d39cdb42", "ty=Acme Twin 9000"},
                                                      "Twin A"));
  const DeviceReport b = MakeDeviceReport(PrinterWith({"UUID=bbbbbbbb-019d-30c1-59e7-8b56d39cdb42", "ty=Acme Twin 9000"},
                                                      "Twin B"));
  EXPECT_EQ(a.device_id, "MFG:Acme;MDL:Twin 9000 [Twin A / aaaaaaaa];SN:aaaaaaaa-019d-30c1-59e7-8b56d39cdb42;");
  EXPECT_EQ(b.device_id, "MFG:Acme;MDL:Twin 9000 [Twin B / bbbbbbbb];SN:bbbbbbbb-019d-30c1-59e7-8b56d39cdb42;");
}

// The label cannot close the bracket, split the model name or forge a field.
TEST(DeviceReport, TheLabelKeepsToItsBrackets) {
  const DeviceReport r = MakeDeviceReport(
      PrinterWith({"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42", "ty=Acme Jet"}, "Evil], (x);MDL:Y\n/z"));
  EXPECT_EQ(r.device_id, "MFG:Acme;MDL:Jet [Evil xMDLY z / fba4df06];SN:fba4df06-019d-30c1-59e7-8b56d39cdb42;");
}

}  // namespace
}  // namespace cupswps::backend
