#include "backend/registration.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

// A scheduler in memory: queues, and a PPD that is "built" after N polls.
class FakeQueueAdmin final : public QueueAdmin {
 public:
  Result<std::vector<discovery::Queue>> List() override {
    std::vector<discovery::Queue> out;
    for (const auto& [name, q] : queues) out.push_back(q.queue);
    return out;
  }
  Result<bool> Create(const QueueSpec& spec) override {
    log.push_back("create " + spec.name + " " + spec.device_uri);
    if (sneak_in_before_create) {  // someone else takes the name between List and Create
      sneak_in_before_create = false;
      queues[spec.name] = {{spec.name, "", "ipp://other/", "Other"}, "Other", true};
    }
    if (queues.count(spec.name)) return Error{ErrorCode::kQueueExists, "exists", ""};
    queues[spec.name] = {{spec.name, "", spec.device_uri, SetupInfo(spec.info)}, kRawMakeAndModel, false};
    return true;
  }
  Result<std::string> MakeAndModel(const std::string& name) override {
    State& q = queues.at(name);
    if (polls_until_ppd >= 0 && polls_++ >= polls_until_ppd) q.make_and_model = "Acme TestJet";
    return q.make_and_model;
  }
  Result<bool> Finish(const std::string& name, const std::string& uri, const std::string& info) override {
    log.push_back("finish " + name + " " + uri);
    queues.at(name).queue.device_uri = uri;
    queues.at(name).queue.info = info;
    queues.at(name).accepting = true;
    return true;
  }
  Result<bool> Delete(const std::string& name) override {
    log.push_back("delete " + name);
    queues.erase(name);
    return true;
  }

  struct State {
    discovery::Queue queue;
    std::string make_and_model;
    bool accepting = false;
  };
  std::map<std::string, State> queues;
  std::vector<std::string> log;
  int polls_until_ppd = 2;  // -1: never
  bool sneak_in_before_create = false;

 private:
  int polls_ = 0;
};

discovery::Printer Office(ServiceType type = ServiceType::kIpps) {
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert("Office Jet #2", type, "10.0.0.5", 631,
                      {"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42", "rp=ipp/print", "note=Hall"}));
  return t.Printers().at(0);
}

RegisterOptions Opts() {
  RegisterOptions o;
  o.validate = [](const discovery::Printer&, const discovery::Endpoint&) -> Result<bool> { return true; };
  o.ppd_timeout_seconds = 5;
  return o;
}

TEST(Registration, CreatesStoppedThenSwitchesToWpsUriOnceThePpdExists) {
  FakeQueueAdmin admin;
  auto r = RegisterPrinter(admin, Office(), Opts());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->queue, "Office_Jet_2");
  EXPECT_EQ(admin.log, (std::vector<std::string>{
                           "create Office_Jet_2 ipps://10.0.0.5:631/ipp/print",
                           "finish Office_Jet_2 wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42"}));
  EXPECT_TRUE(admin.queues.at("Office_Jet_2").accepting);
}

TEST(Registration, IsIdempotent) {
  FakeQueueAdmin admin;
  ASSERT_TRUE(RegisterPrinter(admin, Office(), Opts()));
  admin.log.clear();
  auto again = RegisterPrinter(admin, Office(), Opts());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->queue, "Office_Jet_2");
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, NoPpdInTimeLeavesNoQueueBehind) {
  FakeQueueAdmin admin;
  admin.polls_until_ppd = -1;
  RegisterOptions o = Opts();
  o.ppd_timeout_seconds = 0.2;
  auto r = RegisterPrinter(admin, Office(), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(admin.queues.empty());
  EXPECT_EQ(admin.log.back(), "delete Office_Jet_2");
}

TEST(Registration, CancelUndoesTheQueue) {
  FakeQueueAdmin admin;
  admin.polls_until_ppd = -1;
  std::atomic<bool> cancel{true};
  RegisterOptions o = Opts();
  o.cancel = &cancel;
  auto r = RegisterPrinter(admin, Office(), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(admin.queues.empty());
}

TEST(Registration, RefusedValidationCreatesNothing) {
  FakeQueueAdmin admin;
  RegisterOptions o = Opts();
  o.validate = [](const discovery::Printer&, const discovery::Endpoint&) -> Result<bool> {
    return Error{ErrorCode::kRefused, "Refusing", ""};
  };
  auto r = RegisterPrinter(admin, Office(), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, OnlyIppPrintersAreAccepted) {
  FakeQueueAdmin admin;
  auto r = RegisterPrinter(admin, Office(ServiceType::kPdlDatastream), Opts());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_TRUE(admin.log.empty());
}

TEST(Registration, ANameTakenMeanwhileGetsTheNextSuffix) {
  FakeQueueAdmin admin;
  admin.sneak_in_before_create = true;
  auto r = RegisterPrinter(admin, Office(), Opts());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->queue, "Office_Jet_2_2");
  EXPECT_EQ(admin.queues.at("Office_Jet_2").queue.device_uri, "ipp://other/") << "the other queue is untouched";
}

TEST(Registration, TheQueueIsMarkedAsSettingUpUntilFinished) {
  FakeQueueAdmin admin;
  ASSERT_TRUE(RegisterPrinter(admin, Office(), Opts()));
  EXPECT_EQ(admin.queues.at("Office_Jet_2").queue.info, "Office Jet #2");
}

TEST(SweepHalfMade, DeletesOnlyQueuesLeftHalfMadeByCupsWps) {
  FakeQueueAdmin admin;
  // A pid that cannot exist (above pid_max) stands for a crashed run.
  admin.queues["half"] = {{"half", "", "ipps://10.0.0.5:631/ipp/print", "cups-wps: setting up Office [pid 999999999]"},
                          "x", false};
  admin.queues["busy"] = {{"busy", "", "ipps://10.0.0.5:631/ipp/print", SetupInfo("Hall")}, "x", false};
  admin.queues["done"] = {{"done", "", "wps://uuid/fba4df06-019d-30c1-59e7-8b56d39cdb42",
                           "cups-wps: setting up X [pid 999999999]"},
                          "x", true};
  admin.queues["mine"] = {{"mine", "", "ipp://10.0.0.9/ipp/print", "Kitchen"}, "x", true};
  auto swept = SweepHalfMade(admin);
  ASSERT_TRUE(swept);
  EXPECT_EQ(*swept, std::vector<std::string>{"half"});
  EXPECT_EQ(admin.queues.size(), 3u) << "busy (this process is alive), done and mine stay";
  EXPECT_EQ(SetupInfoPid("cups-wps: setting up A [pid 42]"), 42);
  EXPECT_EQ(SetupInfoPid("cups-wps: setting up A [pid 4x2]"), -1);
  EXPECT_EQ(SetupInfoPid("Kitchen [pid 42]"), -1);
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
}  // namespace cupswps::backend
