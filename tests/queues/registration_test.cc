#include "queues/registration.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"
#include "tests/queues/fake_queue_admin.h"
#include "tests/support/temp_file.h"

namespace cupswps::queues {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

discovery::Printer Office(ServiceType type = ServiceType::kIpps) {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert("Office Jet #2", type, "10.0.0.5", 631,
                      {"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42", "rp=ipp/print", "note=Hall"}));
  return t.Printers().at(0);
}

// A PPD file the fake "validation" made, as MakeDriverlessPpd would: a
// file of this test's own (tests run in parallel).
struct PpdFile : cupswps::testing::TempFile {
  PpdFile() : TempFile("*PPD-Adobe: \"4.3\"\n") {}
};

RegisterOptions Opts(const PpdFile& ppd) {
  RegisterOptions o;
  o.make_ppd = [path = ppd.path](const discovery::Printer&, const discovery::Endpoint&) -> Result<std::string> {
    return path;
  };
  return o;
}

TEST(Registration, CreatesTheQueueWithItsPpdAndWpsUriInOneStep) {
  FakeQueueAdmin admin;
  PpdFile ppd;
  auto r = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->queue, "Office_Jet_2");
  EXPECT_EQ(admin.log, (std::vector<std::string>{"create Office_Jet_2 wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42 ppd " +
                                                 ppd.path}));
  EXPECT_EQ(admin.queues.at("Office_Jet_2").info, "Office Jet #2");
  EXPECT_FALSE(ppd.Exists()) << "the temporary PPD is removed";
}

TEST(Registration, IsIdempotent) {
  FakeQueueAdmin admin;
  PpdFile ppd;
  ASSERT_TRUE(RegisterPrinter(admin, Office(), Opts(ppd)));
  admin.log.clear();
  auto again = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->queue, "Office_Jet_2");
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, RefusedAttributesCreateNothing) {
  FakeQueueAdmin admin;
  RegisterOptions o;
  o.make_ppd = [](const discovery::Printer&, const discovery::Endpoint&) -> Result<std::string> {
    return Error{ErrorCode::kRefused, "Refusing", ""};
  };
  auto r = RegisterPrinter(admin, Office(), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, AFailedCreateLeavesNoQueueAndNoPpdFile) {
  FakeQueueAdmin admin;
  admin.fail_create = true;
  PpdFile ppd;
  auto r = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCupsUnavailable);
  EXPECT_TRUE(admin.queues.empty());
  EXPECT_FALSE(ppd.Exists());
}

TEST(Registration, OnlyIppPrintersAreAccepted) {
  FakeQueueAdmin admin;
  PpdFile ppd;
  auto r = RegisterPrinter(admin, Office(ServiceType::kPdlDatastream), Opts(ppd));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, ANameTakenMeanwhileGetsTheNextSuffix) {
  FakeQueueAdmin admin;
  admin.sneak_in_before_create = true;
  PpdFile ppd;
  auto r = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->queue, "Office_Jet_2_2");
  EXPECT_EQ(admin.queues.at("Office_Jet_2").device_uri, "ipp://other/") << "the other queue is untouched";
}

TEST(QueueName, SafeForCupsAndUnique) {
  EXPECT_EQ(QueueNameFor("Test Printer 1"), "Test_Printer_1");
  EXPECT_EQ(QueueNameFor("HP/OfficeJet #3 (Hall)"), "HP_OfficeJet_3_Hall");
  EXPECT_EQ(QueueNameFor("\n\t"), "printer");
  EXPECT_EQ(QueueNameFor("Imprimante \xC3\xA9tage"), "Imprimante_tage");
  EXPECT_EQ(QueueNameFor(std::string(300, 'a')).size(), 127u);
  EXPECT_EQ(UniqueQueueName("Office", {"office", "Office_2"}), "Office_3");
  EXPECT_EQ(UniqueQueueName(std::string(127, 'a'), {std::string(127, 'a')}).size(), 127u);
}

}  // namespace
}  // namespace cupswps::queues
