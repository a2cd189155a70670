// SPDX-License-Identifier: Apache-2.0
// The pin store on a directory of the test's own.
#include "queues/pin_store.h"

#include <glib.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace cupswps::queues {
namespace {

class PinStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/cups-wps-pins-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

const Pin kPin{"uuid:11111111-2222-3333-4444-555555555555",
               {true, "sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0="},
               "Office Jet",
               "ipps://10.0.0.5:631/ipp/print",
               1795689914};

TEST_F(PinStoreTest, SavesLoadsReplacesAndRemovesAPrinterPin) {
  const PinStore store(root_ + "/pins");
  auto none = store.Load(kPin.printer);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store.Save(kPin).ok());
  EXPECT_EQ(store.PathFor(kPin.printer), root_ + "/pins/uuid-11111111-2222-3333-4444-555555555555");
  struct stat st {};
  ASSERT_EQ(stat(store.PathFor(kPin.printer).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u) << "readable by lp, writable by its owner only";
  auto loaded = store.Load(kPin.printer);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->identity, kPin.identity);

  Pin renewed = kPin;
  renewed.identity = {false, ""};
  ASSERT_TRUE(store.Save(renewed).ok());
  EXPECT_FALSE((*store.Load(kPin.printer))->identity.tls);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_ + "/pins"), {}), 1) << "no temporary left";

  ASSERT_TRUE(store.Remove(kPin.printer).ok());
  EXPECT_FALSE(store.Load(kPin.printer)->has_value());
  EXPECT_TRUE(store.Remove(kPin.printer).ok()) << "removing what is not there is no error";
}

TEST_F(PinStoreTest, NamesBecomeHashedFileNames) {
  const PinStore store(root_);
  const std::string path = store.PathFor("name:../../etc/passwd \xE2\x80\xAE");
  EXPECT_EQ(path.find("/etc"), std::string::npos);
  EXPECT_EQ(path.rfind(root_ + "/name-", 0), 0u);
  EXPECT_EQ(path.size(), root_.size() + 6 + 64);
}

TEST_F(PinStoreTest, AFileOfAnotherPrinterOrAMalformedOneIsAnError) {
  const PinStore store(root_);
  Pin other = kPin;
  other.printer = "uuid:99999999-2222-3333-4444-555555555555";
  ASSERT_TRUE(store.Save(other).ok());
  std::filesystem::rename(store.PathFor(other.printer), store.PathFor(kPin.printer));
  EXPECT_FALSE(store.Load(kPin.printer).ok()) << "a file renamed to another printer's name";
  std::ofstream(store.PathFor(kPin.printer)) << "printer uuid:11111111-2222-3333-4444-555555555555\ntls maybe\n";
  EXPECT_FALSE(store.Load(kPin.printer).ok());
}

TEST_F(PinStoreTest, DefaultFollowsCupsWpsStatedir) {
  g_setenv("CUPS_WPS_STATEDIR", root_.c_str(), TRUE);
  EXPECT_EQ(PinStore::Default().directory(), root_ + "/pins");
  g_unsetenv("CUPS_WPS_STATEDIR");
  EXPECT_EQ(PinStore::Default().directory(), "/var/lib/cups-wps/pins");
}

}  // namespace
}  // namespace cupswps::queues
