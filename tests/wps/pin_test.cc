// SPDX-License-Identifier: Apache-2.0
// PIN rules: the checksum, what people type, generation.
#include "wps/pin.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cupswps::wps {
namespace {

TEST(Pin, ChecksumOfKnownPins) {
  EXPECT_EQ(PinChecksum(1234567), 0);  // 12345670, the WSC example
  EXPECT_EQ(PinChecksum(8765432), 5);  // 87654325
  EXPECT_EQ(PinChecksum(0), 0);
  EXPECT_EQ(PinChecksum(1111111), 5);  // 11111115
}

struct ParseCase {
  const char* typed;
  const char* digits;  // nullptr: refused
};

class PinParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(PinParse, AcceptsWhatPeopleTypeAndNothingElse) {
  const ParseCase& c = GetParam();
  const Result<Pin> pin = ParsePin(c.typed);
  if (c.digits == nullptr) {
    ASSERT_FALSE(pin.ok()) << c.typed;
    EXPECT_EQ(pin.error().code, ErrorCode::kInvalidArgument);
    // The sentence never repeats what was typed, nor any digits at all.
    EXPECT_EQ(pin.error().message.find_first_of("0123456789"), std::string::npos) << pin.error().message;
  } else {
    ASSERT_TRUE(pin.ok()) << c.typed << ": " << pin.error().message;
    EXPECT_EQ(pin.value().digits(), c.digits);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, PinParse,
                         ::testing::Values(ParseCase{"12345670", "12345670"}, ParseCase{"1234-5670", "12345670"},
                                           ParseCase{"1234 5670", "12345670"}, ParseCase{"  12345670\n", "12345670"},
                                           ParseCase{"87654325", "87654325"}, ParseCase{"1234", "1234"},
                                           ParseCase{"0000", "0000"}, ParseCase{"12345678", nullptr},
                                           ParseCase{"1234567", nullptr}, ParseCase{"123456700", nullptr},
                                           ParseCase{"12-345670", nullptr}, ParseCase{"1234--5670", nullptr},
                                           ParseCase{"1234-", nullptr}, ParseCase{"abcd", nullptr},
                                           ParseCase{"", nullptr}, ParseCase{"1234\n5670", nullptr},
                                           ParseCase{"12345670x", nullptr}, ParseCase{"١٢٣٤", nullptr}));

TEST(Pin, GroupedForReading) {
  char out[10];
  auto eight = ParsePin("12345670");
  ASSERT_TRUE(eight.ok());
  EXPECT_EQ(std::string(out, eight.value().Grouped(out)), "1234-5670");
  auto four = ParsePin("0042");
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(std::string(out, four.value().Grouped(out)), "0042");
}

TEST(Pin, MovingLeavesNothingBehind) {
  auto pin = ParsePin("12345670");
  ASSERT_TRUE(pin.ok());
  Pin moved = std::move(pin.value());
  EXPECT_EQ(moved.digits(), "12345670");
  EXPECT_TRUE(pin.value().empty());  // NOLINT(bugprone-use-after-move): that is the point
}

TEST(Pin, FromRandomDigitsHasAValidChecksum) {
  for (const std::uint32_t r : {0u, 1u, 1234567u, 9999999u, 5550123u}) {
    const Pin pin = PinFromRandom(r);
    ASSERT_EQ(pin.size(), 8u);
    EXPECT_TRUE(ParsePin(pin.digits()).ok()) << pin.digits();
  }
}

TEST(Pin, GeneratedPinsAreValidAndVary) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto pin = GeneratePin();
    ASSERT_TRUE(pin.ok());
    ASSERT_TRUE(ParsePin(pin.value().digits()).ok());
    seen.insert(std::string(pin.value().digits()));
  }
  EXPECT_GT(seen.size(), 45u);  // 10^7 PINs: a repeat in 50 is a one-in-8000 event
}

}  // namespace
}  // namespace cupswps::wps
