// SPDX-License-Identifier: Apache-2.0
// The UUID-E of an access point's WPS element, as BSS's ie= gives it (hex).
// The elements came over the air: malformed ones give no UUID.
#include "wps/wps_ie.h"

#include <gtest/gtest.h>

namespace cupswps::wps {
namespace {

// SSID "lab-router", then a WPS element: version 1.0, UUID-E.
constexpr char kIes[] =
    "000a6c61622d726f75746572"
    "dd1d0050f204104a00011010470010123456789abcdef012340000000000a1";

TEST(WpsIe, TheUuidOfTheWpsElementIsRead) {
  EXPECT_EQ(WpsUuidFromIes(kIes), "12345678-9abc-def0-1234-0000000000a1");
  EXPECT_EQ(WpsUuidFromIes("000a6c61622d726f75746572"), "") << "no WPS element";
}

TEST(WpsIe, AUuidSplitOverTwoWpsElementsIsJoined) {
  // The UUID-E attribute is cut after its first 6 bytes, as a long WPS
  // element is split into several.
  EXPECT_EQ(WpsUuidFromIes("dd130050f204104a00011010470010123456789abcdd0c0050f204def0123400000000dd060050f20400a1"),
            "12345678-9abc-def0-1234-0000000000a1");
}

TEST(WpsIe, MalformedElementsGiveNoUuid) {
  EXPECT_EQ(WpsUuidFromIes("dd1a0050f204"), "") << "an element longer than what is left";
  EXPECT_EQ(WpsUuidFromIes("dd0a0050f204104700101234"), "") << "an attribute longer than the element";
  EXPECT_EQ(WpsUuidFromIes("dd0c0050f2041047000412345678"), "") << "not 16 bytes";
  EXPECT_EQ(WpsUuidFromIes("zz"), "");
  EXPECT_EQ(WpsUuidFromIes("abc"), "") << "an odd number of digits";
  // A vendor element of someone else's OUI with the same bytes inside.
  EXPECT_EQ(WpsUuidFromIes("dd1d0050f202104a00011010470010123456789abcdef012340000000000a1"), "");
}

}  // namespace
}  // namespace cupswps::wps
