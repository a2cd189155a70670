// SPDX-License-Identifier: Apache-2.0
// The handovers of the printer's network to this host's Wi-Fi manager, as
// state machines over fake clients on a test-owned main context: what goes
// out before the WPS run, after it, and what is put back afterwards — after
// a setup that succeeded, after one that failed (WPS, or the printer never
// advertised), and after Ctrl-C at any point (Restore while a step is under
// way).
#include <gtest/gtest.h>

#include <optional>

#include "tests/support/fake_clock.h"
#include "tests/wps/fake_network_clients.h"
#include "wps/network_manager_handover.h"
#include "wps/supplicant_handover.h"

namespace cupswps::wps {
namespace {

using cupswps::testing::RunPending;
using testing::FakeNetworkManagerClient;
using testing::FakeSupplicantNetworks;

std::shared_ptr<const ReceivedNetwork> PrinterNetwork(std::vector<std::string> auth = {"wpa2-psk"}) {
  auto n = std::make_shared<ReceivedNetwork>();
  n->ssid = "cups-wps-lab";
  n->auth_types = std::move(auth);
  n->encr_types = {"aes"};
  n->key.str() = "lab-passphrase-0f7c2a91";
  return n;
}

class HandoverTest : public ::testing::Test {
 protected:
  HandoverTest() : context_(g_main_context_new()), nm_(context_), supplicant_(context_) {
    g_main_context_push_thread_default(context_);
    home_.path = "/dev/1";
    home_.managed = true;
    home_.wifi = true;
    home_.autoconnect = true;
    home_.active = "/active/home";
    home_.active_connection = "/settings/home";
    home_.active_id = "Home";
    home_.version = "1.42.4";
  }
  ~HandoverTest() override {
    handover_.reset();
    RunPending(context_);
    g_main_context_pop_thread_default(context_);
    g_main_context_unref(context_);
  }

  void UseNetworkManager(bool keep = false) {
    handover_ = std::make_unique<NetworkManagerHandover>(nm_, home_, ProfileOptions{"wl0", "", keep});
  }
  void UseSupplicant(bool keep = false) {
    handover_ = std::make_unique<SupplicantHandover>(supplicant_, ProfileOptions{"wl0", "", keep});
  }
  std::optional<Status> Prepare() {
    std::optional<Status> out;
    handover_->Prepare([&out](Status s) { out = std::move(s); });
    RunPending(context_);
    return out;
  }
  std::optional<Status> Join(std::shared_ptr<const ReceivedNetwork> network = PrinterNetwork()) {
    std::optional<Status> out;
    handover_->Join(std::move(network), [&out](Status s) { out = std::move(s); });
    RunPending(context_);
    return out;
  }
  std::optional<Status> Restore() {
    std::optional<Status> out;
    handover_->Restore([&out](Status s) { out = std::move(s); });
    RunPending(context_);
    return out;
  }

  GMainContext* context_;
  NetworkManagerDevice home_;
  FakeNetworkManagerClient nm_;
  FakeSupplicantNetworks supplicant_;
  std::unique_ptr<NetworkHandover> handover_;
};

using Calls = std::vector<std::string>;

// ---------------------------------------------------------------- NetworkManager

TEST_F(HandoverTest, PrepareStopsAutoconnectThenTakesTheDeviceOffItsNetwork) {
  UseNetworkManager();
  auto prepared = Prepare();
  ASSERT_TRUE(prepared.has_value());
  EXPECT_TRUE(prepared->ok());
  EXPECT_EQ(nm_.calls, (Calls{"SetAutoconnect /dev/1 false", "Deactivate /active/home /dev/1"}));
}

TEST_F(HandoverTest, JoinHandsNetworkManagerAVolatileProfileBoundToThisProcess) {
  UseNetworkManager();
  Prepare();
  auto joined = Join();
  ASSERT_TRUE(joined.has_value());
  EXPECT_TRUE(joined->ok());
  EXPECT_TRUE(nm_.Called("AddAndActivate /dev/1"));
  ASSERT_TRUE(nm_.options);
  const gchar* persist = nullptr;
  const gchar* bind = nullptr;
  ASSERT_TRUE(g_variant_lookup(nm_.options.get(), "persist", "&s", &persist));
  ASSERT_TRUE(g_variant_lookup(nm_.options.get(), "bind-activation", "&s", &bind));
  EXPECT_STREQ(persist, "volatile");
  EXPECT_STREQ(bind, "dbus-client");
  ASSERT_TRUE(nm_.settings);
  VariantPtr security(g_variant_lookup_value(nm_.settings.get(), "802-11-wireless-security", nullptr));
  ASSERT_TRUE(security);
  const gchar* psk = nullptr;
  ASSERT_TRUE(g_variant_lookup(security.get(), "psk", "&s", &psk));
  EXPECT_STREQ(psk, "lab-passphrase-0f7c2a91");
}

TEST_F(HandoverTest, RestoreAfterSuccessLeavesThePrinterNetworkAndGoesBackHome) {
  UseNetworkManager();
  Prepare();
  Join();
  nm_.calls.clear();
  auto restored = Restore();
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok());
  // Ours down first, then the old one up, then Autoconnect as it was.
  EXPECT_EQ(nm_.calls, (Calls{"Deactivate /active/printer /dev/1", "Activate /settings/home /dev/1",
                              "SetAutoconnect /dev/1 true"}));
}

TEST_F(HandoverTest, RestoreAfterAFailedRunGoesBackHomeWithNothingToDeactivate) {
  UseNetworkManager();
  Prepare();  // then WPS failed: no Join
  nm_.calls.clear();
  auto restored = Restore();
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok());
  EXPECT_EQ(nm_.calls, (Calls{"Activate /settings/home /dev/1", "SetAutoconnect /dev/1 true"}));
}

TEST_F(HandoverTest, RestorePutsBackAutoconnectAsItWasNotAsTrue) {
  home_.autoconnect = false;
  UseNetworkManager();
  Prepare();
  Restore();
  EXPECT_TRUE(nm_.Called("SetAutoconnect /dev/1 false"));
  EXPECT_FALSE(nm_.Called("SetAutoconnect /dev/1 true"));
}

TEST_F(HandoverTest, CtrlCWhileTheOldConnectionGoesDownWaitsForItThenPutsItBack) {
  UseNetworkManager();
  nm_.hold = {"Deactivate"};
  std::optional<Status> prepared;
  handover_->Prepare([&prepared](Status s) { prepared = std::move(s); });
  RunPending(context_);
  ASSERT_EQ(nm_.held(), 1u) << "the deactivation is under way";
  std::optional<Status> restored;
  handover_->Restore([&restored](Status s) { restored = std::move(s); });
  RunPending(context_);
  EXPECT_FALSE(restored.has_value()) << "Restore waits for the step under way";
  EXPECT_EQ(nm_.Count("Activate"), 0);
  nm_.Release();
  RunPending(context_);
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok());
  EXPECT_FALSE(prepared.has_value()) << "Prepare's completion is dropped after Restore";
  EXPECT_TRUE(nm_.Called("Activate /settings/home /dev/1"));
  EXPECT_TRUE(nm_.Called("SetAutoconnect /dev/1 true"));
}

TEST_F(HandoverTest, CtrlCWhileThePrinterNetworkIsHandedOverTakesItDownOnceItIsThere) {
  UseNetworkManager();
  Prepare();
  nm_.hold = {"AddAndActivate"};
  std::optional<Status> joined;
  handover_->Join(PrinterNetwork(), [&joined](Status s) { joined = std::move(s); });
  RunPending(context_);
  std::optional<Status> restored;
  handover_->Restore([&restored](Status s) { restored = std::move(s); });
  RunPending(context_);
  EXPECT_FALSE(restored.has_value());
  nm_.Release();
  RunPending(context_);
  ASSERT_TRUE(restored.has_value());
  EXPECT_FALSE(joined.has_value());
  EXPECT_TRUE(nm_.Called("Deactivate /active/printer /dev/1"));
  EXPECT_TRUE(nm_.Called("Activate /settings/home /dev/1"));
  EXPECT_EQ(nm_.Count("WaitActivated"), 0) << "no waiting for a network that is taken down";
}

TEST_F(HandoverTest, CtrlCBeforeAnythingWentOutChangesNothing) {
  UseNetworkManager();
  auto restored = Restore();
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok());
  EXPECT_TRUE(nm_.calls.empty());
}

TEST_F(HandoverTest, WithoutAConnectionBeforeNothingIsDeactivatedOrReactivated) {
  home_.active.clear();
  home_.active_connection.clear();
  home_.active_id.clear();
  UseNetworkManager();
  Prepare();
  Join();
  Restore();
  EXPECT_EQ(nm_.calls, (Calls{"SetAutoconnect /dev/1 false", "AddAndActivate /dev/1", "WaitActivated /active/printer",
                              "Deactivate /active/printer /dev/1", "SetAutoconnect /dev/1 true"}));
}

TEST_F(HandoverTest, KeepNetworkSavesTheProfileAndStaysOnIt) {
  UseNetworkManager(/*keep=*/true);
  Prepare();
  Join();
  const gchar* persist = nullptr;
  ASSERT_TRUE(g_variant_lookup(nm_.options.get(), "persist", "&s", &persist));
  EXPECT_STREQ(persist, "disk");
  nm_.calls.clear();
  Restore();
  EXPECT_EQ(nm_.calls, (Calls{"SetAutoconnect /dev/1 true"}));
}

TEST_F(HandoverTest, ANetworkThatCannotBeJoinedIsRefusedWithoutAskingNetworkManager) {
  UseNetworkManager();
  Prepare();
  auto joined = Join(PrinterNetwork({"wpa2-eap"}));
  ASSERT_TRUE(joined.has_value());
  EXPECT_FALSE(joined->ok());
  EXPECT_NE(joined->error().message.find("WPA/WPA2 personal"), std::string::npos) << joined->error().message;
  EXPECT_EQ(nm_.Count("AddAndActivate"), 0);
}

TEST_F(HandoverTest, RestoreTriesEveryStepAndSaysWhatCouldNotBePutBack) {
  UseNetworkManager();
  Prepare();
  Join();
  nm_.fail = {"Activate"};
  auto restored = Restore();
  ASSERT_TRUE(restored.has_value());
  ASSERT_FALSE(restored->ok());
  EXPECT_NE(restored->error().message.find("back on 'Home'"), std::string::npos) << restored->error().message;
  EXPECT_TRUE(nm_.Called("SetAutoconnect /dev/1 true")) << "the later steps still run";
  EXPECT_EQ(restored->error().message.find("lab-passphrase"), std::string::npos);
}

TEST_F(HandoverTest, APrepareThatNetworkManagerRefusesFailsAndIsStillUndone) {
  UseNetworkManager();
  nm_.fail = {"Deactivate"};
  auto prepared = Prepare();
  ASSERT_TRUE(prepared.has_value());
  EXPECT_FALSE(prepared->ok());
  nm_.fail.clear();
  nm_.calls.clear();
  Restore();
  EXPECT_TRUE(nm_.Called("SetAutoconnect /dev/1 true"));
}

TEST_F(HandoverTest, JoinWaitsUntilNetworkManagerHasActivatedThePrintersNetwork) {
  UseNetworkManager();
  Prepare();
  nm_.hold = {"WaitActivated"};
  std::optional<Status> joined;
  handover_->Join(PrinterNetwork(), [&joined](Status s) { joined = std::move(s); });
  RunPending(context_);
  EXPECT_TRUE(nm_.Called("WaitActivated /active/printer"));
  EXPECT_FALSE(joined.has_value()) << "joined before NetworkManager said activated";
  nm_.Release();
  RunPending(context_);
  ASSERT_TRUE(joined.has_value());
  EXPECT_TRUE(joined->ok());
}

TEST_F(HandoverTest, AnActivationNetworkManagerGaveUpFailsTheJoinWithItsReasonAndIsNotDeactivatedAgain) {
  UseNetworkManager();
  Prepare();
  nm_.fail = {"WaitActivated"};
  nm_.failure = Error{ErrorCode::kNotFound, "", "no-secrets"};
  auto joined = Join();
  ASSERT_TRUE(joined.has_value());
  ASSERT_FALSE(joined->ok());
  EXPECT_EQ(joined->error().message, "The printer handed over its network, but NetworkManager did not join it (no-secrets).");
  nm_.fail.clear();
  nm_.calls.clear();
  ASSERT_TRUE(Restore()->ok());
  // NetworkManager removed it already: home comes back, nothing else.
  EXPECT_EQ(nm_.calls, (Calls{"Activate /settings/home /dev/1", "SetAutoconnect /dev/1 true"}));
}

TEST_F(HandoverTest, AnActivationStillUnderWayAtTheLimitIsTakenDown) {
  UseNetworkManager();
  Prepare();
  nm_.fail = {"WaitActivated"};
  nm_.failure = Error{ErrorCode::kTimeout, "", "not activated within 90 s"};
  ASSERT_FALSE(Join()->ok());
  nm_.fail.clear();
  nm_.calls.clear();
  Restore();
  EXPECT_EQ(nm_.calls, (Calls{"Deactivate /active/printer /dev/1", "Activate /settings/home /dev/1",
                              "SetAutoconnect /dev/1 true"}));
}

// ---------------------------------------------------------------- wpa_supplicant alone

TEST_F(HandoverTest, SupplicantJoinAddsAndSelectsThePrinterNetwork) {
  supplicant_.networks = {{"/net/0", true}, {"/net/1", false}, {"/net/2", true}};
  UseSupplicant();
  ASSERT_TRUE(Prepare()->ok());
  auto joined = Join();
  ASSERT_TRUE(joined.has_value());
  EXPECT_TRUE(joined->ok());
  // The enabled ones off before the run: a WPS run would disable them itself
  // and write the configuration file when it enables them again.
  EXPECT_EQ(supplicant_.calls, (Calls{"List", "Disable /net/0", "Disable /net/2", "Add", "Select /net/9"}));
  ASSERT_TRUE(supplicant_.added);
  const gchar* psk = nullptr;
  ASSERT_TRUE(g_variant_lookup(supplicant_.added.get(), "psk", "&s", &psk));
  EXPECT_STREQ(psk, "lab-passphrase-0f7c2a91");
}

TEST_F(HandoverTest, SupplicantRestoreRemovesThePrinterNetworkAndEnablesOnlyThoseEnabledBefore) {
  supplicant_.networks = {{"/net/0", true}, {"/net/1", false}, {"/net/2", true}};
  UseSupplicant();
  Prepare();
  Join();
  supplicant_.calls.clear();
  auto restored = Restore();
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->ok());
  EXPECT_EQ(supplicant_.calls, (Calls{"Remove /net/9", "Enable /net/0", "Enable /net/2"}));
}

TEST_F(HandoverTest, SupplicantRestoreAfterAFailedRunOnlyEnablesAgain) {
  supplicant_.networks = {{"/net/0", true}};
  UseSupplicant();
  Prepare();
  supplicant_.calls.clear();
  Restore();
  EXPECT_EQ(supplicant_.calls, (Calls{"Enable /net/0"}));
}

TEST_F(HandoverTest, SupplicantCtrlCWhileThePrinterNetworkIsAddedRemovesIt) {
  UseSupplicant();
  Prepare();
  supplicant_.hold = {"Add"};
  handover_->Join(PrinterNetwork(), [](Status) { ADD_FAILURE() << "Join's completion after Restore"; });
  RunPending(context_);
  std::optional<Status> restored;
  handover_->Restore([&restored](Status s) { restored = std::move(s); });
  RunPending(context_);
  supplicant_.Release();
  RunPending(context_);
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(supplicant_.Called("Remove /net/9"));
  EXPECT_FALSE(supplicant_.Called("Select /net/9")) << "nothing more goes out once Restore was asked for";
}

TEST_F(HandoverTest, SupplicantKeepNetworkLeavesItThere) {
  supplicant_.networks = {{"/net/0", true}};
  UseSupplicant(/*keep=*/true);
  Prepare();
  Join();
  supplicant_.calls.clear();
  Restore();
  EXPECT_EQ(supplicant_.calls, (Calls{"Enable /net/0"}));
}

}  // namespace
}  // namespace cupswps::wps
