// Unit tests of the ChangeSet JSON model and its strict decoder: the forms
// @codemirror/state produces (research/collab-editing.md §5 examples) and hostile input.
#include "collab/change_set.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "collab/collab_errors.h"

namespace pair::collab {
namespace {

ChangeSet parsed(std::string_view text) {
  auto r = parse_change_set(text);
  EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message());
  return r ? *r : ChangeSet{};
}

TEST(ChangeSetDecode, ReadsEveryFormToJsonProduces) {
  // On "Hello world" (11 units), as @codemirror/state 6 writes them.
  struct Case {
    const char* json;
    std::size_t old_length, new_length;
  } cases[] = {
      {"[5,[0,\",\"],6]", 11, 12},            // insert "," at 5
      {"[[6],5]", 11, 5},                     // delete 0-6
      {"[6,[5,\"there\"]]", 11, 11},          // replace 6-11
      {"[5,[0,\"\",\"\"],6]", 11, 12},        // insert a line break
      {"[11,[0,\"a\",\"b\",\"\"]]", 11, 15},  // insert "a\nb\n" at the end
      {"[[0,\">\"],6,[5,\"there\"]]", 11, 12},
      {"[[5],[0,\"Bye\"],6]", 11, 9},
      {"[11]", 11, 11},                       // no change
      {"[]", 0, 0},                           // no change on an empty document
  };
  for (const auto& c : cases) {
    ChangeSet set = parsed(c.json);
    EXPECT_EQ(set.old_length(), c.old_length) << c.json;
    EXPECT_EQ(set.new_length(), c.new_length) << c.json;
    EXPECT_EQ(set.to_json_text(), c.json) << "round trip";
  }
}

TEST(ChangeSetDecode, CountsInsertedTextInUtf16Units) {
  ChangeSet set = parsed("[1,[0,\"\xF0\x9F\x98\x80\xE6\xBC\xA2\"],1]");  // 😀漢 = 3 units
  EXPECT_EQ(set.old_length(), 2u);
  EXPECT_EQ(set.new_length(), 5u);
  EXPECT_EQ(parsed("[[0,\"e\xCC\x81\"]]").new_length(), 2u);  // combining mark: its own unit
}

TEST(ChangeSetDecode, AnEmptyInsertionIsADeletionAsFromJsonMakesIt) {
  ChangeSet set = parsed("[[3,\"\"],2]");
  EXPECT_EQ(set.new_length(), 2u);
  EXPECT_EQ(set.to_json_text(), "[[3],2]");
  EXPECT_EQ(parsed("[[0],4]").to_json_text(), "[[0],4]");
  EXPECT_EQ(parsed("[0,4]").to_json_text(), "[0,4]");  // sections are kept as given, not merged
}

TEST(ChangeSetDecode, RefusesWhatFromJsonRefuses) {
  const char* malformed[] = {
      "{}", "5", "\"x\"", "null", "[\"a\"]", "[[]]", "[[\"a\"]]", "[[1,2]]", "[[1,\"a\",3]]", "[null]",
      "[true]", "[{}]", "[[1,null]]", "[[[1]]]", "not json", "[1,", "",
  };
  for (const char* text : malformed) EXPECT_EQ(parse_change_set(text).error(), CollabErrc::malformed) << text;
}

TEST(ChangeSetDecode, RefusesWhatValidClientsNeverSend) {
  // Negative or fractional lengths (fromJSON would take them and corrupt its state).
  for (const char* text : {"[-1]", "[[-1]]", "[1.5]", "[[2.0,\"a\"]]", "[1e2]"})
    EXPECT_EQ(parse_change_set(text).error(), CollabErrc::malformed) << text;
  // A line break or NUL inside a line: CodeMirror never produces one, and it would count
  // differently on every client.
  for (const char* text : {"[[0,\"a\\nb\"]]", "[[0,\"a\\r\"]]", "[[0,\"a\\u0000\"]]"})
    EXPECT_EQ(parse_change_set(text).error(), CollabErrc::invalid_text) << text;
  // Lone surrogates: refused by the JSON parser already.
  for (const char* text : {"[[0,\"\\ud83d\"]]", "[[0,\"\\ude00x\"]]"})
    EXPECT_EQ(parse_change_set(text).error(), CollabErrc::malformed) << text;
  // Invalid UTF-8 inside a string.
  EXPECT_EQ(parse_change_set("[[0,\"\xFF\"]]").error(), CollabErrc::malformed);
}

TEST(ChangeSetDecode, BoundsLengthsSoSumsCannotOverflow) {
  EXPECT_EQ(parse_change_set("[1073741825]").error(), CollabErrc::too_large);
  EXPECT_EQ(parse_change_set("[18446744073709551615]").error(), CollabErrc::too_large);
  EXPECT_EQ(parse_change_set("[1073741824,1]").error(), CollabErrc::too_large);
  EXPECT_TRUE(parse_change_set("[1073741824]"));
}

TEST(ChangeSetDecode, DecodesAValueBuiltInMemory) {
  // A value that never went through the parser: strings are still checked for UTF-8.
  boost::json::array bad{boost::json::array{0, boost::json::string("\xC0\xAF")}};
  EXPECT_EQ(decode_change_set(bad).error(), CollabErrc::invalid_text);
  boost::json::array good{3, boost::json::array{1, "x", "y"}};
  auto set = decode_change_set(good);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->old_length(), 4u);
  EXPECT_EQ(set->new_length(), 6u);
}

TEST(ChangeSetReplaceAll, WritesWhatChangeSetOfWrites) {
  EXPECT_EQ(ChangeSet::replace_all(0, "").value().to_json_text(), "[]");
  EXPECT_EQ(ChangeSet::replace_all(4, "").value().to_json_text(), "[[4]]");
  EXPECT_EQ(ChangeSet::replace_all(0, "ab").value().to_json_text(), "[[0,\"ab\"]]");
  ChangeSet set = ChangeSet::replace_all(7, "x\n\xF0\x9F\x98\x80\n").value();
  EXPECT_EQ(set.to_json_text(), "[[7,\"x\",\"\xF0\x9F\x98\x80\",\"\"]]");
  EXPECT_EQ(set.old_length(), 7u);
  EXPECT_EQ(set.new_length(), 5u);
  EXPECT_EQ(ChangeSet::replace_all(0, std::string_view("a\0", 2)).error(), CollabErrc::invalid_text);
}

}  // namespace
}  // namespace pair::collab
