// Long-poll POST bodies (protocol.md §9.4; conformance items 96, 98–101).
#include "roost/proto/longpoll_body.h"

#include <gtest/gtest.h>

#include "roost/proto/base64.h"
#include "roost/proto/serializer.h"
#include "unit/proto/test_bytes.h"

namespace roost::proto {
namespace {

using testing::hex_bytes;

constexpr std::string_view kNdjson = "application/x-ndjson";

std::vector<LongPollLine> split_ok(std::string_view type, std::string_view body,
                                   std::size_t max = kLongPollMaxLines) {
  auto r = split_longpoll_body(type, body, max);
  EXPECT_TRUE(r.has_value()) << body;
  return r ? *r : std::vector<LongPollLine>{};
}

LongPollLine text(std::string_view t) { return {false, std::string(t)}; }

TEST(LongPollBody, SingleJoinLine) {
  EXPECT_EQ(split_ok(kNdjson, R"(["1","1","room:a","phx_join",{}])"),
            std::vector{text(R"(["1","1","room:a","phx_join",{}])")});
}

TEST(LongPollBody, LinesSeparatedByLfOrCrLf) {
  const std::vector expected{text(R"(["1","2","room:a","echo",{}])"),
                             text(R"(["1","3","room:a","push_me",{}])"), text("[null,\"4\"]")};
  EXPECT_EQ(split_ok(kNdjson, "[\"1\",\"2\",\"room:a\",\"echo\",{}]\n[\"1\",\"3\",\"room:a\",\"push_me\",{}]\n[null,\"4\"]"),
            expected);
  EXPECT_EQ(split_ok(kNdjson, "[\"1\",\"2\",\"room:a\",\"echo\",{}]\r\n[\"1\",\"3\",\"room:a\",\"push_me\",{}]\r\n[null,\"4\"]\r\n"),
            expected);
}

TEST(LongPollBody, EmptyLinesAreSkipped) {
  EXPECT_EQ(split_ok(kNdjson, "\n[1]\n\n\r\n[2]\n"), (std::vector{text("[1]"), text("[2]")}));
  EXPECT_TRUE(split_ok(kNdjson, "").empty());
  EXPECT_TRUE(split_ok(kNdjson, "\r\n\n").empty());
}

TEST(LongPollBody, OnlyTheFirstHundredLinesAreKept) {
  std::string body;
  for (int i = 0; i < 150; ++i) {
    body += "[null,\"" + std::to_string(i) + "\",\"room:a\",\"echo\",{}]\n";
  }
  const auto lines = split_ok(kNdjson, body);
  ASSERT_EQ(lines.size(), 100u);
  EXPECT_EQ(lines.front(), text(R"([null,"0","room:a","echo",{}])"));
  EXPECT_EQ(lines.back(), text(R"([null,"99","room:a","echo",{}])"));
  EXPECT_EQ(split_ok(kNdjson, body, 3).size(), 3u);
}

TEST(LongPollBody, LinesPastTheLimitAreNotLookedAt) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "[" + std::to_string(i) + "]\n";
  body += "!!! not base64 !!!\n";
  EXPECT_EQ(split_ok(kNdjson, body).size(), 100u);
}

TEST(LongPollBody, Base64LineOfItem100IsABinaryPush) {
  const auto lines = split_ok(kNdjson, "[\"1\",\"1\",\"room:a\",\"phx_join\",{}]\nAAEBBgMxN3Jvb206YWJpbgEC\n[\"1\",\"9\",\"room:a\",\"echo\",{}]");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0].binary);
  ASSERT_TRUE(lines[1].binary);
  EXPECT_EQ(lines[1].bytes, hex_bytes("00 01 01 06 03 31 37 72 6f 6f 6d 3a 61 62 69 6e 01 02"));
  auto msg = decode_binary(Serializer::v2_json, lines[1].bytes);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->event, "bin");
  EXPECT_EQ(msg->ref, RawRef("\"7\""));
  EXPECT_EQ(msg->payload, Payload::binary(hex_bytes("01 02")));
  EXPECT_FALSE(lines[2].binary);
}

TEST(LongPollBody, PaddedBase64WithCrLf) {
  const std::string frame = hex_bytes("00 00 00 01 01 74 65 ff");
  const std::string line = base64_encode(frame);
  ASSERT_EQ(line.back(), '=');
  EXPECT_EQ(split_ok(kNdjson, line + "\r\n"), (std::vector{LongPollLine{true, frame}}));
}

TEST(LongPollBody, BadBase64IsAnError) {
  for (std::string_view body : {"not base64!", "[1]\nAAE=B\n", "A\n", "QUJD\tRA=="}) {
    auto r = split_longpoll_body(kNdjson, body);
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error(), ProtoError::bad_base64);
  }
}

TEST(LongPollBody, OtherContentTypesAreOneTextFrame) {
  const std::string_view body = "[\"1\",\"2\",\"room:a\",\"echo\",{}]\n[\"x\"]";
  EXPECT_EQ(split_ok("application/json", body), std::vector{text(body)});
  EXPECT_EQ(split_ok("", "AAEB"), std::vector{text("AAEB")});
  EXPECT_EQ(split_ok("text/plain", ""), std::vector{text("")});
}

TEST(LongPollBody, MediaTypeComparedCaseInsensitivelyWithoutParameters) {
  EXPECT_EQ(split_ok("Application/X-NDJSON; charset=utf-8", "[1]\n[2]").size(), 2u);
  EXPECT_EQ(split_ok(" application/x-ndjson ", "[1]\n[2]").size(), 2u);
  EXPECT_EQ(split_ok("application/x-ndjsonx", "[1]\n[2]").size(), 1u);
}

}  // namespace
}  // namespace roost::proto
