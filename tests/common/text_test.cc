#include "common/text.h"

#include <gtest/gtest.h>

namespace cupswps::text {
namespace {

TEST(Text, ValidUtf8AcceptsMultibyteAndRejectsGarbage) {
  EXPECT_TRUE(IsValidUtf8("Imprimante \xC3\xA9t\xC3\xA9 \xF0\x9F\x96\xA8"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Text, CleanRemovesControlsCollapsesSpaceAndCutsOnCharacterBoundary) {
  EXPECT_EQ(Clean("  a\n*FoomaticRIPCommandLine: x\x7f y ", 100), "a *FoomaticRIPCommandLine: x y");
  EXPECT_EQ(Clean("a\xFF" "b", 100), "a b");
  EXPECT_EQ(Clean("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");  // never half a character
  EXPECT_EQ(Clean("\xC2\x85x", 10), "x");               // C1 control NEL
}

TEST(Text, EllipsizeCountsCodePoints) {
  EXPECT_EQ(Ellipsize("abc", 3), "abc");
  EXPECT_EQ(Ellipsize("abcd", 3), "ab\xE2\x80\xA6");
  EXPECT_EQ(CodePoints("\xC3\xA9t\xC3\xA9"), 3u);
}

}  // namespace
}  // namespace cupswps::text
