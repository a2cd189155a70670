// SPDX-License-Identifier: Apache-2.0
// The Watcher (watch's auto-registration state machine) on fakes: adverts
// from a FakeServiceBrowser, queues in a FakeQueueAdmin, time on a FakeClock,
// registrations on a FakeJobRunner that the test runs.
#include "queues/watcher.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"
#include "tests/queues/fake_job_runner.h"
#include "tests/queues/fake_queue_admin.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_file.h"

namespace cupswps::queues {
namespace {

using namespace std::chrono_literals;
using cupswps::testing::FakeClock;
using cupswps::testing::RunPending;
using discovery::Advert;
using discovery::MakeAdvert;
using discovery::ServiceType;

const std::string kUuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
const std::string kWpsUri = "wps://uuid/" + kUuid;

Advert Office(ServiceType type, const std::string& model = "Acme Jet", const std::string& note = "Hall") {
  return MakeAdvert("Office Jet", type, "10.0.0.5", 631,
                    {"UUID=" + kUuid, "rp=ipp/print", "ty=" + model, "note=" + note});
}

class WatcherTest : public ::testing::Test {
 protected:
  ~WatcherTest() override {
    watcher_.reset();
    RunPending(context_);
    g_main_context_unref(context_);
  }

  void StartWatcher(Watcher::Options options = {}) {
    if (options.policy.rules.empty()) options.policy.watch_default = filters::Default::kAllow;
    // Each registration gets a PPD file of its own, as MakeDriverlessPpd
    // makes one; RegisterPrinter removes it.
    options.register_options.make_ppd = [this](const discovery::Printer&, const discovery::Endpoint&,
                                               PrinterIdentity*) -> Result<std::string> {
      ++ppds_made_;
      if (refuse_next_) {
        refuse_next_ = false;
        return Error{ErrorCode::kRefused, "Refusing: hostile attributes", ""};
      }
      auto f = std::make_unique<cupswps::testing::TempFile>("*PPD-Adobe: \"4.3\"\n");
      std::string path = f->path;
      ppds_.push_back(std::move(f));
      return path;
    };
    auto browser = std::make_unique<discovery::FakeServiceBrowser>();
    browser_ = browser.get();
    auto runner = std::make_unique<FakeJobRunner>();
    runner_ = runner.get();
    watcher_ = std::make_unique<Watcher>(admin_, std::move(browser), clock_, std::move(runner), std::move(options));
    ASSERT_TRUE(watcher_->Start());
  }

  // The printer's two adverts come, or go, in one burst; then the loop is idle.
  void OfficeComes() {
    browser_->AddAdvert(Office(ServiceType::kIpp));
    browser_->AddAdvert(Office(ServiceType::kIpps));
    Idle();
  }
  void OfficeGoes() {
    browser_->RemoveAdvert(Office(ServiceType::kIpp).id);
    browser_->RemoveAdvert(Office(ServiceType::kIpps).id);
    Idle();
  }
  // The main loop goes idle: Discovery reports the burst of adverts before.
  void Idle() { RunPending(context_); }
  void Advance(std::chrono::milliseconds by) {
    clock_.Advance(by);
    RunPending(context_);
  }
  int Creates() const {
    int n = 0;
    for (const std::string& l : admin_.log) n += l.rfind("create ", 0) == 0 ? 1 : 0;
    return n;
  }
  int Deletes() const {
    int n = 0;
    for (const std::string& l : admin_.log) n += l.rfind("delete ", 0) == 0 ? 1 : 0;
    return n;
  }

  GMainContext* context_ = g_main_context_new();
  FakeClock clock_{context_};
  FakeQueueAdmin admin_;
  discovery::FakeServiceBrowser* browser_ = nullptr;
  FakeJobRunner* runner_ = nullptr;
  std::unique_ptr<Watcher> watcher_;
  std::vector<std::unique_ptr<cupswps::testing::TempFile>> ppds_;
  int ppds_made_ = 0;
  bool refuse_next_ = false;
};

TEST_F(WatcherTest, WaitsForTheOtherAdvertThenRegistersAtOnceWhenBothAreIn) {
  StartWatcher();
  browser_->AddAdvert(Office(ServiceType::kIpp));
  Idle();
  EXPECT_EQ(runner_->pending(), 0u) << "settling: the ipps advert may still come";
  browser_->AddAdvert(Office(ServiceType::kIpps));
  Idle();
  EXPECT_EQ(runner_->pending(), 1u) << "ipps and ipp are in: no need to wait out the settle time";
  runner_->RunAll();
  ASSERT_EQ(admin_.queues.count("Office_Jet"), 1u);
  EXPECT_EQ(admin_.queues.at("Office_Jet").device_uri, kWpsUri);
  EXPECT_EQ(watcher_->registered_count(), 1u);
}

TEST_F(WatcherTest, RegistersAfterTheSettleTimeWithOneAdvert) {
  StartWatcher();
  browser_->AddAdvert(Office(ServiceType::kIpp));
  Idle();
  Advance(299ms);
  EXPECT_EQ(runner_->pending(), 0u);
  Advance(1ms);
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_EQ(Creates(), 1);
}

TEST_F(WatcherTest, ANetworkTheHostJoinsAfterTheStartIsLocal) {
  filters::LocalNetworks host;  // none yet: the laptop is not on any network
  Watcher::Options o;
  o.policy = *filters::ParsePolicy("deny make-model \"*Fax*\"\nwatch-default local\n");
  o.local_networks = [&host] { return host; };
  StartWatcher(std::move(o));
  host.nets.push_back({"10.0.0.2", 24});  // it joins 10.0.0.0/24; then the printer's adverts come
  OfficeComes();
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_EQ(Creates(), 1);
}

TEST_F(WatcherTest, APrinterOutsideTheHostsNetworksIsRefusedByTheLocalDefault) {
  Watcher::Options o;
  o.policy = *filters::ParsePolicy("deny make-model \"*Fax*\"\nwatch-default local\n");
  o.local_networks = [] { return filters::LocalNetworks{{{"192.168.1.10", 24}}}; };
  StartWatcher(std::move(o));
  OfficeComes();
  Advance(1h);
  EXPECT_EQ(runner_->pending(), 0u);
  EXPECT_EQ(Creates(), 0);
}

TEST_F(WatcherTest, APolicyRefusalIsRetriedOnlyWhenTheAdvertChanges) {
  Watcher::Options o;
  o.policy = *filters::ParsePolicy("deny make-model \"*Fax*\"\nwatch-default allow\n");
  StartWatcher(std::move(o));
  browser_->AddAdvert(Office(ServiceType::kIpp, "Acme Fax"));
  Advance(1h);
  EXPECT_EQ(runner_->pending(), 0u);
  browser_->AddAdvert(Office(ServiceType::kIpp, "Acme Fax"));  // the same advert again: no change
  Advance(1h);
  EXPECT_EQ(runner_->pending(), 0u);
  browser_->AddAdvert(Office(ServiceType::kIpp, "Acme Jet"));  // it changed: looked at again, admitted
  Idle();
  Advance(300ms);
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_EQ(Creates(), 1);
}

TEST_F(WatcherTest, ARefusedRegistrationIsRetriedOnlyWhenTheAdvertChanges) {
  StartWatcher();
  refuse_next_ = true;
  OfficeComes();
  runner_->RunAll();
  EXPECT_EQ(ppds_made_, 1);
  Advance(24h);
  EXPECT_EQ(runner_->pending(), 0u) << "no retry timer for a refusal";
  OfficeGoes();
  OfficeComes();
  Advance(1h);
  EXPECT_EQ(runner_->pending(), 0u) << "gone and back, unchanged: still refused";
  browser_->AddAdvert(Office(ServiceType::kIpps, "Acme Jet", "Hall, 2nd floor"));
  Idle();
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_EQ(Creates(), 1);
}

TEST_F(WatcherTest, AFailureIsRetriedAfterRetryAfter) {
  Watcher::Options o;
  o.retry_after = 30s;
  StartWatcher(std::move(o));
  admin_.fail_creates = 1;
  OfficeComes();
  runner_->RunAll();
  EXPECT_TRUE(admin_.queues.empty());
  Advance(29s);
  EXPECT_EQ(runner_->pending(), 0u);
  Advance(1s);
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_EQ(admin_.queues.count("Office_Jet"), 1u);
}

TEST_F(WatcherTest, RemoveAfterDeletesTheQueueOnceThePrinterHasBeenGoneThatLongEvenAfter49Days) {
  Watcher::Options o;
  o.remove_after = std::chrono::minutes(100 * 24 * 60);  // 100 days: over 2^32 ms
  StartWatcher(std::move(o));
  OfficeComes();
  runner_->RunAll();
  OfficeGoes();
  Advance(std::chrono::hours(99 * 24));
  EXPECT_EQ(runner_->pending(), 0u);
  Advance(std::chrono::hours(24));
  EXPECT_EQ(runner_->RunAll(), 1);
  EXPECT_TRUE(admin_.queues.empty());
  EXPECT_EQ(Deletes(), 1);
}

TEST_F(WatcherTest, APrinterBackWithinRemoveAfterKeepsItsQueue) {
  Watcher::Options o;
  o.remove_after = 10min;
  StartWatcher(std::move(o));
  OfficeComes();
  runner_->RunAll();
  OfficeGoes();
  Advance(9min);
  browser_->AddAdvert(Office(ServiceType::kIpp));
  Advance(1h);
  runner_->RunAll();
  EXPECT_EQ(admin_.queues.count("Office_Jet"), 1u);
  EXPECT_EQ(Deletes(), 0);
}

TEST_F(WatcherTest, ARestartWithNothingChangedChangesNoQueue) {
  admin_.queues["Office_Jet"] = Queue{"Office_Jet", "", kWpsUri, "Office Jet"};
  StartWatcher();
  OfficeComes();
  runner_->RunAll();
  EXPECT_TRUE(admin_.log.empty()) << "no create, no delete";
  EXPECT_EQ(ppds_made_, 0) << "the printer is not even read";
  EXPECT_EQ(watcher_->registered_count(), 1u);
}

TEST_F(WatcherTest, AFlappingPrinterIsRegisteredOnceAndNeverRemoved) {
  Watcher::Options o;
  o.remove_after = 1min;
  StartWatcher(std::move(o));
  for (int i = 0; i < 60; ++i) {  // gone and back every second for a minute
    OfficeComes();
    runner_->RunAll();
    Advance(500ms);
    OfficeGoes();
    Advance(500ms);
    runner_->RunAll();
  }
  browser_->AddAdvert(Office(ServiceType::kIpp));
  Advance(1h);
  runner_->RunAll();
  EXPECT_EQ(Creates(), 1);
  EXPECT_EQ(Deletes(), 0);
  EXPECT_EQ(admin_.queues.count("Office_Jet"), 1u);
}

TEST_F(WatcherTest, APrinterGoneWhileSettlingIsNotRegistered) {
  StartWatcher();
  const Advert ipp = Office(ServiceType::kIpp);
  browser_->AddAdvert(ipp);
  Idle();
  browser_->RemoveAdvert(ipp.id);
  Advance(1h);
  EXPECT_EQ(runner_->pending(), 0u);
  EXPECT_TRUE(admin_.log.empty());
}

}  // namespace
}  // namespace cupswps::queues
