// ChannelRouter: exact and wildcard patterns, first declared match wins, '*' only at the end.
#include "roost/channels/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using roost::channels::Channel;
using roost::channels::ChannelFactory;
using roost::channels::ChannelRouter;

// A factory that records its name when called, so a test can tell which route matched.
ChannelFactory named(std::string name, std::vector<std::string>* calls) {
  return [name, calls]() -> std::unique_ptr<Channel> {
    calls->push_back(name);
    return nullptr;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  std::string match(std::string_view topic) {
    const ChannelFactory* f = router.match(topic);
    if (f == nullptr) return "<none>";
    calls.clear();
    (void)(*f)();
    return calls.size() == 1 ? calls[0] : "<bad>";
  }
  std::vector<std::string> calls;
  ChannelRouter router;
};

TEST_F(RouterTest, ExactPatternMatchesOnlyThatTopic) {
  router.channel("phoenix", named("exact", &calls));
  EXPECT_EQ(match("phoenix"), "exact");
  EXPECT_EQ(match("phoenix:1"), "<none>");
  EXPECT_EQ(match("phoeni"), "<none>");
  EXPECT_EQ(match(""), "<none>");
}

TEST_F(RouterTest, WildcardMatchesThePrefix) {
  router.channel("room:*", named("room", &calls));
  EXPECT_EQ(match("room:lobby"), "room");
  EXPECT_EQ(match("room:"), "room");  // an empty suffix matches too
  EXPECT_EQ(match("room"), "<none>");
  EXPECT_EQ(match("rooms:1"), "<none>");
  EXPECT_EQ(match("xroom:1"), "<none>");
}

TEST_F(RouterTest, BareStarMatchesEverything) {
  router.channel("*", named("any", &calls));
  EXPECT_EQ(match("anything"), "any");
  EXPECT_EQ(match(""), "any");
}

TEST_F(RouterTest, FirstDeclaredMatchWins) {
  router.channel("room:*", named("wide", &calls))
      .channel("room:lobby", named("exact", &calls))
      .channel("room:lob*", named("narrow", &calls))
      .channel("chat:lobby", named("chat-exact", &calls))
      .channel("chat:*", named("chat-wide", &calls));
  EXPECT_EQ(match("room:lobby"), "wide");
  EXPECT_EQ(match("room:lobbyist"), "wide");
  EXPECT_EQ(match("chat:lobby"), "chat-exact");
  EXPECT_EQ(match("chat:other"), "chat-wide");
  EXPECT_EQ(match("other"), "<none>");
}

TEST_F(RouterTest, StarNotAtTheEndThrows) {
  EXPECT_THROW(router.channel("room:*:x", named("bad", &calls)), std::invalid_argument);
  EXPECT_THROW(router.channel("*room", named("bad", &calls)), std::invalid_argument);
  EXPECT_THROW(router.channel("a**", named("bad", &calls)), std::invalid_argument);
  // Nothing was registered by the refused patterns.
  EXPECT_EQ(match("room:1:x"), "<none>");
  EXPECT_EQ(match("room:*:x"), "<none>");
}

TEST_F(RouterTest, TemplateRegistrationCreatesTheChannelType) {
  struct Probe : Channel {
    roost::Task<roost::channels::JoinResult> join(std::string_view, const roost::proto::Payload&) override {
      co_return roost::channels::JoinResult::ok();
    }
  };
  router.channel<Probe>("p:*");
  const ChannelFactory* f = router.match("p:1");
  ASSERT_NE(f, nullptr);
  auto channel = (*f)();
  EXPECT_NE(dynamic_cast<Probe*>(channel.get()), nullptr);
}

}  // namespace
