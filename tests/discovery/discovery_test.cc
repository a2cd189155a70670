// SPDX-License-Identifier: Apache-2.0
#include "discovery/discovery.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"
#include "tests/support/fake_clock.h"

namespace cupswps::discovery {
namespace {

using cupswps::testing::FakeClock;
using cupswps::testing::RunPending;
using namespace std::chrono_literals;

class DiscoveryTest : public ::testing::Test {
 protected:
  ~DiscoveryTest() override {
    discovery_.reset();
    RunPending(context_);
    g_main_context_unref(context_);
  }
  void SetUp() override {
    auto fake = std::make_unique<FakeServiceBrowser>();
    browser_ = fake.get();
    discovery_ = std::make_unique<Discovery>(std::move(fake), clock_);
    DiscoveryEvents ev;
    ev.added = [this](const Printer& p) { log_.push_back("+" + p.name); };
    ev.changed = [this](const Printer& p) { log_.push_back("~" + p.name); };
    ev.removed = [this](const Printer& p) { log_.push_back("-" + p.name); };
    ev.complete = [this] { log_.push_back("complete"); };
    ev.lost = [this](const Error&) { log_.push_back("lost"); };
    ASSERT_TRUE(discovery_->Start(std::move(ev)));
  }

  // The burst is over: the main loop goes idle and Discovery reports.
  void Idle() { RunPending(context_); }

  GMainContext* context_ = g_main_context_new();
  FakeClock clock_{context_};
  FakeServiceBrowser* browser_ = nullptr;
  std::unique_ptr<Discovery> discovery_;
  std::vector<std::string> log_;
};

Advert Ipp(const std::string& name, const std::string& addr, const std::string& uuid) {
  return MakeAdvert(name, ServiceType::kIpp, addr, 631, {"UUID=" + uuid, "rp=ipp/print"});
}

const std::string kU1 = "11111111-1111-1111-1111-111111111111";
const std::string kU2 = "22222222-2222-2222-2222-222222222222";

TEST_F(DiscoveryTest, ReportsAPrinterOnceForSeveralAdverts) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  browser_->AddAdvert(MakeAdvert("A", ServiceType::kIpps, "10.0.0.1", 631, {"UUID=" + kU1}));
  browser_->AllForNow();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "complete"})) << "one burst: added once, with both adverts";
  ASSERT_EQ(discovery_->Printers().size(), 1u);
  EXPECT_EQ(discovery_->Printers()[0].services.size(), 2u);
  EXPECT_TRUE(discovery_->complete());
}

TEST_F(DiscoveryTest, ALaterAdvertOfAPrinterIsAChange) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  Idle();
  browser_->AddAdvert(MakeAdvert("A", ServiceType::kIpps, "10.0.0.1", 631, {"UUID=" + kU1}));
  Idle();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "~A"}));
}

TEST_F(DiscoveryTest, OneBurstIsOneReportOfThePrintersItChanged) {
  browser_->AddAdvert(Ipp("B", "10.0.0.2", kU2));
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  EXPECT_TRUE(log_.empty()) << "nothing is reported while the burst lasts";
  Idle();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "+B"}));
  log_.clear();
  browser_->AddAdvert(MakeAdvert("A", ServiceType::kIpps, "10.0.0.1", 631, {"UUID=" + kU1}));
  browser_->AddAdvert(Ipp("A", "10.0.0.3", kU1));
  Idle();
  EXPECT_EQ(log_, (std::vector<std::string>{"~A"})) << "A once; B is not looked at";
}

TEST_F(DiscoveryTest, ABurstThatNeverEndsIsReportedAfterTheMaximumDelay) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  clock_.Advance(kMaxBatchDelay - 1ms);
  browser_->AddAdvert(Ipp("B", "10.0.0.2", kU2));
  EXPECT_TRUE(log_.empty());
  clock_.Advance(1ms);
  browser_->AddAdvert(MakeAdvert("B", ServiceType::kIpps, "10.0.0.2", 631, {"UUID=" + kU2}));
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "+B"})) << "reported without the loop going idle";
  Idle();
  EXPECT_EQ(log_.size(), 2u) << "and not again";
}

TEST_F(DiscoveryTest, APrinterThatComesAndGoesWithinOneBurstIsNeverReported) {
  const Advert a = Ipp("A", "10.0.0.1", kU1);
  browser_->AddAdvert(a);
  browser_->RemoveAdvert(a.id);
  Idle();
  EXPECT_TRUE(log_.empty());
}

TEST_F(DiscoveryTest, LosingTheDaemonReportsTheBurstBeforeIt) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  browser_->LoseDaemon();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "lost"}));
}

TEST_F(DiscoveryTest, AddressChangeIsAChangeNotARemoval) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  Idle();
  browser_->AddAdvert(Ipp("A", "10.0.0.2", kU1));  // same advert id, new address
  Idle();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "~A"}));
  EXPECT_EQ(discovery_->Printers().at(0).Best()->address, "10.0.0.2");
}

TEST_F(DiscoveryTest, PrinterGoesWhenItsLastAdvertGoes) {
  const Advert a = Ipp("A", "10.0.0.1", kU1);
  browser_->AddAdvert(a);
  Idle();
  browser_->RemoveAdvert(a.id);
  Idle();
  EXPECT_EQ(log_, (std::vector<std::string>{"+A", "-A"}));
  EXPECT_TRUE(discovery_->Printers().empty());
}

TEST_F(DiscoveryTest, DaemonRestartKeepsPrintersThatComeBackAndDropsTheOthers) {
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  browser_->AddAdvert(Ipp("B", "10.0.0.2", kU2));
  browser_->AllForNow();
  log_.clear();
  browser_->LoseDaemon();
  EXPECT_EQ(discovery_->Printers().size(), 2u) << "the last view stays while the daemon is away";
  browser_->Reconnect();
  browser_->AddAdvert(Ipp("A", "10.0.0.1", kU1));
  EXPECT_EQ(discovery_->Printers().size(), 2u);
  browser_->AllForNow();
  EXPECT_EQ(log_, (std::vector<std::string>{"lost", "-B", "complete"}));
  ASSERT_EQ(discovery_->Printers().size(), 1u);
  EXPECT_EQ(discovery_->Printers()[0].name, "A");
}

TEST_F(DiscoveryTest, CountsAdvertsAnnouncedAndNotYetResolved) {
  const Advert a = Ipp("A", "10.0.0.1", kU1);
  const Advert b = Ipp("B", "10.0.0.2", kU2);
  browser_->Announce(a.id);
  browser_->Announce(b.id);
  browser_->Announce(a.id);
  EXPECT_EQ(discovery_->unresolved(), 2u) << "announced twice, counted once";
  browser_->AddAdvert(a);
  EXPECT_EQ(discovery_->unresolved(), 1u);
  browser_->RemoveAdvert(b.id);
  EXPECT_EQ(discovery_->unresolved(), 0u) << "gone before it was resolved";
  browser_->Announce(b.id);
  browser_->LoseDaemon();
  EXPECT_EQ(discovery_->unresolved(), 0u) << "the daemon's resolutions went with it";
}

TEST(DiscoveryStart, ReportsABrowserThatCannotStart) {
  auto fake = std::make_unique<FakeServiceBrowser>();
  fake->fail_start = true;
  GMainContext* context = g_main_context_new();
  FakeClock clock(context);
  Discovery d(std::move(fake), clock);
  const auto r = d.Start({});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAvahiUnavailable);
  g_main_context_unref(context);
}

}  // namespace
}  // namespace cupswps::discovery
