// The node-to-node broadcast frame: round trips (JSON and binary payloads, limits of
// each field), the exact layout, and strict rejection of every malformed input.
#include "roost/cluster/broadcast_frame.h"

#include <gtest/gtest.h>

#include <string>

#include "roost/cluster/errors.h"

namespace {

using roost::cluster::ClusterError;
using roost::cluster::decode_broadcast_frame;
using roost::cluster::encode_broadcast_frame;
using roost::cluster::make_error_code;
using roost::cluster::NodeId;
using roost::proto::Payload;
using roost::proto::PayloadKind;

const NodeId kNode{"node-a", 0x0102030405060708ull};

std::string encoded(std::string_view topic, std::string_view event, const Payload& p, const NodeId& n = kNode) {
  auto frame = encode_broadcast_frame(n, topic, event, p);
  EXPECT_TRUE(frame);
  return frame ? *frame : std::string();
}

TEST(BroadcastFrame, JsonRoundTrip) {
  std::string bytes = encoded("room:lobby", "shout", Payload::json(R"({"m":"hi","n":[1,2.5,null]})"));
  auto d = decode_broadcast_frame(bytes);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->node, "node-a");
  EXPECT_EQ(d->incarnation, 0x0102030405060708ull);
  EXPECT_EQ(d->topic, "room:lobby");
  EXPECT_EQ(d->event, "shout");
  EXPECT_EQ(d->kind, PayloadKind::json);
  EXPECT_EQ(d->payload, R"({"m":"hi","n":[1,2.5,null]})");
  EXPECT_TRUE(d->from(kNode));
  EXPECT_FALSE(d->from(NodeId{"node-a", 1}));
  EXPECT_FALSE(d->from(NodeId{"node-b", kNode.incarnation}));
}

TEST(BroadcastFrame, BinaryPayloadKeepsEveryByte) {
  std::string raw("\x00\xff\r\n{\x01", 6);
  std::string bytes = encoded("t", "blob", Payload::binary(raw));  // the decoded views point into it
  auto d = decode_broadcast_frame(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kind, PayloadKind::binary);
  EXPECT_EQ(d->payload, raw);
}

TEST(BroadcastFrame, ExactLayout) {
  std::string bytes = encoded("t", "e", Payload::json("1"), NodeId{"n", 0xA1B2C3D4E5F60718ull});
  std::string expected("RB\x01\x00\xA1\xB2\xC3\xD4\xE5\xF6\x07\x18\x01n\x00\x01t\x00\x01" "e1", 21);
  EXPECT_EQ(bytes, expected);
}

TEST(BroadcastFrame, FieldLimits) {
  std::string topic(65535, 't'), event(65535, 'e'), node(255, 'n');
  std::string bytes = encoded(topic, event, Payload::json("{}"), NodeId{node, 9});
  auto d = decode_broadcast_frame(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->topic.size(), 65535u);
  EXPECT_EQ(d->event.size(), 65535u);
  EXPECT_EQ(d->node.size(), 255u);
  std::string no_topic = encoded("", "e", Payload::json("{}"));
  auto empty_topic = decode_broadcast_frame(no_topic);
  ASSERT_TRUE(empty_topic);
  EXPECT_EQ(empty_topic->topic, "");

  auto too_long = make_error_code(ClusterError::field_too_long);
  EXPECT_EQ(encode_broadcast_frame(kNode, std::string(65536, 't'), "e", Payload::json("{}")).error(), too_long);
  EXPECT_EQ(encode_broadcast_frame(kNode, "t", std::string(65536, 'e'), Payload::json("{}")).error(), too_long);
  EXPECT_EQ(encode_broadcast_frame(NodeId{std::string(256, 'n'), 1}, "t", "e", Payload::json("{}")).error(), too_long);
  EXPECT_EQ(encode_broadcast_frame(NodeId{"", 1}, "t", "e", Payload::json("{}")).error(), too_long);
  EXPECT_EQ(encode_broadcast_frame(kNode, "t", "", Payload::json("{}")).error(), too_long);
}

TEST(BroadcastFrame, EveryTruncationIsRejected) {
  std::string bytes = encoded("room:x", "ev", Payload::binary("payload"));
  // Cutting anywhere inside the header fails; the payload is "the rest", so cuts there
  // just shorten it (a binary payload has no grammar to break).
  std::size_t header = bytes.size() - 7;
  for (std::size_t n = 0; n < header; ++n) {
    auto d = decode_broadcast_frame(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(d) << "cut at " << n;
    EXPECT_TRUE(d.error() == make_error_code(ClusterError::frame_truncated) ||
                d.error() == make_error_code(ClusterError::frame_bad_magic))
        << "cut at " << n << ": " << d.error().message();
  }
}

TEST(BroadcastFrame, MalformedInputsAreRejected) {
  std::string good = encoded("t", "e", Payload::json("{}"));
  auto with = [&](std::size_t at, char c) {
    std::string b = good;
    b[at] = c;
    return b;
  };
  struct Case {
    std::string bytes;
    ClusterError error;
  };
  const Case cases[] = {
      {"", ClusterError::frame_bad_magic},
      {"garbage", ClusterError::frame_bad_magic},
      {with(0, 'X'), ClusterError::frame_bad_magic},
      {with(2, '\x02'), ClusterError::frame_bad_magic},                       // another version
      {with(3, '\x02'), ClusterError::frame_bad_field},                       // unknown flag
      {with(3, '\x81'), ClusterError::frame_bad_field},
      {with(12, '\x00'), ClusterError::frame_truncated},                      // node length 0 → fields shift
      {with(13, '\xff'), ClusterError::frame_bad_field},                      // node not UTF-8
      {with(16, '\xc3'), ClusterError::frame_bad_field},                      // node: a cut UTF-8 sequence
      {with(21, '\xff'), ClusterError::frame_bad_field},                      // topic not UTF-8
      {with(24, '\xfe'), ClusterError::frame_bad_field},                      // event not UTF-8
      {encoded("t", "e", Payload::json("{")), ClusterError::frame_bad_field},  // JSON payload not JSON
      {encoded("t", "e", Payload::json("")), ClusterError::frame_bad_field},   // empty JSON payload
      {encoded("t", "e", Payload::json("{} {}")), ClusterError::frame_bad_field},
      {encoded("t", "e", Payload::json("\"\xff\"")), ClusterError::frame_bad_field},
  };
  for (const Case& c : cases) {
    auto d = decode_broadcast_frame(c.bytes);
    ASSERT_FALSE(d) << testing::PrintToString(c.bytes);
    EXPECT_EQ(d.error(), make_error_code(c.error)) << testing::PrintToString(c.bytes) << ": " << d.error().message();
  }
}

TEST(BroadcastFrame, AnyJsonValueIsAPayload) {
  for (const char* json : {"{}", "[]", "1", "\"s\"", "null", " {\"a\" : [true]} "}) {
    std::string bytes = encoded("t", "e", Payload::json(json));
    auto d = decode_broadcast_frame(bytes);
    ASSERT_TRUE(d) << json;
    EXPECT_EQ(d->payload, json);
  }
}

}  // namespace
