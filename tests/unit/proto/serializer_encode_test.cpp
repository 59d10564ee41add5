// Encoding of server frames (protocol.md §3, §4, §5.2–5.4; conformance items 2, 14–62) and
// decode/encode round trips.
#include <gtest/gtest.h>

#include <random>

#include "roost/core/errors.h"
#include "roost/proto/serializer.h"
#include "unit/proto/test_bytes.h"

namespace roost::proto {
namespace {

using testing::hex_bytes;
using testing::to_hex;

RawRef s(std::string_view v) { return raw_ref_from_string(v); }

OutboundMessage push(RawRef join_ref, std::string_view topic, std::string_view event,
                     const Payload& payload) {
  return {.kind = OutboundKind::push, .join_ref = std::move(join_ref), .ref = {}, .topic = topic,
          .event = event, .status = {}, .payload = &payload};
}

OutboundMessage reply(RawRef join_ref, RawRef ref, std::string_view topic,
                      std::string_view status, const Payload& response) {
  return {.kind = OutboundKind::reply, .join_ref = std::move(join_ref), .ref = std::move(ref),
          .topic = topic, .event = {}, .status = status, .payload = &response};
}

OutboundMessage broadcast(std::string_view topic, std::string_view event, const Payload& payload) {
  return {.kind = OutboundKind::broadcast, .join_ref = {}, .ref = {}, .topic = topic,
          .event = event, .status = {}, .payload = &payload};
}

std::string text_v2(const OutboundMessage& m) {
  auto r = encode(Serializer::v2_json, m);
  EXPECT_TRUE(r.has_value());
  if (!r) return {};
  EXPECT_FALSE(r->binary);
  return r->bytes;
}

std::string text_v1(const OutboundMessage& m) {
  auto r = encode(Serializer::v1_json, m);
  EXPECT_TRUE(r.has_value());
  if (!r) return {};
  EXPECT_FALSE(r->binary);
  return r->bytes;
}

std::string binary_v2(const OutboundMessage& m) {
  auto r = encode(Serializer::v2_json, m);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  if (!r) return {};
  EXPECT_TRUE(r->binary);
  return r->bytes;
}

const Payload kEmpty = Payload::empty_object();

// ---- V2 JSON, the server examples of §3 ----

TEST(EncodeV2, ServerExamplesFromTheSpec) {
  const auto id7 = Payload::json(R"({"id":7})");
  const auto connected = Payload::json(R"({"status":"connected"})");
  const auto hi = Payload::json(R"({"body":"hi"})");
  const auto crash = Payload::json(R"({"reason":"channel_crash"})");
  EXPECT_EQ(text_v2(reply(s("3"), s("3"), "room:lobby", "ok", kEmpty)),
            R"(["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}])");
  EXPECT_EQ(text_v2(reply(s("3"), s("4"), "room:lobby", "ok", id7)),
            R"(["3","4","room:lobby","phx_reply",{"response":{"id":7},"status":"ok"}])");
  EXPECT_EQ(text_v2(push(s("3"), "room:lobby", "joined", connected)),
            R"(["3",null,"room:lobby","joined",{"status":"connected"}])");
  EXPECT_EQ(text_v2(broadcast("room:lobby", "new_msg", hi)),
            R"([null,null,"room:lobby","new_msg",{"body":"hi"}])");
  EXPECT_EQ(text_v2(reply(std::nullopt, s("6"), "phoenix", "ok", kEmpty)),
            R"([null,"6","phoenix","phx_reply",{"response":{},"status":"ok"}])");
  // phx_close / phx_error carry the join ref in both positions: a push with ref set.
  auto close = push(s("3"), "room:lobby", "phx_close", kEmpty);
  close.ref = close.join_ref;
  EXPECT_EQ(text_v2(close), R"(["3","3","room:lobby","phx_close",{}])");
  auto error = push(s("3"), "room:lobby", "phx_error", crash);
  error.ref = error.join_ref;
  EXPECT_EQ(text_v2(error), R"(["3","3","room:lobby","phx_error",{"reason":"channel_crash"}])");
}

TEST(EncodeV1, CloseCarriesTheJoinRefAsRef) {
  auto close = push(std::nullopt, "room:a", "phx_close", kEmpty);
  EXPECT_EQ(text_v1(close), R"({"event":"phx_close","payload":{},"ref":null,"topic":"room:a"})");
  close.join_ref = s("4");
  close.ref = s("4");
  EXPECT_EQ(text_v1(close), R"({"event":"phx_close","payload":{},"ref":"4","topic":"room:a"})");
}

TEST(EncodeV2, UnusedFieldsAreIgnoredPerKind) {
  auto p = push(s("3"), "t", "e", kEmpty);
  p.status = "ok";
  EXPECT_EQ(text_v2(p), R"(["3",null,"t","e",{}])");
  // A binary push has no ref field (4-byte header), so a ref set on it is dropped.
  const auto bin = Payload::binary("z");
  auto bp = push(s("3"), "t", "e", bin);
  bp.ref = s("3");
  EXPECT_EQ(to_hex(binary_v2(bp)), "00 01 01 01 33 74 65 7a");
  auto b = broadcast("t", "e", kEmpty);
  b.join_ref = s("1");
  b.ref = s("2");
  EXPECT_EQ(text_v2(b), R"([null,null,"t","e",{}])");
  const auto unmatched = Payload::json(R"({"reason":"unmatched topic"})");
  auto r = reply(s("1"), s("2"), "t", "error", unmatched);
  r.event = "ignored";
  EXPECT_EQ(text_v2(r), R"(["1","2","t","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}])");
}

TEST(EncodeV2, CustomStatusAndNonObjectResponse) {
  EXPECT_EQ(text_v2(reply(s("1"), s("16"), "room:a", "custom", kEmpty)),
            R"(["1","16","room:a","phx_reply",{"response":{},"status":"custom"}])");
  EXPECT_EQ(text_v2(reply(s("1"), s("71"), "room:a", "ok", Payload::json("\"text\""))),
            R"(["1","71","room:a","phx_reply",{"response":"text","status":"ok"}])");
}

TEST(EncodeV2, MissingOrEmptyPayloadIsAnEmptyObject) {
  OutboundMessage m;
  m.kind = OutboundKind::broadcast;
  m.topic = "t";
  m.event = "e";
  m.payload = nullptr;
  EXPECT_EQ(text_v2(m), R"([null,null,"t","e",{}])");
  const Payload blank;
  EXPECT_EQ(text_v2(reply(s("1"), s("2"), "t", "ok", blank)),
            R"(["1","2","t","phx_reply",{"response":{},"status":"ok"}])");
}

TEST(EncodeV2, NumericRefEchoedUnchanged) {
  auto in = decode_text(Serializer::v2_json, R"(["1",42,"room:a","echo",{}])");
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(text_v2(reply(in->join_ref, in->ref, in->topic, "ok", in->payload)),
            R"(["1",42,"room:a","phx_reply",{"response":{},"status":"ok"}])");
}

TEST(EncodeV2, EscapesLikeTheReferenceServer) {
  EXPECT_EQ(text_v2(broadcast("a\"b\\c/d", "n\nr\rt\tb\bf\f", kEmpty)),
            R"([null,null,"a\"b\\c/d","n\nr\rt\tb\bf\f",{}])");
  EXPECT_EQ(text_v2(broadcast(std::string_view("\x00\x01\x1f\x7f", 4), "é✓", kEmpty)),
            "[null,null,\"\\u0000\\u0001\\u001F\x7f\",\"é✓\",{}]");
}

TEST(AppendJsonString, QuotesAndEscapes) {
  std::string out = "x";
  append_json_string(out, "");
  append_json_string(out, "plain");
  append_json_string(out, "q\"\\\x02");
  EXPECT_EQ(out, R"(x"""plain""q\"\\\u0002")");
}

// ---- V1 JSON ----

TEST(EncodeV1, ReplyOfConformanceItem2) {
  EXPECT_EQ(text_v1(reply(std::nullopt, s("1"), "phoenix", "ok", kEmpty)),
            R"({"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"1","topic":"phoenix"})");
}

TEST(EncodeV1, NeverSendsJoinRef) {
  EXPECT_EQ(text_v1(reply(s("7"), s("1"), "room:lobby", "ok", kEmpty)),
            R"({"event":"phx_reply","payload":{"response":{},"status":"ok"},"ref":"1","topic":"room:lobby"})");
  EXPECT_EQ(text_v1(push(s("7"), "room:a", "pushed", Payload::json(R"({"n":1})"))),
            R"({"event":"pushed","payload":{"n":1},"ref":null,"topic":"room:a"})");
}

TEST(EncodeV1, BroadcastOfConformanceItem52) {
  EXPECT_EQ(text_v1(broadcast("room:h", "shout", Payload::json(R"({"m":"hi"})"))),
            R"({"event":"shout","payload":{"m":"hi"},"ref":null,"topic":"room:h"})");
}

TEST(EncodeV1, BinaryIsNotSupported) {
  const auto bin = Payload::binary(hex_bytes("01 02"));
  for (const auto& m : {push(s("1"), "t", "e", bin), reply(s("1"), s("2"), "t", "ok", bin),
                        broadcast("t", "e", bin)}) {
    auto r = encode(Serializer::v1_json, m);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), ProtoError::binary_not_supported);
  }
}

// ---- V2 binary, §5.2–5.4 and conformance 61, 62 ----

TEST(EncodeBinary, PushExampleOfSection52) {
  const auto p = Payload::binary(hex_bytes("01 02"));
  EXPECT_EQ(to_hex(binary_v2(push(s("12"), "room:1", "img", p))),
            "00 02 06 03 31 32 72 6f 6f 6d 3a 31 69 6d 67 01 02");
}

TEST(EncodeBinary, ReplyExampleOfSection53) {
  const auto p = Payload::binary(hex_bytes("01 02 03 04"));
  EXPECT_EQ(to_hex(binary_v2(reply(s("3"), s("7"), "room:1", "ok", p))),
            "01 01 01 06 02 33 37 72 6f 6f 6d 3a 31 6f 6b 01 02 03 04");
}

TEST(EncodeBinary, BroadcastExampleOfSection54AndItem62) {
  EXPECT_EQ(to_hex(binary_v2(broadcast("room:1", "img", Payload::binary(hex_bytes("ff"))))),
            "02 06 03 72 6f 6f 6d 3a 31 69 6d 67 ff");
  EXPECT_EQ(to_hex(binary_v2(broadcast("room:a", "img", Payload::binary(hex_bytes("ff"))))),
            "02 06 03 72 6f 6f 6d 3a 61 69 6d 67 ff");
}

TEST(EncodeBinary, ConformanceItem61) {
  auto in = decode_binary(Serializer::v2_json,
                          hex_bytes("00 01 02 06 03 31 36 33 72 6f 6f 6d 3a 61 62 69 6e 01 02"));
  ASSERT_TRUE(in.has_value());
  const auto response = Payload::binary(in->payload.data + hex_bytes("03 04"));
  EXPECT_EQ(to_hex(binary_v2(reply(in->join_ref, in->ref, in->topic, "ok", response))),
            "01 01 02 06 02 31 36 33 72 6f 6f 6d 3a 61 6f 6b 01 02 03 04");
  EXPECT_EQ(to_hex(binary_v2(push(in->join_ref, in->topic, "bin_push", Payload::binary(hex_bytes("00 01"))))),
            "00 01 06 08 31 72 6f 6f 6d 3a 61 62 69 6e 5f 70 75 73 68 00 01");
}

TEST(EncodeBinary, NullRefsAreZeroLengthAndNumbersAreTheirText) {
  const auto p = Payload::binary("");
  EXPECT_EQ(to_hex(binary_v2(reply(std::nullopt, RawRef("42"), "t", "ok", p))),
            "01 00 02 01 02 34 32 74 6f 6b");
  EXPECT_EQ(to_hex(binary_v2(push(std::nullopt, "t", "e", p))), "00 00 01 01 74 65");
  EXPECT_EQ(to_hex(binary_v2(reply(RawRef(R"("a\"b")"), std::nullopt, "t", "ok", p))),
            "01 03 00 01 02 61 22 62 74 6f 6b");
}

TEST(EncodeBinary, FieldsLongerThan255BytesAreRefused) {
  const auto p = Payload::binary("x");
  const std::string max(255, 'a');
  const std::string over(256, 'a');
  EXPECT_EQ(binary_v2(broadcast(max, "e", p)).size(), 3u + 255 + 1 + 1);
  for (const auto& m : {broadcast(over, "e", p), broadcast("t", over, p), push(s("1"), over, "e", p),
                        push(s(over), "t", "e", p), reply(s("1"), s("2"), "t", over, p),
                        reply(s("1"), s(over), "t", "ok", p), reply(s(over), s("2"), "t", "ok", p)}) {
    auto r = encode(Serializer::v2_json, m);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), ProtoError::field_too_long);
    EXPECT_EQ(r.error(), roost::Condition::limit);
  }
}

// ---- round trips ----

std::string random_text(std::mt19937& rng, std::size_t max_len) {
  // Mix of plain ASCII, characters that need escaping and multi-byte UTF-8.
  static const std::vector<std::string> kPieces = {"a", "Z", "9", ":", "/", " ", "\"", "\\",
                                                   "\n", "\t", "\x01", "\x1f", "é", "✓", "😀"};
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::string out;
  for (std::size_t n = len(rng); n > 0; --n) out += kPieces[pick(rng)];
  return out;
}

TEST(RoundTrip, TextPushDecodesToWhatWasEncoded) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 500; ++i) {
    const std::string topic = random_text(rng, 12);
    const std::string event = random_text(rng, 8);
    const std::string jr = random_text(rng, 4);
    std::string payload_text = "{\"k\":";
    append_json_string(payload_text, random_text(rng, 20));
    payload_text += ",\"n\":[1,-2.5e-3,true,null]}";
    const auto payload = Payload::json(payload_text);
    auto frame = encode(Serializer::v2_json, push(s(jr), topic, event, payload));
    ASSERT_TRUE(frame.has_value());
    auto back = decode_text(Serializer::v2_json, frame->bytes);
    ASSERT_TRUE(back.has_value()) << frame->bytes;
    EXPECT_EQ(back->join_ref, s(jr));
    EXPECT_EQ(back->ref, std::nullopt);
    EXPECT_EQ(back->topic, topic);
    EXPECT_EQ(back->event, event);
    EXPECT_EQ(back->payload, payload);

    // The same through V1: the object form carries no join_ref.
    auto v1 = encode(Serializer::v1_json, push(s(jr), topic, event, payload));
    ASSERT_TRUE(v1.has_value());
    auto back1 = decode_text(Serializer::v1_json, v1->bytes);
    ASSERT_TRUE(back1.has_value()) << v1->bytes;
    EXPECT_EQ(back1->topic, topic);
    EXPECT_EQ(back1->event, event);
    EXPECT_EQ(back1->payload, payload);
    EXPECT_EQ(back1->join_ref, std::nullopt);
  }
}

TEST(RoundTrip, BinaryReplyHasTheClientPushLayout) {
  // A kind-1 reply and a kind-0 client push share the 5-byte header layout (status in the
  // event position), so flipping the kind byte lets decode_binary read back what was written.
  std::mt19937 rng(777);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 300; ++i) {
    const std::string jr = random_text(rng, 6), ref = random_text(rng, 6);
    const std::string topic = random_text(rng, 20), status = random_text(rng, 5);
    std::string bytes(static_cast<std::size_t>(byte(rng)), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(rng));
    const auto payload = Payload::binary(bytes);
    auto frame = encode(Serializer::v2_json, reply(s(jr), s(ref), topic, status, payload));
    ASSERT_TRUE(frame.has_value());
    ASSERT_TRUE(frame->binary);
    ASSERT_EQ(frame->bytes[0], 1);
    frame->bytes[0] = 0;
    auto back = decode_binary(Serializer::v2_json, frame->bytes);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->join_ref, jr.empty() ? std::nullopt : s(jr));
    EXPECT_EQ(back->ref, ref.empty() ? std::nullopt : s(ref));
    EXPECT_EQ(back->topic, topic);
    EXPECT_EQ(back->event, status);
    EXPECT_EQ(back->payload, payload);
  }
}

}  // namespace
}  // namespace roost::proto
