// Unit tests of the push/pull message decoding and the update-list encoding.
#include "collab/update.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "collab/collab_errors.h"

namespace pair::collab {
namespace {

namespace json = boost::json;

TEST(DecodePush, ReadsVersionAndUpdates) {
  auto push = decode_push(json::parse(
      R"({"version":3,"updates":[{"clientID":"k2j4","changes":[1,[0,"x"]]},{"clientID":"k2j4","changes":[2,[0,"y"]],"effects":[]}]})"));
  ASSERT_TRUE(push);
  EXPECT_EQ(push->version, 3);
  ASSERT_EQ(push->updates.size(), 2u);
  EXPECT_EQ(push->updates[0].client_id, "k2j4");
  EXPECT_EQ(push->updates[1].changes.to_json_text(), R"([2,[0,"y"]])");
}

TEST(DecodePush, RefusesMalformedMessages) {
  const char* bad[] = {
      R"([])",
      R"({"updates":[]})",
      R"({"version":1})",
      R"({"version":-1,"updates":[]})",
      R"({"version":"1","updates":[]})",
      R"({"version":1.5,"updates":[]})",
      R"({"version":1,"updates":{}})",
      R"({"version":1,"updates":[5]})",
      R"({"version":1,"updates":[{"changes":[1]}]})",
      R"({"version":1,"updates":[{"clientID":7,"changes":[1]}]})",
      R"({"version":1,"updates":[{"clientID":"","changes":[1]}]})",
      R"({"version":1,"updates":[{"clientID":"a"}]})",
      R"({"version":1,"updates":[{"clientID":"a","changes":"[1]"}]})",
  };
  for (const char* text : bad) {
    auto r = decode_push(json::parse(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error(), CollabErrc::malformed) << text;
  }
  std::string long_id(kMaxClientIdBytes + 1, 'a');
  EXPECT_FALSE(decode_push(json::parse(R"({"version":1,"updates":[{"clientID":")" + long_id + R"(","changes":[1]}]})")));
}

TEST(DecodePush, BoundsTheNumberOfUpdates) {
  json::array updates;
  for (std::size_t i = 0; i <= kMaxUpdatesPerPush; ++i) updates.push_back(json::object{{"clientID", "a"}, {"changes", json::array{}}});
  json::object push{{"version", 0}, {"updates", updates}};
  EXPECT_EQ(decode_push(push).error(), CollabErrc::too_large);
  updates.pop_back();
  push["updates"] = updates;
  EXPECT_TRUE(decode_push(push));
}

TEST(UpdatesPayload, CopiesStoredChangesVerbatim) {
  std::vector<store::CollabUpdate> updates{{"a\"b", "[1,[0,\"x\"]]"}, {"c", "[[2]]"}};
  std::string text = updates_payload(7, updates);
  EXPECT_EQ(text, R"({"version":7,"updates":[{"clientID":"a\"b","changes":[1,[0,"x"]]},{"clientID":"c","changes":[[2]]}]})");
  EXPECT_TRUE(json::parse(text).is_object());
  EXPECT_EQ(updates_payload(0, {}), R"({"version":0,"updates":[]})");
}

TEST(ToStored, WritesTheCanonicalChanges) {
  Update update{"id1", parse_change_set(R"([[2,""],1])").value()};
  auto stored = to_stored(update);
  EXPECT_EQ(stored.client_id, "id1");
  EXPECT_EQ(stored.changes_json, "[[2],1]");
}

}  // namespace
}  // namespace pair::collab
