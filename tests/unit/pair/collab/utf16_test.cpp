// Unit tests of pair::collab's UTF-16 unit counting over UTF-8 (emoji, CJK, combining
// characters, invalid sequences).
#include "collab/utf16.h"

#include <gtest/gtest.h>

#include "collab/collab_errors.h"

namespace pair::collab {
namespace {

TEST(Utf16Length, CountsUnitsAsJavaScriptDoes) {
  EXPECT_EQ(utf16_length("").value(), 0u);
  EXPECT_EQ(utf16_length("hello").value(), 5u);
  EXPECT_EQ(utf16_length("a\xF0\x9F\x98\x80" "b").value(), 4u);   // "a😀b": emoji = 2 units
  EXPECT_EQ(utf16_length("\xE6\xBC\xA2\xE5\xAD\x97").value(), 2u);  // "漢字": 1 unit each
  EXPECT_EQ(utf16_length("e\xCC\x81").value(), 2u);                 // e + combining acute: 2
  EXPECT_EQ(utf16_length("\xC3\xA9").value(), 1u);                  // precomposed é
  // 👍🏽 = thumbs up + skin tone modifier: two astral code points, 4 units.
  EXPECT_EQ(utf16_length("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD").value(), 4u);
  EXPECT_EQ(utf16_length("a\nb").value(), 3u);
}

TEST(Utf16Length, RefusesInvalidUtf8AndNul) {
  const std::string_view bad[] = {
      std::string_view("\x80", 1),              // lone continuation byte
      std::string_view("\xC0\xAF", 2),          // overlong '/'
      std::string_view("\xE0\x80\xAF", 3),      // overlong
      std::string_view("\xED\xA0\xBD", 3),      // encoded surrogate (CESU-8)
      std::string_view("\xF4\x90\x80\x80", 4),  // above U+10FFFF
      std::string_view("\xF0\x9F\x98", 3),      // truncated emoji
      std::string_view("\xFF", 1),
      std::string_view("a\0b", 3),              // NUL
  };
  for (auto s : bad) EXPECT_EQ(utf16_length(s).error(), CollabErrc::invalid_text) << testing::PrintToString(s);
}

TEST(SkipUnits, MovesByUnitsAndNeverSplitsAPair) {
  const std::string_view text = "a\xF0\x9F\x98\x80" "b";  // a 😀 b
  EXPECT_EQ(skip_units(text, 0, 0).value(), 0u);
  EXPECT_EQ(skip_units(text, 0, 1).value(), 1u);
  EXPECT_EQ(skip_units(text, 0, 3).value(), 5u);
  EXPECT_EQ(skip_units(text, 0, 4).value(), 6u);
  EXPECT_EQ(skip_units(text, 1, 2).value(), 5u);
  EXPECT_EQ(skip_units(text, 0, 2).error(), CollabErrc::splits_character);
  EXPECT_EQ(skip_units(text, 1, 1).error(), CollabErrc::splits_character);
  EXPECT_EQ(skip_units(text, 0, 5).error(), CollabErrc::length_mismatch);
  EXPECT_EQ(skip_units(std::string_view("a\xFF", 2), 0, 2).error(), CollabErrc::invalid_text);
}

TEST(NormalizeLineBreaks, FoldsCrLfAndCrIntoLf) {
  EXPECT_EQ(normalize_line_breaks("a\r\nb\rc\nd"), "a\nb\nc\nd");
  EXPECT_EQ(normalize_line_breaks("\r\r\n\n"), "\n\n\n");
  EXPECT_EQ(normalize_line_breaks("x\r"), "x\n");
  EXPECT_EQ(normalize_line_breaks("plain"), "plain");
}

}  // namespace
}  // namespace pair::collab
