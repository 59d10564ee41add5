// channels::Socket's router rules (protocol.md §7) driven frame by frame on a real loop with a recording Outbound.
#include "roost/channels/socket.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "roost/channels/socket_definition.h"
#include "roost/pubsub/pubsub.h"
#include "support/loop_runner.h"
#include "support/recording_outbound.h"

namespace {

namespace json = boost::json;
using roost::Task;
using roost::channels::Channel;
using roost::channels::ChannelRouter;
using roost::channels::ConnectResult;
using roost::channels::InResult;
using roost::channels::JoinResult;
using roost::channels::Socket;
using roost::channels::SocketContext;
using roost::channels::SocketDefinition;
using roost::channels::SocketLimits;
using roost::proto::Payload;
using roost::testing::LoopRunner;
using roost::testing::RecordingOutbound;
using roost::testing::settle;

// What the test channels did, in order.
struct Journal {
  std::vector<std::string> log;
  // A join whose params carry "wait" parks on this timer until the test cancels it.
  std::unique_ptr<boost::asio::steady_timer> gate;
  bool factory_throws = false;

  bool has(const std::string& entry) const { return std::find(log.begin(), log.end(), entry) != log.end(); }
};

json::object object_of(const Payload& payload) {
  if (payload.is_binary()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(payload.data, ec);
  return !ec && v.is_object() ? v.as_object() : json::object{};
}

class TestChannel : public Channel {
 public:
  explicit TestChannel(Journal& journal) : journal_(journal) {}

  Task<JoinResult> join(std::string_view topic, const Payload& payload) override {
    topic_ = topic;
    journal_.log.push_back("join " + topic_);
    json::object p = object_of(payload);
    if (p.contains("deny")) co_return JoinResult::error(json::value{{"reason", "unauthorized"}});
    if (p.contains("crash")) throw std::runtime_error("join crash requested");
    if (p.contains("wait")) {
      boost::system::error_code ec;
      co_await journal_.gate->async_wait(boost::asio::redirect_error(roost::use_awaitable, ec));
      journal_.log.push_back("released " + topic_);
    }
    if (p.contains("push")) push("early", json::value{{"n", 1}});
    if (p.contains("reply")) co_return JoinResult::ok(json::value{{"hello", "world"}});
    co_return JoinResult::ok();
  }

  Task<InResult> handle_in(std::string_view event, const Payload& payload) override {
    journal_.log.push_back("in " + topic_ + " " + std::string(event));
    if (event == "echo") co_return InResult::ok(payload);
    if (event == "boom") throw std::runtime_error("boom requested");
    if (event == "noreply") co_return InResult::no_reply();
    if (event == "stop") co_return InResult::stop("normal");
    if (event == "shout") {
      broadcast("shout", payload);
      co_return InResult::ok();
    }
    co_return InResult::reply("unknown");
  }

  void terminate(std::string_view reason) override { journal_.log.push_back("terminate " + topic_ + " " + std::string(reason)); }

 private:
  Journal& journal_;
  std::string topic_;
};

// Frames as JSON values (binary frames as "binary:<hex>") so comparisons ignore key order.
std::vector<json::value> parse_all(const std::vector<RecordingOutbound::Frame>& frames) {
  std::vector<json::value> out;
  for (const auto& f : frames) {
    if (f.binary) {
      static const char* digits = "0123456789abcdef";
      std::string hex = "binary:";
      for (unsigned char c : f.bytes) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
      }
      out.emplace_back(hex);
      continue;
    }
    boost::system::error_code ec;
    json::value v = json::parse(f.bytes, ec);
    out.push_back(ec ? json::value("<not json> " + f.bytes) : v);
  }
  return out;
}

std::vector<json::value> expected(std::initializer_list<std::string_view> frames) {
  std::vector<json::value> out;
  for (auto f : frames) out.push_back(json::parse(f));
  return out;
}

class SocketTest : public ::testing::Test {
 protected:
  SocketTest() { define({}); }

  void define(SocketLimits limits) {
    ChannelRouter router;
    router.channel("room:*", [this] { return std::make_unique<TestChannel>(journal); })
        .channel("phoenix", [this] { return std::make_unique<TestChannel>(journal); })
        .channel("flaky:*", [this]() -> std::unique_ptr<Channel> {
          if (journal.factory_throws) throw std::runtime_error("factory failure");
          return std::make_unique<TestChannel>(journal);
        });
    definition = std::make_unique<SocketDefinition>(pubsub, nullptr, std::move(router), limits);
  }

  // Must be called on the loop (the socket subscribes to its id topic there).
  std::unique_ptr<Socket> open(RecordingOutbound& outbound, std::optional<std::string> id = std::nullopt) {
    auto context = std::make_shared<SocketContext>();
    context->serializer = outbound.serializer();
    context->id = std::move(id);
    return std::make_unique<Socket>(*definition, outbound, std::move(context));
  }

  // Runs the body on the loop and fails the test if it did not finish.
  void run(std::function<Task<void>()> body) { ASSERT_TRUE(runner.run(std::move(body))) << "test body timed out"; }

  std::vector<json::value> take() { return parse_all(out.take()); }

  LoopRunner runner;
  roost::pubsub::PubSub pubsub{runner.group()};
  Journal journal;
  std::unique_ptr<SocketDefinition> definition;
  RecordingOutbound out;
};

void send(Socket& s, std::string_view frame) { s.on_frame(frame, false); }

// ASSERT_* returns, which a coroutine cannot: this one co_returns.
#define CO_ASSERT_TRUE(cond)                              \
  if (!(cond)) {                                          \
    ADD_FAILURE() << "assertion failed: " << #cond;       \
    co_return;                                            \
  }

constexpr std::string_view kJoinA = R"(["1","1","room:a","phx_join",{}])";
constexpr std::string_view kJoinedA = R"(["1","1","room:a","phx_reply",{"response":{},"status":"ok"}])";

TEST_F(SocketTest, HeartbeatIsAnsweredWithoutRouting) {
  run([&]() -> Task<void> {
    auto s = open(out);
    // A channel on the topic "phoenix" exists: the heartbeat still never reaches it.
    send(*s, R"(["1","1","phoenix","phx_join",{}])");
    co_await settle();
    send(*s, R"([null,"7","phoenix","heartbeat",{}])");
    send(*s, R"(["1",8,"phoenix","heartbeat",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["1","1","phoenix","phx_reply",{"response":{},"status":"ok"}])",
                                R"([null,"7","phoenix","phx_reply",{"response":{},"status":"ok"}])",
                                R"([null,8,"phoenix","phx_reply",{"response":{},"status":"ok"}])"}));
    EXPECT_FALSE(journal.has("in phoenix heartbeat"));
    EXPECT_TRUE(out.close_codes.empty());
  });
}

TEST_F(SocketTest, JoinAcceptedWithAndWithoutReply) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    send(*s, R"(["2","2","room:b","phx_join",{"reply":true}])");
    send(*s, R"([7,7,"room:c","phx_join",{}])");  // numeric refs are echoed as numbers
    co_await settle();
    EXPECT_EQ(take(), expected({kJoinedA, R"(["2","2","room:b","phx_reply",{"response":{"hello":"world"},"status":"ok"}])",
                                R"([7,7,"room:c","phx_reply",{"response":{},"status":"ok"}])"}));
    EXPECT_TRUE(s->has_channels());
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 1u);
  });
}

TEST_F(SocketTest, PushDuringJoinGoesAfterTheJoinReply) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["1","1","room:a","phx_join",{"push":true}])");
    co_await settle();
    EXPECT_EQ(take(), expected({kJoinedA, R"(["1",null,"room:a","early",{"n":1}])"}));
  });
}

TEST_F(SocketTest, JoinRefusedRegistersNothing) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["1","1","room:a","phx_join",{"deny":true}])");
    co_await settle();
    send(*s, R"(["1","2","room:a","echo",{}])");
    co_await settle();
    EXPECT_EQ(take(),
              expected({R"(["1","1","room:a","phx_reply",{"response":{"reason":"unauthorized"},"status":"error"}])",
                        R"([null,"2","room:a","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])"}));
    EXPECT_FALSE(s->has_channels());
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 0u);
  });
}

TEST_F(SocketTest, ThrowingJoinRepliesJoinCrashed) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["1","1","room:a","phx_join",{"crash":true}])");
    co_await settle();
    EXPECT_EQ(take(),
              expected({R"(["1","1","room:a","phx_reply",{"response":{"reason":"join crashed"},"status":"error"}])"}));
    EXPECT_FALSE(s->has_channels());
    // The socket goes on: a good join of the same topic works.
    send(*s, R"(["3","3","room:a","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["3","3","room:a","phx_reply",{"response":{},"status":"ok"}])"}));
    EXPECT_TRUE(out.close_codes.empty());
  });
}

TEST_F(SocketTest, ThrowingFactoryRepliesJoinCrashed) {
  run([&]() -> Task<void> {
    auto s = open(out);
    journal.factory_throws = true;
    send(*s, R"(["1","1","flaky:a","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(),
              expected({R"(["1","1","flaky:a","phx_reply",{"response":{"reason":"join crashed"},"status":"error"}])"}));
    EXPECT_TRUE(out.close_codes.empty());
  });
}

TEST_F(SocketTest, UnmatchedTopicRepliesWithNullJoinRef) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["1","1","nowhere","phx_join",{}])");
    send(*s, R"(["1","2","room:z","echo",{}])");       // §7.7: event on a topic with no channel
    send(*s, R"(["5","3","room:z","phx_leave",{}])");  // §7.6: leave of nothing succeeds
    send(*s, R"([null,"4","room:y","phx_leave",{}])");
    co_await settle();
    EXPECT_EQ(take(),
              expected({R"([null,"1","nowhere","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])",
                        R"([null,"2","room:z","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])",
                        R"(["5","3","room:z","phx_reply",{"response":{},"status":"ok"}])",
                        R"([null,"4","room:y","phx_reply",{"response":{},"status":"ok"}])"}));
    EXPECT_TRUE(journal.log.empty());
  });
}

TEST_F(SocketTest, DuplicateJoinRepliesThenClosesTheOldJoin) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    co_await settle();
    take();
    send(*s, R"(["2","2","room:a","phx_join",{"push":true}])");
    co_await settle();
    // New reply, then the old join's phx_close, then what the new channel pushed.
    EXPECT_EQ(take(), expected({R"(["2","2","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["1","1","room:a","phx_close",{}])", R"(["2",null,"room:a","early",{"n":1}])"}));
    EXPECT_TRUE(journal.has("terminate room:a duplicate join"));
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 1u);
    // Only the new join is live: the old join_ref is stale now.
    send(*s, R"(["1","3","room:a","echo",{}])");
    send(*s, R"(["2","4","room:a","echo",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["2","4","room:a","phx_reply",{"response":{},"status":"ok"}])"}));
  });
}

TEST_F(SocketTest, DuplicateJoinWhoseNewJoinFailsStillClosesTheOldJoinAtOnce) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["1","1","flaky:a","phx_join",{}])");
    co_await settle();
    take();
    journal.factory_throws = true;
    send(*s, R"(["2","2","flaky:a","phx_join",{}])");
    co_await settle();
    // §7.3: the old channel is terminated and its phx_close follows the new join's reply,
    // whatever that reply is.
    EXPECT_EQ(take(),
              expected({R"(["2","2","flaky:a","phx_reply",{"response":{"reason":"join crashed"},"status":"error"}])",
                        R"(["1","1","flaky:a","phx_close",{}])"}));
    // A later, unrelated join must not carry the old phx_close along.
    journal.factory_throws = false;
    send(*s, R"(["3","3","room:b","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["3","3","room:b","phx_reply",{"response":{},"status":"ok"}])"}));
  });
}

TEST_F(SocketTest, MaxChannelsPerSocket) {
  define(SocketLimits{2});
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    send(*s, R"(["2","2","room:b","phx_join",{}])");
    send(*s, R"(["3","3","room:c","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({kJoinedA, R"(["2","2","room:b","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["3","3","room:c","phx_reply",{"response":{"reason":"too many channels joined"},"status":"error"}])"}));
    EXPECT_FALSE(journal.has("join room:c"));
    // A duplicate join replaces a channel, so it is allowed at the limit.
    send(*s, R"(["4","4","room:b","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["4","4","room:b","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["2","2","room:b","phx_close",{}])"}));
    // Leaving frees a slot.
    send(*s, R"(["1","5","room:a","phx_leave",{}])");
    co_await settle();
    send(*s, R"(["6","6","room:c","phx_join",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["1","5","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["1","1","room:a","phx_close",{}])",
                                R"(["6","6","room:c","phx_reply",{"response":{},"status":"ok"}])"}));
  });
}

TEST_F(SocketTest, LeaveRepliesThenClosesWithJoinRefInBothPositions) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"(["11","11","room:a","phx_join",{}])");
    co_await settle();
    take();
    send(*s, R"(["11","12","room:a","phx_leave",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["11","12","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["11","11","room:a","phx_close",{}])"}));
    EXPECT_TRUE(journal.has("terminate room:a left"));
    EXPECT_FALSE(s->has_channels());
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 0u);
    send(*s, R"(["11","13","room:a","echo",{}])");
    co_await settle();
    EXPECT_EQ(take(),
              expected({R"([null,"13","room:a","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])"}));
  });
}

TEST_F(SocketTest, LeaveWithNullJoinRefIsAcceptedAndStaleLeaveIgnored) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    co_await settle();
    take();
    send(*s, R"(["9","2","room:a","phx_leave",{}])");  // stale: no reply, still joined
    co_await settle();
    EXPECT_TRUE(take().empty());
    EXPECT_TRUE(s->has_channels());
    send(*s, R"([null,"3","room:a","phx_leave",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["1","3","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["1","1","room:a","phx_close",{}])"}));
  });
}

TEST_F(SocketTest, StaleJoinRefDroppedNullJoinRefAccepted) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    co_await settle();
    take();
    send(*s, R"(["0","2","room:a","echo",{"n":2}])");
    send(*s, R"([null,"3","room:a","echo",{"n":3}])");
    send(*s, R"(["1","4","room:a","echo",{"n":4}])");
    co_await settle();
    // Replies carry the channel's own join_ref, also to a message that had none.
    EXPECT_EQ(take(), expected({R"(["1","3","room:a","phx_reply",{"response":{"n":3},"status":"ok"}])",
                                R"(["1","4","room:a","phx_reply",{"response":{"n":4},"status":"ok"}])"}));
    EXPECT_EQ(std::count(journal.log.begin(), journal.log.end(), "in room:a echo"), 2);
  });
}

TEST_F(SocketTest, NullJoinRefJoinUsesItsRefForItsOwnFrames) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, R"([null,"5","room:a","phx_join",{"push":true}])");
    co_await settle();
    send(*s, R"([null,"6","room:a","stop",{}])");
    co_await settle();
    // §7.2.5: pushes use the ref; the table keeps null, which phx_close carries.
    EXPECT_EQ(take(), expected({R"([null,"5","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                R"(["5",null,"room:a","early",{"n":1}])", R"([null,null,"room:a","phx_close",{}])"}));
  });
}

TEST_F(SocketTest, V1ClientWithoutJoinRefGetsNullRefOnPhxClose) {
  run([&]() -> Task<void> {
    RecordingOutbound v1(roost::proto::Serializer::v1_json);
    auto s = open(v1);
    send(*s, R"({"topic":"room:a","event":"phx_join","payload":{},"ref":"1"})");
    co_await settle();
    send(*s, R"({"topic":"room:a","event":"echo","payload":{"n":1},"ref":"2"})");
    co_await settle();
    send(*s, R"({"topic":"room:a","event":"phx_leave","payload":{},"ref":"3"})");
    co_await settle();
    // §4: no join_ref is ever sent to V1; the table keeps null, so phx_close has "ref":null.
    EXPECT_EQ(parse_all(v1.take()),
              expected({R"({"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"1","topic":"room:a"})",
                        R"({"event":"phx_reply","payload":{"response":{"n":1},"status":"ok"},"ref":"2","topic":"room:a"})",
                        R"({"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"3","topic":"room:a"})",
                        R"({"event":"phx_close","payload":{},"ref":null,"topic":"room:a"})"}));
  });
}

TEST_F(SocketTest, CrashInHandleInSendsPhxErrorAndTheSocketLivesOn) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    send(*s, R"(["2","2","room:b","phx_join",{}])");
    co_await settle();
    take();
    send(*s, R"(["1","3","room:a","boom",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["1","1","room:a","phx_error",{"reason":"channel_crash"}])"}));
    EXPECT_TRUE(journal.has("terminate room:a crash"));
    EXPECT_FALSE(journal.has("terminate room:b crash"));
    EXPECT_TRUE(out.close_codes.empty());
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 0u);
    // The other channel and the socket keep working; the crashed topic is gone.
    send(*s, R"(["2","4","room:b","echo",{"x":1}])");
    send(*s, R"([null,"5","phoenix","heartbeat",{}])");
    send(*s, R"(["1","6","room:a","echo",{}])");
    co_await settle();
    auto frames = take();
    EXPECT_EQ(frames.size(), 3u);
    auto has = [&](std::string_view f) { return std::find(frames.begin(), frames.end(), json::parse(f)) != frames.end(); };
    EXPECT_TRUE(has(R"(["2","4","room:b","phx_reply",{"response":{"x":1},"status":"ok"}])"));
    EXPECT_TRUE(has(R"([null,"5","phoenix","phx_reply",{"response":{},"status":"ok"}])"));
    EXPECT_TRUE(has(R"([null,"6","room:a","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])"));
  });
}

TEST_F(SocketTest, GracefulStopClosesTheChannel) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    co_await settle();
    take();
    send(*s, R"(["1","2","room:a","stop",{}])");
    co_await settle();
    EXPECT_EQ(take(), expected({R"(["1","1","room:a","phx_close",{}])"}));
    EXPECT_TRUE(journal.has("terminate room:a normal"));
    EXPECT_FALSE(s->has_channels());
  });
}

TEST_F(SocketTest, FramesArrivingDuringAnAsynchronousJoinWaitAndRunInOrder) {
  run([&]() -> Task<void> {
    journal.gate = std::make_unique<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor,
                                                               boost::asio::steady_timer::time_point::max());
    auto s = open(out);
    send(*s, R"(["1","1","room:w","phx_join",{"wait":true}])");
    send(*s, R"(["1","2","room:w","echo",{"n":2}])");
    send(*s, R"([null,"3","phoenix","heartbeat",{}])");
    send(*s, R"(["1","4","room:w","echo",{"n":4}])");
    send(*s, R"(["5","5","room:x","phx_join",{}])");
    send(*s, R"(["1","6","room:w","echo",{"n":6}])");
    bool idle = false;
    s->when_idle([&] { idle = true; });
    co_await settle();
    EXPECT_TRUE(s->busy());
    EXPECT_FALSE(idle);
    EXPECT_TRUE(take().empty()) << "nothing may be answered while the join is running";
    EXPECT_EQ(journal.log, std::vector<std::string>{"join room:w"});

    journal.gate->cancel();
    co_await settle();
    EXPECT_FALSE(s->busy());
    EXPECT_TRUE(idle);
    auto frames = take();
    CO_ASSERT_TRUE(frames.size() == 6u);
    EXPECT_EQ(frames[0], json::parse(R"(["1","1","room:w","phx_reply",{"response":{},"status":"ok"}])"));
    // The channel's own messages keep their order; the heartbeat and the next join come
    // after the join reply.
    std::vector<json::value> room_w;
    for (std::size_t i = 1; i < frames.size(); ++i)
      if (frames[i].as_array()[2].as_string() == "room:w") room_w.push_back(frames[i]);
    EXPECT_EQ(room_w, expected({R"(["1","2","room:w","phx_reply",{"response":{"n":2},"status":"ok"}])",
                                R"(["1","4","room:w","phx_reply",{"response":{"n":4},"status":"ok"}])",
                                R"(["1","6","room:w","phx_reply",{"response":{"n":6},"status":"ok"}])"}));
    EXPECT_NE(std::find(frames.begin() + 1, frames.end(),
                        json::parse(R"([null,"3","phoenix","phx_reply",{"response":{},"status":"ok"}])")),
              frames.end());
    EXPECT_NE(std::find(frames.begin() + 1, frames.end(),
                        json::parse(R"(["5","5","room:x","phx_reply",{"response":{},"status":"ok"}])")),
              frames.end());
    // Handlers ran only after the join completed (the two channels' work may interleave).
    CO_ASSERT_TRUE(journal.log.size() == 6u);
    EXPECT_EQ(journal.log[0], "join room:w");
    EXPECT_EQ(journal.log[1], "released room:w");
    EXPECT_EQ(std::count(journal.log.begin(), journal.log.end(), "in room:w echo"), 3);
    EXPECT_TRUE(journal.has("join room:x"));
  });
}

TEST_F(SocketTest, MalformedFrameClosesWith1011AndLaterFramesAreIgnored) {
  run([&]() -> Task<void> {
    auto s = open(out);
    send(*s, kJoinA);
    co_await settle();
    take();
    send(*s, "not json");
    EXPECT_EQ(out.close_codes, std::vector<std::uint16_t>{1011});
    send(*s, R"([null,"2","phoenix","heartbeat",{}])");
    co_await settle();
    EXPECT_TRUE(take().empty());
    EXPECT_EQ(out.close_codes.size(), 1u);
  });
}

TEST_F(SocketTest, MalformedShapesClose1011) {
  for (std::string_view bad : {std::string_view(R"(["1","1","room:a"])"), std::string_view(R"(["1","1",5,"phx_join",{}])"),
                               std::string_view(R"({"topic":"x"})"), std::string_view("")}) {
    LoopRunner local;
    roost::pubsub::PubSub ps(local.group());
    SocketDefinition def(ps, nullptr, ChannelRouter{});
    RecordingOutbound o;
    ASSERT_TRUE(local.run([&]() -> Task<void> {
      auto ctx = std::make_shared<SocketContext>();
      Socket s(def, o, ctx);
      s.on_frame(bad, false);
      co_return;
    }));
    EXPECT_EQ(o.close_codes, std::vector<std::uint16_t>{1011}) << bad;
    EXPECT_TRUE(o.frames.empty()) << bad;
  }
}

TEST_F(SocketTest, MalformedBinaryFrameCloses1011) {
  run([&]() -> Task<void> {
    auto s = open(out);
    const char truncated[] = {0x00, 0x05, 0x05, 0x05, 0x05, 'a'};  // header claims more than there is
    s->on_frame(std::string_view(truncated, sizeof truncated), true);
    EXPECT_EQ(out.close_codes, std::vector<std::uint16_t>{1011});
    co_return;
  });
}

TEST_F(SocketTest, OnClosedTerminatesEveryChannelWithReasonClosed) {
  run([&]() -> Task<void> {
    journal.gate = std::make_unique<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor,
                                                               boost::asio::steady_timer::time_point::max());
    auto s = open(out);
    send(*s, kJoinA);
    send(*s, R"(["2","2","room:b","phx_join",{}])");
    co_await settle();
    send(*s, R"(["3","3","room:w","phx_join",{"wait":true}])");  // a join still running
    co_await settle();
    take();
    s->on_closed();
    co_await settle();
    EXPECT_TRUE(journal.has("terminate room:a closed"));
    EXPECT_TRUE(journal.has("terminate room:b closed"));
    EXPECT_TRUE(journal.has("terminate room:w closed"));
    EXPECT_FALSE(s->has_channels());
    EXPECT_EQ(pubsub.registry().subscriber_count("room:a"), 0u);
    EXPECT_EQ(pubsub.registry().subscriber_count("room:b"), 0u);
    EXPECT_TRUE(take().empty()) << "the connection is gone: nothing is sent";
    EXPECT_TRUE(out.close_codes.empty());
    // Each channel terminates once, even when the socket is then destroyed.
    s.reset();
    co_await settle();
    EXPECT_EQ(std::count(journal.log.begin(), journal.log.end(), "terminate room:a closed"), 1);
  });
}

TEST_F(SocketTest, DisconnectBroadcastOnTheSocketIdCloses1001) {
  run([&]() -> Task<void> {
    RecordingOutbound other_out;
    auto s = open(out, "user_socket:7");
    auto other = open(other_out, "user_socket:8");
    EXPECT_EQ(pubsub.registry().subscriber_count("user_socket:7"), 1u);
    send(*s, kJoinA);
    co_await settle();
    take();
    // Other events on the id topic are ignored.
    EXPECT_FALSE(pubsub.broadcast("user_socket:7", "something", Payload::empty_object()));
    co_await settle();
    EXPECT_TRUE(out.close_codes.empty());
    EXPECT_TRUE(take().empty());
    EXPECT_FALSE(pubsub.broadcast("user_socket:7", "disconnect", Payload::empty_object()));
    co_await settle();
    EXPECT_EQ(out.close_codes, std::vector<std::uint16_t>{1001});
    EXPECT_TRUE(other_out.close_codes.empty());
    // The transport then reports the end: the id topic is left, channels terminate.
    s->on_closed();
    EXPECT_EQ(pubsub.registry().subscriber_count("user_socket:7"), 0u);
    EXPECT_TRUE(journal.has("terminate room:a closed"));
  });
}

TEST_F(SocketTest, BroadcastReachesJoinedChannelsAsASharedFrame) {
  run([&]() -> Task<void> {
    RecordingOutbound out2;
    auto s = open(out);
    auto s2 = open(out2);
    send(*s, kJoinA);
    send(*s2, R"(["9","9","room:a","phx_join",{}])");
    co_await settle();
    take();
    out2.take();
    send(*s, R"(["1","2","room:a","shout",{"body":"hi"}])");
    co_await settle();
    auto frames = out.take();
    auto frames2 = out2.take();
    CO_ASSERT_TRUE(frames.size() == 2u);
    EXPECT_EQ(parse_all(frames), expected({R"(["1","2","room:a","phx_reply",{"response":{},"status":"ok"}])",
                                           R"([null,null,"room:a","shout",{"body":"hi"}])"}));
    EXPECT_TRUE(frames[1].shared);
    CO_ASSERT_TRUE(frames2.size() == 1u);
    EXPECT_EQ(parse_all(frames2), expected({R"([null,null,"room:a","shout",{"body":"hi"}])"}));
  });
}

}  // namespace
