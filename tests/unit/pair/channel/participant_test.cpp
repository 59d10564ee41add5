// Unit tests of a participant's Presence meta and colour.
#include "channel/participant.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace pair::channel {
namespace {

TEST(Participant, MetaHasEveryFieldTheRoomShows) {
  Participant p{7, "Ada", false, std::nullopt};
  boost::json::object meta = p.meta();
  EXPECT_EQ(meta.at("user_id"), 7);
  EXPECT_EQ(meta.at("first_name"), "Ada");
  EXPECT_EQ(meta.at("typing"), false);
  EXPECT_TRUE(meta.at("cursor").is_null());
  EXPECT_EQ(meta.at("color").as_string(), color_for(7));
  EXPECT_EQ(p.key(), "7");
  p.typing = true;
  p.cursor = Cursor{3, 9};
  meta = p.meta();
  EXPECT_EQ(meta.at("typing"), true);
  EXPECT_EQ(meta.at("cursor"), (boost::json::object{{"anchor", 3}, {"head", 9}}));
}

TEST(Participant, ColoursAreStableHexAndDifferForNeighbours) {
  const std::regex hex("#[0-9a-f]{6}");
  std::set<std::string> first_twelve;
  for (std::int64_t id = 1; id <= 12; ++id) {
    EXPECT_TRUE(std::regex_match(color_for(id), hex)) << color_for(id);
    EXPECT_EQ(color_for(id), color_for(id));
    first_twelve.insert(color_for(id));
  }
  EXPECT_EQ(first_twelve.size(), 12u);
  EXPECT_TRUE(std::regex_match(color_for(-5), hex));  // never out of the palette
}

}  // namespace
}  // namespace pair::channel
