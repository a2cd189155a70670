// SPDX-License-Identifier: Apache-2.0
#include "common/json.h"

#include <gtest/gtest.h>

namespace cupswps::json {
namespace {

TEST(Json, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Quote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(Json, WritesNestedObjectsWithCommasInTheRightPlaces) {
  Writer w;
  w.BeginObject().Key("a").Int(1).Key("b").StringArray({"x", "y"}).Key("c").Null().Key("d").Bool(true)
      .Key("e").StringOrNull("").EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x","y"],"c":null,"d":true,"e":null})");
}

}  // namespace
}  // namespace cupswps::json
