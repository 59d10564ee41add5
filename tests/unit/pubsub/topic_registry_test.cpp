// TopicRegistry subscribe/unsubscribe/fan-out (including changes made during a fan-out) and Broadcast's encodings.
#include "roost/pubsub/topic_registry.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "roost/proto/errors.h"
#include "roost/pubsub/broadcast.h"
#include "roost/websocket/frame_writer.h"

namespace {

using roost::proto::Payload;
using roost::proto::Serializer;
using roost::pubsub::Broadcast;
using roost::pubsub::BroadcastPtr;
using roost::pubsub::Subscriber;
using roost::pubsub::TopicRegistry;

struct Recorder : Subscriber {
  explicit Recorder(std::string n = {}) : name(std::move(n)) {}
  void deliver(const BroadcastPtr& b) override {
    received.push_back(b->event());
    if (on_deliver) on_deliver(b);
  }
  std::string name;
  std::vector<std::string> received;
  std::function<void(const BroadcastPtr&)> on_deliver;
};

BroadcastPtr make(std::string topic, std::string event = "e", const Subscriber* from = nullptr) {
  return std::make_shared<const Broadcast>(std::move(topic), std::move(event), Payload::json(R"({"k":1})"), from);
}

TEST(TopicRegistry, SubscribeUnsubscribeAndCount) {
  TopicRegistry reg;
  Recorder a, b;
  EXPECT_EQ(reg.subscriber_count("t"), 0u);
  EXPECT_EQ(reg.topic_count(), 0u);
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("u", &a);
  EXPECT_EQ(reg.subscriber_count("t"), 2u);
  EXPECT_EQ(reg.subscriber_count("u"), 1u);
  EXPECT_EQ(reg.topic_count(), 2u);

  reg.unsubscribe("t", &a);
  EXPECT_EQ(reg.subscriber_count("t"), 1u);
  reg.unsubscribe("t", &a);  // not subscribed any more: no effect
  reg.unsubscribe("nope", &a);
  EXPECT_EQ(reg.subscriber_count("t"), 1u);
  reg.unsubscribe("t", &b);
  EXPECT_EQ(reg.subscriber_count("t"), 0u);
  EXPECT_EQ(reg.topic_count(), 1u);  // an empty topic is erased
  reg.unsubscribe("u", &a);
  EXPECT_EQ(reg.topic_count(), 0u);
}

TEST(TopicRegistry, FanOutReachesEverySubscriberOfTheTopicOnly) {
  TopicRegistry reg;
  Recorder a, b, other;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("u", &other);
  EXPECT_EQ(reg.fan_out(make("t", "x")), 2u);
  EXPECT_EQ(a.received, std::vector<std::string>{"x"});
  EXPECT_EQ(b.received, std::vector<std::string>{"x"});
  EXPECT_TRUE(other.received.empty());
  EXPECT_EQ(reg.fan_out(make("none")), 0u);
}

TEST(TopicRegistry, FanOutSkipsFrom) {
  TopicRegistry reg;
  Recorder a, b, c;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("t", &c);
  EXPECT_EQ(reg.fan_out(make("t", "x", &b)), 2u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_TRUE(b.received.empty());
  EXPECT_EQ(c.received.size(), 1u);
}

TEST(TopicRegistry, SubscriberUnsubscribingItselfDuringFanOut) {
  TopicRegistry reg;
  Recorder a, b, c;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("t", &c);
  b.on_deliver = [&](const BroadcastPtr&) {
    reg.unsubscribe("t", &b);
    EXPECT_EQ(reg.subscriber_count("t"), 2u);  // counted out at once, the hole stays until the walk ends
  };
  EXPECT_EQ(reg.fan_out(make("t", "1")), 3u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_EQ(b.received.size(), 1u);
  EXPECT_EQ(c.received.size(), 1u);  // the one after the hole is still reached, once
  EXPECT_EQ(reg.subscriber_count("t"), 2u);

  // After compaction the registry is consistent: another fan-out reaches a and c only.
  EXPECT_EQ(reg.fan_out(make("t", "2")), 2u);
  EXPECT_EQ(a.received, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(b.received, (std::vector<std::string>{"1"}));
  EXPECT_EQ(c.received, (std::vector<std::string>{"1", "2"}));
  // Unsubscribing the rest works normally (the compacted vector holds no stale entry).
  reg.unsubscribe("t", &a);
  reg.unsubscribe("t", &c);
  EXPECT_EQ(reg.topic_count(), 0u);
}

TEST(TopicRegistry, SubscriberUnsubscribingAnotherDuringFanOut) {
  TopicRegistry reg;
  Recorder a, b, c, d;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("t", &c);
  reg.subscribe("t", &d);
  // a removes c (not yet visited) and b removes a (already visited).
  a.on_deliver = [&](const BroadcastPtr&) { reg.unsubscribe("t", &c); };
  b.on_deliver = [&](const BroadcastPtr&) { reg.unsubscribe("t", &a); };
  EXPECT_EQ(reg.fan_out(make("t", "1")), 3u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_EQ(b.received.size(), 1u);
  EXPECT_TRUE(c.received.empty());  // removed before its turn: not delivered
  EXPECT_EQ(d.received.size(), 1u);  // not delivered twice, not skipped
  EXPECT_EQ(reg.subscriber_count("t"), 2u);

  a.on_deliver = nullptr;
  b.on_deliver = nullptr;
  EXPECT_EQ(reg.fan_out(make("t", "2")), 2u);
  EXPECT_EQ(b.received.size(), 2u);
  EXPECT_EQ(d.received.size(), 2u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_TRUE(c.received.empty());
}

TEST(TopicRegistry, TopicErasedWhenEveryoneLeavesDuringFanOut) {
  TopicRegistry reg;
  Recorder a, b;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  a.on_deliver = [&](const BroadcastPtr&) {
    reg.unsubscribe("t", &a);
    reg.unsubscribe("t", &b);
  };
  EXPECT_EQ(reg.fan_out(make("t")), 1u);
  EXPECT_TRUE(b.received.empty());
  EXPECT_EQ(reg.subscriber_count("t"), 0u);
  EXPECT_EQ(reg.topic_count(), 0u);
  EXPECT_EQ(reg.fan_out(make("t")), 0u);
  // The topic can be used again afterwards.
  a.on_deliver = nullptr;
  reg.subscribe("t", &a);
  EXPECT_EQ(reg.fan_out(make("t")), 1u);
  EXPECT_EQ(a.received.size(), 2u);
}

TEST(TopicRegistry, ResubscribeDuringFanOutIsNotVisitedByTheRunningWalk) {
  TopicRegistry reg;
  Recorder a, b;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  a.on_deliver = [&](const BroadcastPtr&) {
    reg.unsubscribe("t", &a);
    reg.subscribe("t", &a);  // back at the end: must not get this broadcast a second time
  };
  EXPECT_EQ(reg.fan_out(make("t", "1")), 2u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_EQ(b.received.size(), 1u);
  EXPECT_EQ(reg.subscriber_count("t"), 2u);
  a.on_deliver = nullptr;
  EXPECT_EQ(reg.fan_out(make("t", "2")), 2u);
  EXPECT_EQ(a.received.size(), 2u);
}

TEST(TopicRegistry, SubscriberSubscribingNewTopicsDuringFanOut) {
  TopicRegistry reg;
  Recorder a, b, late;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  // Enough new topics to make the map rehash while the walk of "t" is running.
  a.on_deliver = [&](const BroadcastPtr&) {
    for (int i = 0; i < 200; ++i) reg.subscribe("n" + std::to_string(i), &a);
    reg.subscribe("t", &late);  // same topic: joins after the walk's end
  };
  EXPECT_EQ(reg.fan_out(make("t", "1")), 2u);
  EXPECT_EQ(a.received.size(), 1u);
  EXPECT_EQ(b.received.size(), 1u);
  EXPECT_TRUE(late.received.empty());
  EXPECT_EQ(reg.topic_count(), 201u);
  EXPECT_EQ(reg.subscriber_count("t"), 3u);
  EXPECT_EQ(reg.subscriber_count("n199"), 1u);
  a.on_deliver = nullptr;
  EXPECT_EQ(reg.fan_out(make("t", "2")), 3u);
  EXPECT_EQ(late.received.size(), 1u);
  EXPECT_EQ(reg.fan_out(make("n7", "3")), 1u);
}

TEST(TopicRegistry, NestedFanOutOfTheSameTopicCompactsOnlyAtTheOuterEnd) {
  TopicRegistry reg;
  Recorder a, b, c;
  reg.subscribe("t", &a);
  reg.subscribe("t", &b);
  reg.subscribe("t", &c);
  bool nested = false;
  a.on_deliver = [&](const BroadcastPtr& bc) {
    if (bc->event() != "outer" || nested) return;
    nested = true;
    reg.unsubscribe("t", &b);
    EXPECT_EQ(reg.fan_out(make("t", "inner")), 2u);  // a and c; b's hole is skipped
  };
  EXPECT_EQ(reg.fan_out(make("t", "outer")), 2u);
  EXPECT_EQ(a.received, (std::vector<std::string>{"outer", "inner"}));
  EXPECT_TRUE(b.received.empty());
  EXPECT_EQ(c.received, (std::vector<std::string>{"inner", "outer"}));
  EXPECT_EQ(reg.subscriber_count("t"), 2u);
  EXPECT_EQ(reg.fan_out(make("t", "after")), 2u);
}

// --- Broadcast encodings ---

std::string ws_text(std::string_view payload) {
  return roost::websocket::make_frame(roost::websocket::Opcode::text, payload);
}

TEST(Broadcast, V2WebSocketFrameIsHeaderPlusArray) {
  Broadcast b("room:1", "new_msg", Payload::json(R"({"body":"hi"})"));
  const auto& frame = b.websocket_frame(Serializer::v2_json);
  ASSERT_TRUE(frame);
  const std::string text = R"([null,null,"room:1","new_msg",{"body":"hi"}])";
  EXPECT_EQ(*frame, ws_text(text));
  EXPECT_EQ(static_cast<unsigned char>((*frame)[0]), 0x81);  // FIN + text
  EXPECT_EQ(static_cast<unsigned char>((*frame)[1]), text.size());
  // Encoded once: the same shared bytes every time.
  EXPECT_EQ(b.websocket_frame(Serializer::v2_json).get(), frame.get());
  const auto& bare = b.text_frame(Serializer::v2_json);
  ASSERT_TRUE(bare);
  EXPECT_EQ(*bare, text);
}

TEST(Broadcast, V1Forms) {
  Broadcast b("room:1", "new_msg", Payload::json(R"({"body":"hi"})"));
  const auto& bare = b.text_frame(Serializer::v1_json);
  ASSERT_TRUE(bare);
  // Keys in the reference server's (alphabetical) order; no join_ref for V1.
  EXPECT_EQ(*bare, R"({"event":"new_msg","payload":{"body":"hi"},"ref":null,"topic":"room:1"})");
  const auto& framed = b.websocket_frame(Serializer::v1_json);
  ASSERT_TRUE(framed);
  EXPECT_EQ(*framed, ws_text(*bare));
}

TEST(Broadcast, BinaryPayload) {
  Broadcast b("room:1", "img", Payload::binary(std::string("\xff", 1)));
  const auto& v2 = b.websocket_frame(Serializer::v2_json);
  ASSERT_TRUE(v2);
  const std::string body("\x02\x06\x03room:1img\xff", 13);
  EXPECT_EQ(*v2, roost::websocket::make_frame(roost::websocket::Opcode::binary, body));
  EXPECT_EQ(static_cast<unsigned char>((*v2)[0]), 0x82);  // FIN + binary
  EXPECT_FALSE(b.websocket_frame(Serializer::v1_json));  // V1 has no binary form
  EXPECT_FALSE(b.text_frame(Serializer::v1_json));
  EXPECT_FALSE(b.text_frame(Serializer::v2_json));  // long-poll cannot carry it
  EXPECT_FALSE(b.validate());
}

TEST(Broadcast, ValidateRefusesAnOverlongBinaryField) {
  Broadcast b("room:1", std::string(300, 'e'), Payload::binary("\x01"));
  EXPECT_EQ(b.validate(), roost::proto::make_error_code(roost::proto::ProtoError::field_too_long));
  // The same event with a JSON payload has no length limit.
  Broadcast j("room:1", std::string(300, 'e'), Payload::json("{}"));
  EXPECT_FALSE(j.validate());
}

}  // namespace
