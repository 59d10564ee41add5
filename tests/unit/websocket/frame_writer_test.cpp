#include "roost/websocket/frame_writer.h"

#include <gtest/gtest.h>

#include "roost/websocket/close_code.h"
#include "roost/websocket/frame_parser.h"
#include "unit/websocket/ws_test_support.h"

namespace roost::websocket {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

TEST(FrameWriter, RfcUnmaskedHello) {
  // RFC 6455 §5.7: a single-frame unmasked text message containing "Hello".
  EXPECT_EQ(make_frame(Opcode::text, "Hello"), bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
}

TEST(FrameWriter, RfcFragmentedHello) {
  std::string out;
  append_frame_header(out, Opcode::text, 3, false);
  out += "Hel";
  append_frame_header(out, Opcode::continuation, 2, true);
  out += "lo";
  EXPECT_EQ(out, bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
}

TEST(FrameWriter, RfcPingAndEmptyFrames) {
  EXPECT_EQ(make_frame(Opcode::ping, "Hello"), bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  EXPECT_EQ(make_frame(Opcode::pong, ""), bytes({0x8a, 0x00}));
  EXPECT_EQ(make_frame(Opcode::binary, ""), bytes({0x82, 0x00}));
}

TEST(FrameWriter, SixteenBitLength) {
  // RFC 6455 §5.7: 256 bytes of binary data in a single unmasked frame.
  const std::string payload(256, 'x');
  const std::string frame = make_frame(Opcode::binary, payload);
  ASSERT_EQ(frame.size(), 4u + 256u);
  EXPECT_EQ(frame.substr(0, 4), bytes({0x82, 0x7E, 0x01, 0x00}));
  EXPECT_EQ(frame.substr(4), payload);
}

TEST(FrameWriter, SixtyFourBitLength) {
  // RFC 6455 §5.7: 64 KiB of binary data in a single unmasked frame.
  const std::string payload(65536, 'y');
  const std::string frame = make_frame(Opcode::binary, payload);
  ASSERT_EQ(frame.size(), 10u + 65536u);
  EXPECT_EQ(frame.substr(0, 10), bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}));
  EXPECT_EQ(frame.substr(10), payload);
}

TEST(FrameWriter, LengthFormBoundaries) {
  struct Case {
    std::size_t len;
    std::string header;
  };
  const Case cases[] = {
      {0, bytes({0x82, 0})},
      {125, bytes({0x82, 125})},
      {126, bytes({0x82, 126, 0x00, 126})},
      {65535, bytes({0x82, 126, 0xFF, 0xFF})},
      {65536, bytes({0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0})},
      {0x123456789AULL, bytes({0x82, 127, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9A})},
  };
  for (const Case& c : cases) {
    std::string out = "prefix";
    append_frame_header(out, Opcode::binary, c.len);
    EXPECT_EQ(out, "prefix" + c.header) << c.len;
    EXPECT_EQ(frame_header_size(c.len), c.header.size()) << c.len;
  }
}

TEST(FrameWriter, MakeFrameAllocatesOnce) {
  const std::string payload(1000, 'z');
  const long before = testing::total_allocations();
  const std::string frame = make_frame(Opcode::text, payload);
  EXPECT_EQ(testing::total_allocations() - before, 1);
  EXPECT_EQ(frame.size(), 4u + payload.size());
}

TEST(FrameWriter, CloseFrameWithCodeAndReason) {
  EXPECT_EQ(make_close_frame(close_code::normal), bytes({0x88, 0x02, 0x03, 0xE8}));
  EXPECT_EQ(make_close_frame(close_code::going_away, "bye"),
            bytes({0x88, 0x05, 0x03, 0xE9, 'b', 'y', 'e'}));
  EXPECT_EQ(make_close_frame(4321), bytes({0x88, 0x02, 0x10, 0xE1}));
}

TEST(FrameWriter, CloseFrameNoStatusHasEmptyPayload) {
  EXPECT_EQ(make_close_frame(close_code::no_status, "ignored"), bytes({0x88, 0x00}));
}

TEST(FrameWriter, CloseReasonTruncatedToFitControlFrame) {
  const std::string reason(200, 'r');
  const std::string frame = make_close_frame(close_code::policy_violation, reason);
  ASSERT_EQ(frame.size(), 2u + 125u);
  EXPECT_EQ(static_cast<uint8_t>(frame[1]), 125);
  EXPECT_EQ(frame.substr(4), std::string(123, 'r'));

  const std::string exact(123, 'e');
  EXPECT_EQ(make_close_frame(close_code::normal, exact).substr(4), exact);
}

TEST(FrameWriter, CloseReasonTruncationKeepsUtf8Whole) {
  // 122 ASCII bytes then a 3-byte character: cutting at 123 would split the character.
  const std::string reason = std::string(122, 'a') + "\xE2\x82\xAC" + "tail";
  const std::string frame = make_close_frame(close_code::normal, reason);
  EXPECT_EQ(frame.substr(4), std::string(122, 'a'));
  EXPECT_EQ(static_cast<uint8_t>(frame[1]), 2 + 122);

  // A 2-byte character that ends exactly at byte 123 is kept.
  const std::string fits = std::string(121, 'b') + "\xC3\xA9" + "more";
  EXPECT_EQ(make_close_frame(close_code::normal, fits).substr(4),
            std::string(121, 'b') + "\xC3\xA9");
}

// Whatever the writer produces, a client-side view of it (masked by the client) parses back.
TEST(FrameWriter, RoundTripsThroughParserOnceMasked) {
  const std::string payloads[] = {"", "Hello", std::string(126, 'm'), std::string(70000, 'n')};
  for (const std::string& payload : payloads) {
    std::string frame = make_frame(Opcode::binary, payload);
    // Turn the server frame into a client frame: set the mask bit, insert a key, mask.
    const std::size_t header = frame_header_size(payload.size());
    std::string client = frame.substr(0, header);
    client[1] = static_cast<char>(client[1] | 0x80);
    for (uint8_t m : testing::kRfcMask) client.push_back(static_cast<char>(m));
    client += testing::masked(payload, testing::kRfcMask);

    FrameParser parser(1 << 20);
    testing::RecordingSink sink;
    ASSERT_FALSE(parser.feed(client, sink).has_value());
    ASSERT_EQ(sink.events.size(), 1u);
    EXPECT_EQ(sink.events[0], "binary:" + payload);
  }
}

}  // namespace
}  // namespace roost::websocket
