// SPDX-License-Identifier: Apache-2.0
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

TEST(Text, CleanRemovesBidiOverridesIsolatesAndZeroWidthCharacters) {
  EXPECT_EQ(Clean("Nice Jet\xE2\x80\xAEgpj.exe", 100), "Nice Jetgpj.exe");              // U+202E
  EXPECT_EQ(Clean("\xE2\x81\xA6Office\xE2\x81\xA9 Jet", 100), "Office Jet");         // U+2066, U+2069
  EXPECT_EQ(Clean("Off\xE2\x80\x8Bice\xEF\xBB\xBF", 100), "Office");                  // U+200B, U+FEFF
  EXPECT_EQ(Clean("\xC2\xAD \xE2\x80\x8D", 100), "");                                   // soft hyphen, ZWJ
  EXPECT_EQ(Clean("a\xF3\xA0\x80\x81" "b", 100), "ab");                                  // U+E0001 tag
  EXPECT_EQ(Clean("Dru\xCC\x88" "cker \xD8\xA7", 100), "Dru\xCC\x88" "cker \xD8\xA7");  // Mn and Arabic letters stay
}

TEST(Text, FormatCharactersAreExactlyCategoryCf) {
  for (const char32_t cp : {0x00ADu, 0x061Cu, 0x200Bu, 0x200Fu, 0x202Au, 0x202Eu, 0x2066u, 0x2069u, 0xFEFFu,
                            0x1343Fu, 0xE007Fu}) {
    EXPECT_TRUE(IsFormatCharacter(cp)) << std::hex << static_cast<unsigned>(cp);
  }
  for (const char32_t cp : {0x0041u, 0x00ACu, 0x00AEu, 0x0308u, 0x200Au, 0x2010u, 0x2029u, 0x2065u, 0xFFFDu,
                            0xE0000u, 0xE0080u, 0x10FFFFu}) {
    EXPECT_FALSE(IsFormatCharacter(cp)) << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(Text, EllipsizeCountsCodePoints) {
  EXPECT_EQ(Ellipsize("abc", 3), "abc");
  EXPECT_EQ(Ellipsize("abcd", 3), "ab\xE2\x80\xA6");
  EXPECT_EQ(CodePoints("\xC3\xA9t\xC3\xA9"), 3u);
}

}  // namespace
}  // namespace cupswps::text
