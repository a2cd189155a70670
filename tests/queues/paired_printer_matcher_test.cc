// SPDX-License-Identifier: Apache-2.0
// The PairedPrinterMatcher (setup's "exactly that printer") on fakes.
#include "queues/paired_printer_matcher.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/discovery/fake_service_browser.h"
#include "tests/queues/fake_neighbour_table.h"
#include "tests/queues/fake_queue_admin.h"
#include "tests/support/fake_clock.h"

namespace cupswps::queues {
namespace {

using namespace std::chrono_literals;
using cupswps::testing::FakeClock;
using cupswps::testing::RunPending;
using discovery::Advert;
using discovery::MakeAdvert;
using discovery::ServiceType;

const std::string kMac = "02:00:00:00:0a:01";
const std::string kDecoyMac = "02:00:00:00:0b:01";

Advert Printer(const std::string& name, ServiceType type, const std::string& address, int interface = 2,
               const std::string& uuid = "") {
  std::vector<std::string> txt = {"rp=ipp/print", "ty=Acme Jet"};
  if (!uuid.empty()) txt.push_back("UUID=" + uuid);
  return MakeAdvert(name, type, address, 631, txt, interface);
}

class MatcherTest : public ::testing::Test {
 protected:
  MatcherTest() {
    auto browser = std::make_unique<discovery::FakeServiceBrowser>();
    browser_ = browser.get();
    matcher_ = std::make_unique<PairedPrinterMatcher>(std::move(browser), neighbours_, clock_, admin_,
                                                      PairedPrinterMatcher::Options{});
    EXPECT_TRUE(matcher_->Start());
    // Already on the network before pairing.
    browser_->AddAdvert(Printer("Old Jet", ServiceType::kIpp, "10.0.0.2"));
    neighbours_.macs["10.0.0.2"] = "02:00:00:00:0c:01";
    browser_->AllForNow();
  }
  ~MatcherTest() override {
    matcher_.reset();
    RunPending(context_);
    g_main_context_unref(context_);
  }

  void Find(PairedTarget target, std::chrono::milliseconds limit = 60s) {
    matcher_->Find(std::move(target), limit, [this](Result<PairedMatch> r) { result_ = std::move(r); });
    RunPending(context_);
  }
  void Both(const std::string& name, const std::string& address, int interface = 2, const std::string& uuid = "") {
    browser_->AddAdvert(Printer(name, ServiceType::kIpp, address, interface, uuid));
    browser_->AddAdvert(Printer(name, ServiceType::kIpps, address, interface, uuid));
    RunPending(context_);
  }
  void Advance(std::chrono::milliseconds by) {
    clock_.Advance(by);
    RunPending(context_);
  }

  GMainContext* context_ = g_main_context_new();
  FakeClock clock_{context_};
  FakeNeighbourTable neighbours_{clock_};
  FakeQueueAdmin admin_;
  discovery::FakeServiceBrowser* browser_ = nullptr;
  std::unique_ptr<PairedPrinterMatcher> matcher_;
  std::optional<Result<PairedMatch>> result_;
};

TEST_F(MatcherTest, MatchesTheNewPrinterByTheEnrolleesMac) {
  Find({.mac = kMac});
  neighbours_.macs["10.0.0.7"] = kMac;
  Both("New Jet", "10.0.0.7");
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->printer.name, "New Jet");
  EXPECT_EQ((*result_)->matched_by, "mac");
}

TEST_F(MatcherTest, MatchesByTheEnrolleesUuid) {
  const std::string uuid = "22222222-3333-4444-5555-000000000001";
  Find({.mac = kMac, .uuid = uuid});
  Both("New Jet", "10.0.0.7", 2, uuid);
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->matched_by, "uuid");
}

TEST_F(MatcherTest, ADecoyAppearingAtTheSameMomentIsNotTaken) {
  Find({.mac = kMac});
  neighbours_.macs["10.0.0.8"] = kDecoyMac;
  neighbours_.macs["10.0.0.7"] = kMac;
  browser_->AddAdvert(Printer("Decoy Jet", ServiceType::kIpp, "10.0.0.8"));
  browser_->AddAdvert(Printer("New Jet", ServiceType::kIpp, "10.0.0.7"));
  browser_->AddAdvert(Printer("Decoy Jet", ServiceType::kIpps, "10.0.0.8"));
  browser_->AddAdvert(Printer("New Jet", ServiceType::kIpps, "10.0.0.7"));
  RunPending(context_);
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->printer.name, "New Jet");
}

TEST_F(MatcherTest, OnlyNewPrintersAreContacted) {
  Find({.mac = kMac});
  neighbours_.macs["10.0.0.7"] = kMac;
  Both("New Jet", "10.0.0.7");
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ(neighbours_.looked_up, std::vector<std::string>{"10.0.0.7"}) << "the printer already there is left alone";
}

TEST_F(MatcherTest, WaitsTheSettleTimeForTheOtherAdvert) {
  Find({.mac = kMac});
  neighbours_.macs["10.0.0.7"] = kMac;
  browser_->AddAdvert(Printer("New Jet", ServiceType::kIpp, "10.0.0.7"));
  RunPending(context_);
  EXPECT_FALSE(result_);
  Advance(300ms);
  ASSERT_TRUE(result_ && result_->ok());
}

TEST_F(MatcherTest, TwoPrintersOnItsOwnNetworkWithoutBssidAreNotGuessedAt) {
  Find({.interface = 9, .interface_name = "wl9"});
  Both("Hotspot Jet", "10.199.0.1", 9);
  Both("Other Jet", "10.199.0.2", 9);
  Advance(300ms);
  ASSERT_TRUE(result_);
  ASSERT_FALSE(result_->ok());
  EXPECT_EQ(result_->error().code, ErrorCode::kRefused);
  EXPECT_NE(result_->error().message.find("'Hotspot Jet'"), std::string::npos) << result_->error().message;
  EXPECT_NE(result_->error().message.find("'Other Jet'"), std::string::npos);
  EXPECT_NE(result_->error().message.find("--bssid"), std::string::npos);
}

TEST_F(MatcherTest, TheOnePrinterOnItsOwnNetworkIsIt) {
  Find({.interface = 9, .interface_name = "wl9"});
  Both("Hotspot Jet", "10.199.0.1", 9);
  Advance(300ms);
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->matched_by, "network");
  EXPECT_TRUE(neighbours_.looked_up.empty());
}

TEST_F(MatcherTest, WithoutEnrolleeDetailsTheOneNewPrinterIsIt) {
  Find({.any_new = true});
  Both("New Jet", "10.0.0.7");
  Advance(2999ms);
  EXPECT_FALSE(result_) << "a second new printer within the ambiguity window would make it a guess";
  Advance(1ms);
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->matched_by, "new");
}

TEST_F(MatcherTest, WithoutEnrolleeDetailsTwoNewPrintersAreNotGuessedAt) {
  Find({.any_new = true});
  Both("New Jet", "10.0.0.7");
  Advance(1s);
  Both("Neighbour Jet", "10.0.0.9");
  ASSERT_TRUE(result_);
  ASSERT_FALSE(result_->ok());
  EXPECT_EQ(result_->error().code, ErrorCode::kRefused);
  EXPECT_NE(result_->error().message.find("'Neighbour Jet'"), std::string::npos) << result_->error().message;
}

TEST_F(MatcherTest, APrinterThatHasAQueueIsNotNew) {
  admin_.queues["Queued"] = Queue{"Queued", "", "ipp://10.0.0.7:631/ipp/print", ""};
  Find({.any_new = true});
  Both("Queued Jet", "10.0.0.7");
  Advance(1h);
  ASSERT_TRUE(result_);
  EXPECT_EQ(result_->error().code, ErrorCode::kTimeout);
}

// Right after joining, the first connection to the printer can fail (this
// host's address came after the printer's adverts): its MAC is asked again.
TEST_F(MatcherTest, AMacNotLearntAtFirstIsAskedAgain) {
  Find({.mac = kMac}, 60s);
  Both("New Jet", "10.0.0.7");
  EXPECT_FALSE(result_);
  neighbours_.macs["10.0.0.7"] = kMac;
  Advance(2s);
  ASSERT_TRUE(result_ && result_->ok());
  EXPECT_EQ((*result_)->matched_by, "mac");
  EXPECT_GE(neighbours_.looked_up.size(), 2u);
}

TEST_F(MatcherTest, NothingFittingEndsAtTheLimit) {
  Find({.mac = kMac}, 60s);
  neighbours_.macs["10.0.0.8"] = kDecoyMac;
  Both("Decoy Jet", "10.0.0.8");
  Advance(59s);
  EXPECT_FALSE(result_);
  Advance(1s);
  ASSERT_TRUE(result_);
  EXPECT_EQ(result_->error().code, ErrorCode::kTimeout);
}

}  // namespace
}  // namespace cupswps::queues
