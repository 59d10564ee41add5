// Unit tests of apply_changes(): UTF-16 positions over UTF-8 text, length checks, and positions
// that would split a character.
#include "collab/apply_changes.h"

#include <gtest/gtest.h>

#include "collab/collab_errors.h"

namespace pair::collab {
namespace {

std::string applied(std::string_view text, std::string_view changes) {
  auto set = parse_change_set(changes);
  EXPECT_TRUE(set) << changes;
  if (!set) return "<bad changes>";
  auto out = apply_changes(text, *set);
  EXPECT_TRUE(out) << changes << ": " << (out ? "" : out.error().message());
  return out ? *out : "<apply failed>";
}

std::error_code apply_error(std::string_view text, std::string_view changes) {
  auto set = parse_change_set(changes);
  EXPECT_TRUE(set) << changes;
  auto out = apply_changes(text, *set);
  EXPECT_FALSE(out) << changes << " applied to " << text << " gave " << (out ? *out : "");
  return out ? std::error_code{} : out.error();
}

TEST(ApplyChanges, TheResearchExamplesOnHelloWorld) {
  EXPECT_EQ(applied("Hello world", "[5,[0,\",\"],6]"), "Hello, world");
  EXPECT_EQ(applied("Hello world", "[[6],5]"), "world");
  EXPECT_EQ(applied("Hello world", "[6,[5,\"there\"]]"), "Hello there");
  EXPECT_EQ(applied("Hello world", "[5,[0,\"\",\"\"],6]"), "Hello\n world");
  EXPECT_EQ(applied("Hello world", "[11,[0,\"a\",\"b\",\"\"]]"), "Hello worlda\nb\n");
  EXPECT_EQ(applied("Hello world", "[[0,\">\"],6,[5,\"there\"]]"), ">Hello there");
  EXPECT_EQ(applied("Hello world", "[[5],[0,\"Bye\"],6]"), "Bye world");
  EXPECT_EQ(applied("Hello world", "[11]"), "Hello world");
  EXPECT_EQ(applied("", "[]"), "");
  EXPECT_EQ(applied("", "[[0,\"x\"]]"), "x");
}

TEST(ApplyChanges, EmojiCountTwoUnits) {
  const std::string doc = "a\xF0\x9F\x98\x80" "b";  // a😀b, 4 units
  EXPECT_EQ(applied(doc, "[4,[0,\"!\"]]"), doc + "!");
  EXPECT_EQ(applied(doc, "[1,[2],1]"), "ab");                             // delete the emoji
  EXPECT_EQ(applied(doc, "[3,[0,\"\xF0\x9F\x8E\x89\"],1]"), "a\xF0\x9F\x98\x80\xF0\x9F\x8E\x89" "b");
  EXPECT_EQ(apply_error(doc, "[2,[0,\"x\"],2]"), CollabErrc::splits_character);  // inside 😀
  EXPECT_EQ(apply_error(doc, "[1,[1],2]"), CollabErrc::splits_character);        // half of it
  EXPECT_EQ(apply_error(doc, "[6]"), CollabErrc::length_mismatch);               // bytes, not units
}

TEST(ApplyChanges, CjkAndCombiningCharacters) {
  const std::string cjk = "\xE4\xBD\xA0\xE5\xA5\xBD";  // 你好: 2 units, 6 bytes
  EXPECT_EQ(applied(cjk, "[1,[0,\"\xE7\x9A\x84\"],1]"), "\xE4\xBD\xA0\xE7\x9A\x84\xE5\xA5\xBD");
  EXPECT_EQ(apply_error(cjk, "[6]"), CollabErrc::length_mismatch);
  // "é" as e + U+0301 is two units: CodeMirror may put a position between them.
  const std::string combining = "e\xCC\x81x";
  EXPECT_EQ(applied(combining, "[1,[1],1]"), "ex");
  EXPECT_EQ(applied(combining, "[1,[0,\"!\"],2]"), "e!\xCC\x81x");
}

TEST(ApplyChanges, TheChangesMustCoverTheDocumentExactly) {
  EXPECT_EQ(apply_error("abc", "[2]"), CollabErrc::length_mismatch);
  EXPECT_EQ(apply_error("abc", "[4]"), CollabErrc::length_mismatch);
  EXPECT_EQ(apply_error("abc", "[[4,\"x\"]]"), CollabErrc::length_mismatch);
  EXPECT_EQ(apply_error("", "[1]"), CollabErrc::length_mismatch);
}

TEST(ApplyChanges, RefusesADocumentThatIsNotValidText) {
  EXPECT_EQ(apply_error(std::string_view("a\xFF" "b", 3), "[3]"), CollabErrc::invalid_text);
  EXPECT_EQ(apply_error(std::string_view("a\0b", 3), "[3]"), CollabErrc::invalid_text);
}

TEST(ApplyChanges, KeepsLineBreaksAsOneUnit) {
  EXPECT_EQ(applied("a\nb", "[2,[1,\"B\",\"C\"]]"), "a\nB\nC");
  EXPECT_EQ(applied("a\nb", "[1,[1],1]"), "ab");
}

}  // namespace
}  // namespace pair::collab
