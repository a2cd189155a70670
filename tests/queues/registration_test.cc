// SPDX-License-Identifier: Apache-2.0
#include "queues/registration.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

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
  explicit PpdFile(const std::string& made_from = "") : TempFile(PpdMadeFrom(made_from)) {}
  // A PPD as NamePpd marks it: made from the printer with UUID `uuid`.
  static std::string PpdMadeFrom(const std::string& uuid) {
    return "*PPD-Adobe: \"4.3\"\n" + (uuid.empty() ? "" : "*cupswpsPrinterUUID: \"" + uuid + "\"\n");
  }
};

constexpr char kOfficeUuid[] = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
constexpr char kTwinUuid[] = "0c3b3a16-5d1e-4b8a-9f00-0000000000a2";

constexpr char kKeyPin[] = "sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";
constexpr char kOtherKeyPin[] = "sha256/AAAAIb3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";

// `key_pin`: what the printer presents over IPPS ("" when it offers none).
RegisterOptions Opts(const PpdFile& ppd, std::string key_pin = kKeyPin) {
  RegisterOptions o;
  o.make_ppd = [path = ppd.path, key_pin](const discovery::Printer&, const discovery::Endpoint&,
                                          PrinterIdentity* identity) -> Result<std::string> {
    *identity = PrinterIdentity{!key_pin.empty(), key_pin};
    return path;
  };
  return o;
}

// A pin directory of this test's own.
struct PinDir {
  PinDir() {
    std::string pattern = ::testing::TempDir() + "/cups-wps-pins-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~PinDir() { std::filesystem::remove_all(path); }
  // The pinned identity of the printer Office() makes.
  PrinterIdentity Pinned() const {
    return (*PinStore(path).Load("uuid:fba4df06-019d-30c1-59e7-8b56d39cdb42"))->identity;
  }
  std::string path;
};

// Opts that pin into `dir`; `replace_pin` as add (true) or watch (false).
RegisterOptions PinningOpts(const PpdFile& ppd, const PinDir& dir, std::string key_pin = kKeyPin,
                            bool replace_pin = true) {
  RegisterOptions o = Opts(ppd, std::move(key_pin));
  o.pins = PinStore(dir.path);
  o.replace_pin = replace_pin;
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

TEST(Registration, PinsTheIdentityReadWithTheAttributesBeforeTheQueueExists) {
  FakeQueueAdmin admin;
  PpdFile ppd;
  PinDir dir;
  RegisterOptions o = PinningOpts(ppd, dir);
  admin.fail_create = true;
  ASSERT_FALSE(RegisterPrinter(admin, Office(), o));
  auto pin = PinStore(dir.path).Load("uuid:fba4df06-019d-30c1-59e7-8b56d39cdb42");
  ASSERT_TRUE(pin.ok() && pin->has_value()) << "pinned before the queue is made";
  EXPECT_EQ((*pin)->identity, (PrinterIdentity{true, kKeyPin}));
  EXPECT_EQ((*pin)->name, "Office Jet #2");
  EXPECT_EQ((*pin)->uri, "ipps://10.0.0.5:631/ipp/print");

  admin.fail_create = false;
  auto r = RegisterPrinter(admin, Office(), o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->identity, (PrinterIdentity{true, kKeyPin}));
}

TEST(Registration, APrinterWithoutIppsIsPinnedAsUnverified) {
  FakeQueueAdmin admin;
  PpdFile ppd;
  PinDir dir;
  auto r = RegisterPrinter(admin, Office(ServiceType::kIpp), PinningOpts(ppd, dir, ""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->identity.tls);
  EXPECT_FALSE(dir.Pinned().tls);
}

TEST(Registration, AnotherIdentityReplacesAPinOnlyWhenAPersonAskedForIt) {
  FakeQueueAdmin admin;
  PinDir dir;
  PpdFile ppd1, ppd2, ppd3, ppd4;
  ASSERT_TRUE(RegisterPrinter(admin, Office(), PinningOpts(ppd1, dir)));
  admin.queues.clear();  // the queue went (watch --remove-after); the pin stays

  auto refused = RegisterPrinter(admin, Office(), PinningOpts(ppd2, dir, kOtherKeyPin, false));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kRefused);
  EXPECT_NE(refused.error().message.find("does not show the identity pinned for it before"), std::string::npos);
  EXPECT_TRUE(admin.queues.empty());

  ASSERT_TRUE(RegisterPrinter(admin, Office(), PinningOpts(ppd3, dir, kKeyPin, false)))
      << "the same key comes back: registered";
  admin.queues.clear();

  ASSERT_TRUE(RegisterPrinter(admin, Office(), PinningOpts(ppd4, dir, kOtherKeyPin)));
  EXPECT_EQ(dir.Pinned().key_pin, kOtherKeyPin);
}

// A dialog gave the printer's queue its twin's PPD (wps://uuid/<Office>
// with a PPD made from <Twin>).
void QueueWithTwinsPpd(FakeQueueAdmin& admin, const std::string& ppd_made_from) {
  admin.queues["Office"] = {"Office", "", std::string("wps://uuid/") + kOfficeUuid, "Office Jet #2"};
  admin.ppds["Office"] = PpdFile::PpdMadeFrom(ppd_made_from);
}

TEST(Registration, AQueueWithAPpdMadeFromAnotherPrinterGetsOneMadeFromItsOwn) {
  FakeQueueAdmin admin;
  QueueWithTwinsPpd(admin, kTwinUuid);
  PpdFile ppd(kOfficeUuid);
  PinDir dir;
  auto r = RegisterPrinter(admin, Office(), PinningOpts(ppd, dir));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->created);
  EXPECT_EQ(r->queue, "Office");
  EXPECT_EQ(r->ppd_was_from, kTwinUuid);
  EXPECT_EQ(admin.log, std::vector<std::string>{"replace the ppd of Office"});
  EXPECT_EQ(admin.ppds.at("Office"), PpdFile::PpdMadeFrom(kOfficeUuid));
  EXPECT_EQ(admin.queues.at("Office").device_uri, std::string("wps://uuid/") + kOfficeUuid) << "the URI stays";
  EXPECT_EQ(dir.Pinned().key_pin, kKeyPin) << "the identity read with the attributes is pinned";
  EXPECT_FALSE(ppd.Exists());

  admin.log.clear();
  auto again = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ppd_was_from, "");
  EXPECT_TRUE(admin.log.empty()) << "its own PPD stays";
}

TEST(Registration, APpdThatNamesNoPrinterIsLeftAsItIs) {
  FakeQueueAdmin admin;
  QueueWithTwinsPpd(admin, "");  // libcups', a person's choice, an older cups-wps's
  PpdFile ppd(kOfficeUuid);
  auto r = RegisterPrinter(admin, Office(), Opts(ppd));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ppd_was_from, "");
  EXPECT_TRUE(admin.log.empty());

  admin.queues["Office"].device_uri = "ipps://10.0.0.5:631/ipp/print";  // not a wps:// queue
  admin.ppds["Office"] = PpdFile::PpdMadeFrom(kTwinUuid);
  ASSERT_TRUE(RegisterPrinter(admin, Office(), Opts(ppd)));
  EXPECT_TRUE(admin.log.empty()) << "only a queue named by the printer's UUID is looked at";
}

TEST(Registration, WatchReplacesNoPpdForAPrinterThatShowsAnotherIdentity) {
  FakeQueueAdmin admin;
  PinDir dir;
  {
    PpdFile first(kOfficeUuid);
    ASSERT_TRUE(RegisterPrinter(admin, Office(), PinningOpts(first, dir)));
  }
  admin.ppds.at("Office_Jet_2") = PpdFile::PpdMadeFrom(kTwinUuid);
  admin.log.clear();
  PpdFile ppd(kOfficeUuid);
  auto r = RegisterPrinter(admin, Office(), PinningOpts(ppd, dir, kOtherKeyPin, false));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_TRUE(admin.log.empty());
  EXPECT_EQ(admin.ppds.at("Office_Jet_2"), PpdFile::PpdMadeFrom(kTwinUuid));
  EXPECT_FALSE(ppd.Exists()) << "the PPD made for it is removed";
}

TEST(Registration, RefusedAttributesCreateNothing) {
  FakeQueueAdmin admin;
  RegisterOptions o;
  o.make_ppd = [](const discovery::Printer&, const discovery::Endpoint&, PrinterIdentity*) -> Result<std::string> {
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
