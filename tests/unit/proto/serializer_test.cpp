// Decoding of client frames (protocol.md §3, §4, §5.1), serializer negotiation (§1.2) and
// the error category of the protocol layer.
#include "roost/proto/serializer.h"

#include <gtest/gtest.h>

#include "roost/core/errors.h"
#include "unit/proto/test_bytes.h"

namespace roost::proto {
namespace {

using testing::hex_bytes;

InboundMessage decode_v2_ok(std::string_view text) {
  auto r = decode_text(Serializer::v2_json, text);
  EXPECT_TRUE(r.has_value()) << text << " -> " << (r ? "" : r.error().message());
  return r ? *r : InboundMessage{};
}

std::error_code decode_v2_error(std::string_view text) {
  auto r = decode_text(Serializer::v2_json, text);
  EXPECT_FALSE(r.has_value()) << text << " unexpectedly decoded";
  return r ? std::error_code{} : r.error();
}

std::error_code decode_v1_error(std::string_view text) {
  auto r = decode_text(Serializer::v1_json, text);
  EXPECT_FALSE(r.has_value()) << text << " unexpectedly decoded";
  return r ? std::error_code{} : r.error();
}

// ---- vsn negotiation ----

TEST(NegotiateVsn, AbsentMeansV1) {
  EXPECT_EQ(negotiate_vsn(std::nullopt).value(), Serializer::v1_json);
}

TEST(NegotiateVsn, AcceptsTheTwoSupportedLines) {
  EXPECT_EQ(negotiate_vsn("1.0.0").value(), Serializer::v1_json);
  EXPECT_EQ(negotiate_vsn("1.0.7").value(), Serializer::v1_json);
  EXPECT_EQ(negotiate_vsn("2.0.0").value(), Serializer::v2_json);
  EXPECT_EQ(negotiate_vsn("2.0.3").value(), Serializer::v2_json);
  EXPECT_EQ(negotiate_vsn("2.0.0+build.7").value(), Serializer::v2_json);
  EXPECT_EQ(negotiate_vsn("2.0.1-beta.2").value(), Serializer::v2_json);  // above 2.0.0
}

TEST(NegotiateVsn, RefusesOtherVersions) {
  for (std::string_view v : {"2.1.0", "3.0.0", "1.1.0", "0.9.0", "2.0.0-rc.1", "1.0.0-alpha"}) {
    auto r = negotiate_vsn(v);
    ASSERT_FALSE(r.has_value()) << v;
    EXPECT_EQ(r.error(), ProtoError::bad_vsn) << v;
  }
}

TEST(NegotiateVsn, RefusesWhatIsNotASemanticVersion) {
  for (std::string_view v : {"abc", "", "2", "2.0", "2.0.0.0", "02.0.0", "2.00.0", "2.0.00",
                             " 2.0.0", "2.0.0 ", "2.0.0-", "2.0.0+", "2.0.0-01", "2.0.0-a..b",
                             "v2.0.0", "2.0.x", "2.0.0-rc_1", "-2.0.0"}) {
    auto r = negotiate_vsn(v);
    ASSERT_FALSE(r.has_value()) << '"' << v << '"';
    EXPECT_EQ(r.error(), ProtoError::bad_vsn) << v;
  }
}

// ---- V2 text decode ----

TEST(DecodeTextV2, JoinFromTheClient) {
  auto m = decode_v2_ok(R"(["3","3","room:lobby","phx_join",{"user":"ann"}])");
  EXPECT_EQ(m.join_ref, RawRef("\"3\""));
  EXPECT_EQ(m.ref, RawRef("\"3\""));
  EXPECT_EQ(m.topic, "room:lobby");
  EXPECT_EQ(m.event, "phx_join");
  EXPECT_EQ(m.payload, Payload::json(R"({"user":"ann"})"));
}

TEST(DecodeTextV2, HeartbeatWithNullJoinRef) {
  auto m = decode_v2_ok(R"([null,"6","phoenix","heartbeat",{}])");
  EXPECT_EQ(m.join_ref, std::nullopt);
  EXPECT_EQ(m.ref, RawRef("\"6\""));
  EXPECT_EQ(m.topic, "phoenix");
  EXPECT_EQ(m.event, "heartbeat");
  EXPECT_EQ(m.payload.data, "{}");
  EXPECT_FALSE(m.payload.is_binary());
}

TEST(DecodeTextV2, PayloadIsTheExactRawSlice) {
  auto m = decode_v2_ok(" [ \"1\" , \"2\" ,\"t\",\"e\" ,  {\"a\" : [1, 2.5e3 ] ,\"b\":\"x\\/y\"}  ] \n");
  EXPECT_EQ(m.payload.data, "{\"a\" : [1, 2.5e3 ] ,\"b\":\"x\\/y\"}");
  EXPECT_EQ(m.join_ref, RawRef("\"1\""));
  EXPECT_EQ(m.ref, RawRef("\"2\""));
}

TEST(DecodeTextV2, UnicodePayloadPassesThroughUntouched) {
  auto m = decode_v2_ok(R"(["1","2","room:a","echo",{"msg":"héllo \u00e9 ✓","n":[{"d":{}}]}])");
  EXPECT_EQ(m.payload.data, R"({"msg":"héllo \u00e9 ✓","n":[{"d":{}}]})");
}

TEST(DecodeTextV2, TopicAndEventAreUnescaped) {
  auto m = decode_v2_ok(R"(["1","2","room:\u0041\"q\"","ev\\t",{}])");
  EXPECT_EQ(m.topic, "room:A\"q\"");
  EXPECT_EQ(m.event, "ev\\t");
}

TEST(DecodeTextV2, NumericRefKeptAsItsToken) {
  auto m = decode_v2_ok(R"(["1",42,"room:a","echo",{}])");
  EXPECT_EQ(m.ref, RawRef("42"));
  auto m2 = decode_v2_ok(R"([7, -1.5e2 ,"room:a","echo",{}])");
  EXPECT_EQ(m2.join_ref, RawRef("7"));
  EXPECT_EQ(m2.ref, RawRef("-1.5e2"));
}

TEST(DecodeTextV2, AnyJsonValueIsAcceptedAsRef) {
  auto m = decode_v2_ok(R"([{"x":[1]}, true ,"room:a","echo",{}])");
  EXPECT_EQ(m.join_ref, RawRef(R"({"x":[1]})"));
  EXPECT_EQ(m.ref, RawRef("true"));
}

TEST(DecodeTextV2, ExtraElementsAreIgnored) {
  auto m = decode_v2_ok(R"(["1","70","room:a","echo",{},"extra",[1,{"a":null}]])");
  EXPECT_EQ(m.ref, RawRef("\"70\""));
  EXPECT_EQ(m.payload.data, "{}");
}

TEST(DecodeTextV2, NonObjectPayloadsAreKept) {
  EXPECT_EQ(decode_v2_ok(R"(["1","71","room:a","echo","text"])").payload.data, "\"text\"");
  EXPECT_EQ(decode_v2_ok(R"(["1","71","room:a","echo",12 ])").payload.data, "12");
  EXPECT_EQ(decode_v2_ok(R"(["1","71","room:a","echo",null])").payload.data, "null");
  EXPECT_EQ(decode_v2_ok(R"(["1","71","room:a","echo",[ ]])").payload.data, "[ ]");
}

TEST(DecodeTextV2, InvalidJson) {
  for (std::string_view t :
       {"not json", "", "   ", "[", R"(["1","2","t","e",{}])" "]", R"(["1","2","t","e",{}] x)",
        R"(["1","2","t","e",{}][1])", R"(["1","2","t","e",{"a" 1}])", R"(["1","2","t","e",{"a":01}])",
        R"(["1","2","t","e",{"a":1.}])", R"(["1","2","t","e",{"a":"\x"}])", R"(["1","2","t","e",tru])",
        R"(["1","2","t","e",nul])", R"(["1","2","t","e",{},])", R"(["1","2","t","e",{}, bogus])",
        R"([01,"2","t","e",{}])", R"(["1","2","t","e",{"a":[1 2]}])", R"(["1","2","t","e",{"\q":1}])",
        "[\"1\",\"2\",\"t\",\"e\",{\"a\":\"\x01\"}]", "[\"1\",\"2\",\"t\",\"e\",{\"a\":\"\xff\"}]"}) {
    EXPECT_EQ(decode_v2_error(t), ProtoError::invalid_json) << t;
  }
}

TEST(DecodeTextV2, NotAnArray) {
  EXPECT_EQ(decode_v2_error(R"({"topic":"room:a"})"), ProtoError::not_an_array);
  EXPECT_EQ(decode_v2_error(R"("just a string")"), ProtoError::not_an_array);
  EXPECT_EQ(decode_v2_error("42"), ProtoError::not_an_array);
  EXPECT_EQ(decode_v2_error(" null "), ProtoError::not_an_array);
  // A wrong root that is not even valid JSON is reported as invalid JSON.
  EXPECT_EQ(decode_v2_error(R"({"topic" "room:a"})"), ProtoError::invalid_json);
  EXPECT_EQ(decode_v2_error("42 43"), ProtoError::invalid_json);
  EXPECT_EQ(decode_v2_error("4x"), ProtoError::invalid_json);
}

TEST(DecodeTextV2, ShortArray) {
  EXPECT_EQ(decode_v2_error(R"(["1","2","room:a"])"), ProtoError::short_array);
  EXPECT_EQ(decode_v2_error(R"(["1","2","room:a","echo"])"), ProtoError::short_array);
  EXPECT_EQ(decode_v2_error("[]"), ProtoError::short_array);
}

TEST(DecodeTextV2, TopicAndEventMustBeStrings) {
  EXPECT_EQ(decode_v2_error(R"(["1","2",3,"echo",{}])"), ProtoError::topic_not_string);
  EXPECT_EQ(decode_v2_error(R"(["1","2",null,"echo",{}])"), ProtoError::topic_not_string);
  EXPECT_EQ(decode_v2_error(R"(["1","2","room:a",{"e":1},{}])"), ProtoError::event_not_string);
  EXPECT_EQ(decode_v2_error(R"(["1","2","room:a",null,{}])"), ProtoError::event_not_string);
}

TEST(DecodeTextV2, ErrorsAreProtocolViolations) {
  const auto e = decode_v2_error("not json");
  EXPECT_EQ(e, roost::Condition::protocol_violation);
  EXPECT_EQ(e.category(), proto_category());
}

TEST(DecodeTextV2, ScratchBufferDoesNotLeakBetweenFrames) {
  // A long frame followed by a short one must not see the long one's tail.
  const std::string big = R"(["1","2","room:a","echo",{"pad":")" + std::string(5000, 'x') + R"("}])";
  EXPECT_EQ(decode_v2_ok(big).payload.data.size(), 5000u + 10u);
  EXPECT_EQ(decode_v2_error(R"(["1","2","room:a")"), ProtoError::invalid_json);
  EXPECT_EQ(decode_v2_ok(R"([null,"9","phoenix","heartbeat",{}])").ref, RawRef("\"9\""));
}

// ---- V1 text decode ----

TEST(DecodeTextV1, HeartbeatWithoutJoinRef) {
  auto r = decode_text(Serializer::v1_json,
                       R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->topic, "phoenix");
  EXPECT_EQ(r->event, "heartbeat");
  EXPECT_EQ(r->payload.data, "{}");
  EXPECT_EQ(r->ref, RawRef("\"1\""));
  EXPECT_EQ(r->join_ref, std::nullopt);
}

TEST(DecodeTextV1, KeyOrderIsArbitraryAndJoinRefOptional) {
  auto r = decode_text(Serializer::v1_json,
                       R"({ "ref" : 5, "payload" : {"a" : [1]}, "join_ref":"3", "extra":[{"x":null}],)"
                       R"( "event":"echo","topic":"room:a"})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ref, RawRef("5"));
  EXPECT_EQ(r->join_ref, RawRef("\"3\""));
  EXPECT_EQ(r->payload.data, R"({"a" : [1]})");
  EXPECT_EQ(r->topic, "room:a");
  EXPECT_EQ(r->event, "echo");
}

TEST(DecodeTextV1, NullValuesAllowedForRefsAndPayload) {
  auto r = decode_text(Serializer::v1_json,
                       R"({"topic":"room:a","event":"e","payload":null,"ref":null,"join_ref":null})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ref, std::nullopt);
  EXPECT_EQ(r->join_ref, std::nullopt);
  EXPECT_EQ(r->payload.data, "null");
}

TEST(DecodeTextV1, LastDuplicateKeyWins) {
  auto r = decode_text(Serializer::v1_json,
                       R"({"topic":"a","event":"e","payload":{},"ref":"1","topic":"b"})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->topic, "b");
}

TEST(DecodeTextV1, MissingKey) {
  EXPECT_EQ(decode_v1_error(R"({"topic":"phoenix","event":"heartbeat","payload":{}})"),
            ProtoError::missing_key);
  EXPECT_EQ(decode_v1_error(R"({"event":"heartbeat","payload":{},"ref":"1"})"),
            ProtoError::missing_key);
  EXPECT_EQ(decode_v1_error(R"({"topic":"phoenix","payload":{},"ref":"1"})"),
            ProtoError::missing_key);
  EXPECT_EQ(decode_v1_error(R"({"topic":"phoenix","event":"heartbeat","ref":"1"})"),
            ProtoError::missing_key);
  EXPECT_EQ(decode_v1_error("{}"), ProtoError::missing_key);
}

TEST(DecodeTextV1, NotAnObject) {
  EXPECT_EQ(decode_v1_error(R"(["1","2","room:a","echo",{}])"), ProtoError::not_an_object);
  EXPECT_EQ(decode_v1_error("\"x\""), ProtoError::not_an_object);
  EXPECT_EQ(decode_v1_error("not json"), ProtoError::invalid_json);
}

TEST(DecodeTextV1, TopicAndEventMustBeStrings) {
  EXPECT_EQ(decode_v1_error(R"({"topic":null,"event":"e","payload":{},"ref":"1"})"),
            ProtoError::topic_not_string);
  EXPECT_EQ(decode_v1_error(R"({"topic":"t","event":7,"payload":{},"ref":"1"})"),
            ProtoError::event_not_string);
}

TEST(DecodeTextV1, InvalidJsonAnywhere) {
  EXPECT_EQ(decode_v1_error(R"({"topic":"t","event":"e","payload":{"a":},"ref":"1"})"),
            ProtoError::invalid_json);
  EXPECT_EQ(decode_v1_error(R"({"topic":"t","event":"e","payload":{},"ref":"1","x":-})"),
            ProtoError::invalid_json);
  EXPECT_EQ(decode_v1_error(R"({"topic":"t","event":"e","payload":{},"ref":"1"} {})"),
            ProtoError::invalid_json);
}

// ---- binary decode (§5.1) ----

TEST(DecodeBinary, SpecExample) {
  auto r = decode_binary(Serializer::v2_json,
                         hex_bytes("00 01 01 06 02 33 37 72 6f 6f 6d 3a 31 75 70 de ad"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->join_ref, RawRef("\"3\""));
  EXPECT_EQ(r->ref, RawRef("\"7\""));
  EXPECT_EQ(r->topic, "room:1");
  EXPECT_EQ(r->event, "up");
  EXPECT_EQ(r->payload, Payload::binary(hex_bytes("de ad")));
}

TEST(DecodeBinary, ConformanceItem61) {
  auto r = decode_binary(Serializer::v2_json,
                         hex_bytes("00 01 02 06 03 31 36 33 72 6f 6f 6d 3a 61 62 69 6e 01 02"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->join_ref, RawRef("\"1\""));
  EXPECT_EQ(r->ref, RawRef("\"63\""));
  EXPECT_EQ(r->topic, "room:a");
  EXPECT_EQ(r->event, "bin");
  EXPECT_EQ(r->payload, Payload::binary(hex_bytes("01 02")));
}

TEST(DecodeBinary, EmptyRefsAreNullAndPayloadMayBeEmpty) {
  auto r = decode_binary(Serializer::v2_json, hex_bytes("00 00 00 01 01 74 65"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->join_ref, std::nullopt);
  EXPECT_EQ(r->ref, std::nullopt);
  EXPECT_EQ(r->topic, "t");
  EXPECT_EQ(r->event, "e");
  EXPECT_TRUE(r->payload.is_binary());
  EXPECT_EQ(r->payload.data, "");
}

TEST(DecodeBinary, RefWithQuoteIsStoredEscaped) {
  auto r = decode_binary(Serializer::v2_json, hex_bytes("00 01 00 01 01 22 74 65"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->join_ref, RawRef(R"("\"")"));
  EXPECT_EQ(raw_ref_value(r->join_ref), "\"");
}

TEST(DecodeBinary, TruncatedFrames) {
  for (std::string_view hex : {"00 05 01 01 01 31", "", "00", "00 01 01", "00 01 01 01 01 31 32 33"}) {
    auto r = decode_binary(Serializer::v2_json, hex_bytes(hex));
    ASSERT_FALSE(r.has_value()) << hex;
    EXPECT_EQ(r.error(), ProtoError::truncated_binary) << hex;
  }
}

TEST(DecodeBinary, OnlyKindZeroFromClients) {
  for (std::string_view hex : {"01 01 01 06 02 33 37 72 6f 6f 6d 3a 31 6f 6b", "02 06 03 72 6f 6f 6d 3a 31 69 6d 67",
                               "03", "ff 00 00 00 00"}) {
    auto r = decode_binary(Serializer::v2_json, hex_bytes(hex));
    ASSERT_FALSE(r.has_value()) << hex;
    EXPECT_EQ(r.error(), ProtoError::unknown_binary_kind) << hex;
  }
}

TEST(DecodeBinary, NotUnderV1) {
  auto r = decode_binary(Serializer::v1_json,
                         hex_bytes("00 01 01 06 02 33 37 72 6f 6f 6d 3a 31 75 70 de ad"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), ProtoError::binary_not_supported);
  EXPECT_EQ(r.error(), roost::Condition::protocol_violation);
}

// ---- refs and errors ----

TEST(RawRef, FromStringQuotesAndEscapes) {
  EXPECT_EQ(raw_ref_from_string("12"), RawRef("\"12\""));
  EXPECT_EQ(raw_ref_from_string("a\"b\\c\n"), RawRef(R"("a\"b\\c\n")"));
  EXPECT_EQ(raw_ref_from_string(""), RawRef("\"\""));
}

TEST(RawRef, ValueUnquotesStringsAndKeepsOtherTokens) {
  EXPECT_EQ(raw_ref_value(RawRef("\"12\"")), "12");
  EXPECT_EQ(raw_ref_value(RawRef(R"("a\u00e9\ud83d\ude00\/")")), "a\xc3\xa9\xf0\x9f\x98\x80/");
  EXPECT_EQ(raw_ref_value(RawRef("42")), "42");
  EXPECT_EQ(raw_ref_value(std::nullopt), "");
  for (std::string_view s : {"", "x", "\"", "tab\there", "é ✓", "\x01\x1f"}) {
    EXPECT_EQ(raw_ref_value(raw_ref_from_string(s)), s);
  }
}

TEST(ProtoErrors, MapOntoConditions) {
  EXPECT_EQ(make_error_code(ProtoError::field_too_long), roost::Condition::limit);
  EXPECT_NE(make_error_code(ProtoError::field_too_long), roost::Condition::protocol_violation);
  for (auto e : {ProtoError::invalid_json, ProtoError::not_an_array, ProtoError::short_array,
                 ProtoError::not_an_object, ProtoError::missing_key, ProtoError::topic_not_string,
                 ProtoError::event_not_string, ProtoError::unknown_binary_kind,
                 ProtoError::truncated_binary, ProtoError::binary_not_supported,
                 ProtoError::bad_vsn, ProtoError::bad_base64, ProtoError::bad_query}) {
    const std::error_code code = e;
    EXPECT_EQ(code, roost::Condition::protocol_violation) << code.message();
    EXPECT_FALSE(code.message().empty());
    EXPECT_STREQ(code.category().name(), "roost.proto");
  }
}

}  // namespace
}  // namespace roost::proto
