// SPDX-License-Identifier: Apache-2.0
// Finding the printer's own access point for --ap-pin without --bssid:
// SupplicantApScan against a scripted wpa_supplicant control socket, its
// parsers (the text came over the air), and the choice. Over the air, with a
// real printer's access point and the router beside it:
// tests/integration/radio_integration_test.cc.
#include "wps/supplicant_ap_scan.h"

#include <gtest/gtest.h>

#include "common/text.h"
#include "tests/wps/fake_ctrl_daemon.h"

namespace cupswps::wps {
namespace {

using testing::FakeCtrlDaemon;

constexpr char kScanResults[] =
    "bssid / frequency / signal level / flags / ssid\n"
    "02:00:00:00:01:02\t2412\t-30\t[WPA2-PSK-CCMP][WPS][ESS]\tlab-router\n"
    "02:00:00:00:0a:00\t2437\t-35\t[WPA2-PSK-CCMP][WPS-AUTH][ESS]\tDIRECT-Acme\n"
    "02:00:00:00:0c:00\t2462\t-60\t[WPA2-PSK-CCMP][ESS]\tcafe\n"
    "not-a-mac\t2462\t-60\t[WPS]\tbroken\n";

constexpr char kRouterOnly[] =
    "bssid / frequency / signal level / flags / ssid\n"
    "02:00:00:00:01:02\t2412\t-30\t[WPA2-PSK-CCMP][WPS][ESS]\tlab-router\n";
constexpr char kOtherPrinterLine[] = "02:00:00:00:0b:00\t2462\t-40\t[WPA2-PSK-CCMP][WPS][ESS]\tDIRECT-Other\n";
constexpr char kOtherPrinterBss[] =
    "bssid=02:00:00:00:0b:00\nage=0\nssid=DIRECT-Other\nwps_primary_device_type=3-0050F204-5\n"
    "wps_device_name=Other Jet\n";

constexpr char kPrinterBss[] =
    "id=4\nbssid=02:00:00:00:0A:00\nfreq=2437\nage=1\nflags=[WPA2-PSK-CCMP][WPS-AUTH][ESS]\nssid=DIRECT-Acme\n"
    "wps_state=configured\nwps_primary_device_type=3-0050F204-1\nwps_device_name=Acme Jet 9000\n";
constexpr char kRouterBss[] =
    "id=3\nbssid=02:00:00:00:01:02\nage=0\nssid=lab-router\nwps_state=configured\n"
    "wps_primary_device_type=6-0050F204-1\nwps_device_name=Lab Router\n";

TEST(ApScanText, TheAccessPointsWithWpsAreTakenFromScanResults) {
  EXPECT_EQ(WpsBssids(kScanResults), (std::vector<std::string>{"02:00:00:00:01:02", "02:00:00:00:0a:00"}));
  EXPECT_TRUE(WpsBssids("").empty());
}

TEST(ApScanText, ABssAnswerBecomesACleanedAccessPoint) {
  const AccessPoint ap = ParseBss(kPrinterBss);
  EXPECT_EQ(ap.bssid, "02:00:00:00:0a:00");
  EXPECT_EQ(ap.ssid, "DIRECT-Acme");
  EXPECT_EQ(ap.name, "Acme Jet 9000");
  EXPECT_EQ(ap.category, 3);
  EXPECT_TRUE(ap.configured);
  // A hostile device name: control characters and a bad category.
  const AccessPoint hostile = ParseBss("bssid=02:00:00:00:0b:00\nwps_device_name=Evil\x1b[2J\x07Jet\n"
                                       "wps_primary_device_type=3\nssid=x\n");
  EXPECT_FALSE(text::HasControl(hostile.name)) << hostile.name;
  EXPECT_EQ(hostile.category, 0);
}

TEST(ApScanChoice, TheOnePrinterIsTakenAndTheRouterIsNot) {
  auto chosen = ChoosePrinter({ParseBss(kRouterBss), ParseBss(kPrinterBss)}, "wlan0");
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->bssid, "02:00:00:00:0a:00");
}

TEST(ApScanChoice, NoPrinterNamesWhatWasSeenAndSeveralAreNamedForBssid) {
  auto none = ChoosePrinter({ParseBss(kRouterBss)}, "wlan0");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.error().message,
            "No printer's own access point with WPS is in range of wlan0 (other access points with WPS: "
            "'lab-router' (02:00:00:00:01:02, Lab Router)): put the printer in its Wi-Fi setup mode (its manual "
            "says how), or give its --bssid.");
  AccessPoint other = ParseBss(kPrinterBss);
  other.bssid = "02:00:00:00:0b:00";
  other.ssid = "DIRECT-Other";
  auto two = ChoosePrinter({other, ParseBss(kPrinterBss)}, "wlan0");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(two.error().message,
            "2 printers' access points are in range of wlan0 ('DIRECT-Acme' (02:00:00:00:0a:00, Acme Jet 9000), "
            "'DIRECT-Other' (02:00:00:00:0b:00, Acme Jet 9000)): choose one with --bssid.");
}

class ApScanTest : public ::testing::Test {
 protected:
  ApScanTest() : context_(g_main_context_new()), daemon_(context_) {
    daemon_.replies["SCAN_RESULTS"] = kScanResults;
    daemon_.replies["BSS 02:00:00:00:01:02"] = kRouterBss;
    daemon_.replies["BSS 02:00:00:00:0a:00"] = kPrinterBss;
  }
  ~ApScanTest() override { g_main_context_unref(context_); }
  bool RunUntil(const std::function<bool()>& pred) {
    return testing::RunUntil(context_, pred);
  }
  bool Sent(const std::string& c) const {
    return std::find(daemon_.commands().begin(), daemon_.commands().end(), c) != daemon_.commands().end();
  }
  std::size_t Scans() const {
    return static_cast<std::size_t>(std::count(daemon_.commands().begin(), daemon_.commands().end(), "SCAN"));
  }
  // The scan (the n-th) asked for ends, as wpa_supplicant says, and its
  // results are read: the next scan is asked for, or the search ends.
  void ScanEnds(std::size_t n) {
    ASSERT_TRUE(RunUntil([&] { return Scans() >= n || result_.has_value(); }));
    ASSERT_FALSE(result_.has_value()) << "finished after " << Scans() << " scans";
    daemon_.SendEvent("CTRL-EVENT-SCAN-RESULTS ");
    ASSERT_TRUE(RunUntil([&] { return Scans() > n || result_.has_value(); }));
  }

  GMainContext* context_;
  FakeCtrlDaemon daemon_;
  std::optional<Result<std::vector<AccessPoint>>> result_;
};

TEST_F(ApScanTest, ScansThenReadsEveryAccessPointWithWps) {
  SupplicantApScan scan(context_, daemon_.path(), {});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ASSERT_TRUE(RunUntil([&] { return Sent("SCAN"); }));
  EXPECT_FALSE(result_.has_value()) << "not before the scan's results";
  ScanEnds(1);
  ScanEnds(2);  // the one that shows no other printer
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  EXPECT_EQ(Scans(), 2u);
  ASSERT_TRUE(result_->ok()) << result_->error().message;
  EXPECT_EQ(result_->value().size(), 2u);
  EXPECT_EQ(ChoosePrinter(result_->value(), "wlan0")->ssid, "DIRECT-Acme");
  EXPECT_FALSE(Sent("BSS 02:00:00:00:0c:00")) << "an access point without WPS";
}

// A printer whose access point went off a minute ago is still in
// wpa_supplicant's table, but no longer heard: it is not a choice.
TEST_F(ApScanTest, AnAccessPointNotHeardInThisScanIsLeftOut) {
  daemon_.replies["BSS 02:00:00:00:0a:00"] = std::string(kPrinterBss) + "age=64\n";
  SupplicantApScan scan(context_, daemon_.path(), {.scans = 1});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ScanEnds(1);
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  ASSERT_TRUE(result_->ok());
  ASSERT_EQ(result_->value().size(), 1u);
  EXPECT_EQ(result_->value().front().ssid, "lab-router");
}

// NetworkManager's scan is under way: its results do.
TEST_F(ApScanTest, AScanUnderWayIsWaitedFor) {
  daemon_.replies["SCAN"] = "FAIL-BUSY";
  SupplicantApScan scan(context_, daemon_.path(), {.scans = 1});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ScanEnds(1);
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  EXPECT_TRUE(result_->ok());
}

// A scan dwells briefly on each channel, and a printer that answers probes
// late is missed where the router is heard: the scan is made again, and
// what every scan saw is merged.
TEST_F(ApScanTest, APrinterMissedByTheFirstScanIsFoundByALaterOne) {
  daemon_.replies["SCAN_RESULTS"] = kRouterOnly;
  SupplicantApScan scan(context_, daemon_.path(), {});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ScanEnds(1);
  ScanEnds(2);
  daemon_.replies["SCAN_RESULTS"] = kScanResults;
  ScanEnds(3);
  ScanEnds(4);
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  ASSERT_TRUE(result_->ok());
  EXPECT_EQ(ChoosePrinter(result_->value(), "wlan0")->ssid, "DIRECT-Acme");
}

// A second printer heard only in the scan after the first one's is still
// named: the scans go on while they add printers.
TEST_F(ApScanTest, ScansGoOnWhileTheyAddPrinters) {
  SupplicantApScan scan(context_, daemon_.path(), {});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ScanEnds(1);
  daemon_.replies["SCAN_RESULTS"] = std::string(kScanResults) + kOtherPrinterLine;
  daemon_.replies["BSS 02:00:00:00:0b:00"] = kOtherPrinterBss;
  ScanEnds(2);
  ScanEnds(3);
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  EXPECT_EQ(Scans(), 3u);
  ASSERT_TRUE(result_->ok());
  auto two = ChoosePrinter(result_->value(), "wlan0");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, ErrorCode::kInvalidArgument);
}

// Nobody's access point: the scans stop at their number, naming the router.
TEST_F(ApScanTest, WithoutAPrinterTheScansStopAtTheirNumber) {
  daemon_.replies["SCAN_RESULTS"] = kRouterOnly;
  SupplicantApScan scan(context_, daemon_.path(), {.scans = 3});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  for (std::size_t n = 1; n <= 3; ++n) ScanEnds(n);
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  EXPECT_EQ(Scans(), 3u);
  ASSERT_TRUE(result_->ok());
  ASSERT_EQ(result_->value().size(), 1u);
  EXPECT_EQ(result_->value().front().ssid, "lab-router");
}

TEST_F(ApScanTest, NoResultsWithinTheLimitSaySo) {
  SupplicantApScan scan(context_, daemon_.path(), {.scan_limit = std::chrono::milliseconds(100)});
  scan.Find([&](Result<std::vector<AccessPoint>> r) { result_ = std::move(r); });
  ASSERT_TRUE(RunUntil([&] { return result_.has_value(); }));
  ASSERT_FALSE(result_->ok());
  EXPECT_EQ(result_->error().code, ErrorCode::kTimeout);
}

}  // namespace
}  // namespace cupswps::wps
