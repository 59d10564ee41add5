#include "roost/websocket/frame_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/websocket/ws_test_support.h"

namespace roost::websocket {
namespace {

using testing::client_frame;
using testing::client_header;
using testing::close_payload;
using testing::RecordingSink;

constexpr std::size_t kLimit = 1 << 20;

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

struct Outcome {
  std::optional<ParseError> error;
  std::vector<std::string> events;
};

// Feeds `wire` cut at the given offsets (ascending), stopping at the first error.
Outcome feed_pieces(std::string wire, const std::vector<std::size_t>& cuts,
                    std::size_t limit = kLimit) {
  FrameParser parser(limit);
  RecordingSink sink;
  Outcome out;
  std::size_t start = 0;
  auto feed = [&](std::size_t end) {
    if (!out.error) out.error = parser.feed({wire.data() + start, end - start}, sink);
    start = end;
  };
  for (std::size_t cut : cuts) feed(cut);
  feed(wire.size());
  out.events = sink.events;
  return out;
}

Outcome feed_all(std::string wire, std::size_t limit = kLimit) {
  return feed_pieces(std::move(wire), {}, limit);
}

Outcome feed_bytewise(std::string wire, std::size_t limit = kLimit) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < wire.size(); ++i) cuts.push_back(i);
  return feed_pieces(std::move(wire), cuts, limit);
}

// A sink that records without allocating, for the heap-use tests.
struct QuietSink : FrameSink {
  int messages = 0;
  int controls = 0;
  const char* last_data = nullptr;
  std::size_t last_size = 0;
  void on_message(Opcode, std::string_view data) override {
    ++messages;
    last_data = data.data();
    last_size = data.size();
  }
  void on_ping(std::string_view) override { ++controls; }
  void on_pong(std::string_view) override { ++controls; }
  void on_close(uint16_t, std::string_view) override { ++controls; }
};

// ---------------------------------------------------------------- RFC 6455 §5.7 examples

TEST(FrameParser, RfcMaskedHello) {
  const std::string wire =
      bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  const Outcome out = feed_all(wire);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, std::vector<std::string>{"text:Hello"});
  EXPECT_EQ(client_frame(Opcode::text, "Hello"), wire);  // the test builder agrees with the RFC
}

TEST(FrameParser, RfcUnmaskedHelloIsRejectedFromItsFirstTwoBytes) {
  std::string wire = bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  FrameParser parser(kLimit);
  RecordingSink sink;
  const auto error = parser.feed({wire.data(), 2}, sink);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->close_code, close_code::protocol_error);
  EXPECT_TRUE(sink.events.empty());
}

TEST(FrameParser, RfcFragmentedHello) {
  const std::string wire = client_frame(Opcode::text, "Hel", false) +
                           client_frame(Opcode::continuation, "lo", true, {1, 2, 3, 4});
  const Outcome out = feed_all(wire);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, std::vector<std::string>{"text:Hello"});
}

TEST(FrameParser, RfcPingAndPong) {
  const Outcome out =
      feed_all(client_frame(Opcode::ping, "Hello") + client_frame(Opcode::pong, "Hello"));
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, (std::vector<std::string>{"ping:Hello", "pong:Hello"}));
}

TEST(FrameParser, SixteenAndSixtyFourBitLengths) {
  std::string p126(126, 'a'), p300(300, 'b'), p65535(65535, 'c'), p70000(70000, 'd');
  p300[150] = 'X';
  p70000[69999] = 'Z';
  const std::string wire = client_frame(Opcode::binary, p126) + client_frame(Opcode::text, p300) +
                           client_frame(Opcode::binary, p65535) +
                           client_frame(Opcode::binary, p70000, true, {0xde, 0xad, 0xbe, 0xef});
  ASSERT_EQ(static_cast<uint8_t>(wire[1]), 0x80 | 126);
  const Outcome out = feed_all(wire);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, (std::vector<std::string>{"binary:" + p126, "text:" + p300,
                                                  "binary:" + p65535, "binary:" + p70000}));
}

// ---------------------------------------------------------------- delivery without copies

TEST(FrameParser, WholeFrameIsUnmaskedInPlaceAndDeliveredWithoutCopy) {
  std::string wire = client_frame(Opcode::text, "Hello") + client_frame(Opcode::binary, "World!");
  FrameParser parser(kLimit);
  RecordingSink sink;
  ASSERT_FALSE(parser.feed(wire, sink));
  ASSERT_EQ(sink.data_pointers.size(), 2u);
  EXPECT_EQ(sink.data_pointers[0], wire.data() + 6);
  EXPECT_EQ(sink.data_pointers[1], wire.data() + 6 + 5 + 6);
  EXPECT_EQ(wire.substr(6, 5), "Hello");  // unmasked where it lay
}

TEST(FrameParser, CompleteFramesUseNoHeap) {
  std::string wire = client_frame(Opcode::text, std::string(200, 't')) +
                     client_frame(Opcode::ping, "p") + client_frame(Opcode::binary, "b") +
                     client_frame(Opcode::close, close_payload(1000, "bye"));
  {
    // simdjson picks its UTF-8 kernel on first use (a one-time allocation per process);
    // the claim is about the steady state, so warm that up on a copy first.
    std::string warm = wire;
    FrameParser warm_parser(kLimit);
    QuietSink warm_sink;
    ASSERT_FALSE(warm_parser.feed(warm, warm_sink));
  }
  FrameParser parser(kLimit);
  QuietSink sink;
  const long before = testing::total_allocations();
  const auto error = parser.feed(wire, sink);
  const long allocations = testing::total_allocations() - before;
  EXPECT_FALSE(error);
  EXPECT_EQ(sink.messages, 2);
  EXPECT_EQ(sink.controls, 2);
  EXPECT_EQ(allocations, 0);
}

// ---------------------------------------------------------------- split points

// Several frames: a fragmented binary message with a ping, a pong and a close between its
// fragments, frames of all three length forms, different masks and an empty message.
std::string multi_frame_wire() {
  std::string fragment1(130, 'f');
  for (std::size_t i = 0; i < fragment1.size(); ++i) fragment1[i] = static_cast<char>(i);
  return client_frame(Opcode::text, "Hello") +
         client_frame(Opcode::binary, fragment1, false, {0x11, 0x22, 0x33, 0x44}) +
         client_frame(Opcode::ping, "p1", true, {0xff, 0x00, 0xff, 0x00}) +
         client_frame(Opcode::continuation, "0123456789abcdefghij", false, {5, 6, 7, 8}) +
         client_frame(Opcode::pong, "pong-bytes", true, {9, 10, 11, 12}) +
         client_frame(Opcode::continuation, "tail!", true, {13, 14, 15, 16}) +
         client_frame(Opcode::text, "", true, {0, 0, 0, 0}) +
         client_frame(Opcode::text, "\xE2\x82\xAC uro", true, {0x80, 0x81, 0x82, 0x83}) +
         client_frame(Opcode::close, close_payload(1000, "done"), true, {0x5a, 0xa5, 0x5a, 0xa5});
}

std::vector<std::string> multi_frame_events() {
  std::string fragment1(130, 'f');
  for (std::size_t i = 0; i < fragment1.size(); ++i) fragment1[i] = static_cast<char>(i);
  std::vector<std::string> events;
  events.push_back("text:Hello");
  events.push_back("ping:p1");  // control frames come out between the fragments
  events.push_back("pong:pong-bytes");
  events.push_back("binary:" + fragment1 + "0123456789abcdefghij" + "tail!");
  events.push_back("text:");
  events.push_back("text:\xE2\x82\xAC uro");
  events.push_back("close:1000:done");
  return events;
}

TEST(FrameParser, MultiFrameBufferInOneFeed) {
  const Outcome out = feed_all(multi_frame_wire());
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, multi_frame_events());
}

TEST(FrameParser, OneByteAtATimeGivesTheSameResult) {
  const Outcome out = feed_bytewise(multi_frame_wire());
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, multi_frame_events());
}

TEST(FrameParser, EverySplitPointGivesTheSameResult) {
  const std::string wire = multi_frame_wire();
  const auto expected = multi_frame_events();
  for (std::size_t i = 0; i <= wire.size(); ++i) {
    const Outcome out = feed_pieces(wire, {i});
    ASSERT_FALSE(out.error) << "split at " << i;
    ASSERT_EQ(out.events, expected) << "split at " << i;
  }
}

TEST(FrameParser, EveryPairOfSplitPointsGivesTheSameResult) {
  const std::string wire = multi_frame_wire();
  const auto expected = multi_frame_events();
  for (std::size_t i = 0; i <= wire.size(); ++i) {
    for (std::size_t j = i; j <= wire.size(); ++j) {
      const Outcome out = feed_pieces(wire, {i, j});
      ASSERT_FALSE(out.error) << "splits at " << i << "," << j;
      ASSERT_EQ(out.events, expected) << "splits at " << i << "," << j;
    }
  }
}

TEST(FrameParser, IdleOnlyBetweenMessages) {
  std::string wire = client_frame(Opcode::text, "Hel", false) + client_frame(Opcode::ping, "x") +
                     client_frame(Opcode::continuation, "lo");
  const std::size_t first_frame_end = 2 + 4 + 3;
  const std::size_t ping_end = first_frame_end + 2 + 4 + 1;
  FrameParser parser(kLimit);
  RecordingSink sink;
  EXPECT_TRUE(parser.idle());
  ASSERT_FALSE(parser.feed({wire.data(), 1}, sink));
  EXPECT_FALSE(parser.idle());  // partial header
  ASSERT_FALSE(parser.feed({wire.data() + 1, 6}, sink));
  EXPECT_FALSE(parser.idle());  // partial payload
  ASSERT_FALSE(parser.feed({wire.data() + 7, first_frame_end - 7}, sink));
  EXPECT_FALSE(parser.idle());  // message in progress
  ASSERT_FALSE(parser.feed({wire.data() + first_frame_end, ping_end - first_frame_end}, sink));
  EXPECT_FALSE(parser.idle());  // still in progress after the ping
  ASSERT_FALSE(parser.feed({wire.data() + ping_end, wire.size() - ping_end}, sink));
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(sink.events, (std::vector<std::string>{"ping:x", "text:Hello"}));
}

// ---------------------------------------------------------------- heap use

TEST(FrameParser, IsSmall) {
  static_assert(sizeof(FrameParser) <= 64, "FrameParser is kept per connection; keep it small");
  RecordProperty("sizeof_FrameParser", static_cast<int>(sizeof(FrameParser)));
  EXPECT_LE(sizeof(FrameParser), 64u);
}

TEST(FrameParser, IdleParserOwnsNoHeapAfterShrink) {
  std::string payload(5000, 'p');
  std::string wire = client_frame(Opcode::binary, payload);
  QuietSink sink;
  const long live_before = testing::live_allocations();
  auto parser = std::make_unique<FrameParser>(kLimit);
  const long live_with_parser = testing::live_allocations();
  EXPECT_EQ(live_with_parser, live_before + 1);  // only the parser object itself

  ASSERT_FALSE(parser->feed({wire.data(), 100}, sink));  // the payload must be buffered
  EXPECT_FALSE(parser->idle());
  EXPECT_GT(testing::live_allocations(), live_with_parser);
  parser->shrink();  // not idle: keeps the buffered bytes
  ASSERT_FALSE(parser->feed({wire.data() + 100, wire.size() - 100}, sink));
  EXPECT_EQ(sink.messages, 1);
  EXPECT_EQ(sink.last_size, payload.size());
  EXPECT_TRUE(parser->idle());

  parser->shrink();
  EXPECT_EQ(testing::live_allocations(), live_with_parser);
  parser.reset();
  EXPECT_EQ(testing::live_allocations(), live_before);
}

TEST(FrameParser, ShrinkWhileBusyKeepsTheMessage) {
  std::string wire = client_frame(Opcode::text, std::string(40, 'a'), false) +
                     client_frame(Opcode::continuation, std::string(40, 'b'));
  FrameParser parser(kLimit);
  RecordingSink sink;
  const std::size_t cut = wire.size() / 2 + 10;
  ASSERT_FALSE(parser.feed({wire.data(), cut}, sink));
  parser.shrink();
  ASSERT_FALSE(parser.feed({wire.data() + cut, wire.size() - cut}, sink));
  EXPECT_EQ(sink.events,
            std::vector<std::string>{"text:" + std::string(40, 'a') + std::string(40, 'b')});
}

TEST(FrameParser, PartialHeaderUsesNoHeap) {
  std::string wire = client_frame(Opcode::binary, std::string(70000, 'h'));
  FrameParser parser(kLimit);
  QuietSink sink;
  const long before = testing::total_allocations();
  for (std::size_t i = 0; i < 13; ++i) ASSERT_FALSE(parser.feed({wire.data() + i, 1}, sink));
  EXPECT_EQ(testing::total_allocations(), before);
  EXPECT_FALSE(parser.idle());
}

// ---------------------------------------------------------------- size limit

TEST(FrameParser, MessageExactlyAtLimitIsAccepted) {
  const std::size_t limit = 1000;
  const std::string at_limit(limit, 'x');
  EXPECT_FALSE(feed_all(client_frame(Opcode::binary, at_limit), limit).error);
  EXPECT_FALSE(feed_bytewise(client_frame(Opcode::binary, at_limit), limit).error);
  // Fragments summing to the limit, with control frames between them that do not count.
  const std::string wire = client_frame(Opcode::text, std::string(600, 'y'), false) +
                           client_frame(Opcode::ping, std::string(125, 'p')) +
                           client_frame(Opcode::continuation, std::string(400, 'z'));
  const Outcome out = feed_all(wire, limit);
  EXPECT_FALSE(out.error);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].size(), 5u + limit);
}

TEST(FrameParser, OneByteOverLimitIsRejectedFromTheHeader) {
  const std::size_t limit = 1000;
  std::string single = client_frame(Opcode::binary, std::string(limit + 1, 'x'));
  EXPECT_EQ(feed_all(single, limit).error->close_code, close_code::message_too_big);

  // The header alone is enough: no payload byte is needed or buffered.
  FrameParser parser(limit);
  RecordingSink sink;
  const long before = testing::total_allocations();
  const auto error = parser.feed({single.data(), 8}, sink);
  EXPECT_EQ(testing::total_allocations(), before);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->close_code, close_code::message_too_big);
}

TEST(FrameParser, FragmentsOneByteOverLimitAreRejectedAtTheLastHeader) {
  const std::size_t limit = 1000;
  std::string wire = client_frame(Opcode::text, std::string(990, 'y'), false) +
                     client_frame(Opcode::continuation, std::string(11, 'z'));
  const std::size_t second_header_end = 4 + 4 + 990 + 2 + 4;
  FrameParser parser(limit);
  RecordingSink sink;
  ASSERT_FALSE(parser.feed({wire.data(), second_header_end - 1}, sink));
  const auto error = parser.feed({wire.data() + second_header_end - 1, 1}, sink);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->close_code, close_code::message_too_big);
  EXPECT_TRUE(sink.events.empty());
}

TEST(FrameParser, ZeroLimitAllowsOnlyEmptyMessages) {
  EXPECT_FALSE(feed_all(client_frame(Opcode::text, ""), 0).error);
  EXPECT_FALSE(feed_all(client_frame(Opcode::ping, "control frames are not limited"), 0).error);
  EXPECT_EQ(feed_all(client_frame(Opcode::text, "a"), 0).error->close_code,
            close_code::message_too_big);
}

// ---------------------------------------------------------------- protocol errors

struct ErrorCase {
  const char* name;
  std::string wire;
  uint16_t code;
};

std::vector<ErrorCase> error_cases() {
  std::vector<ErrorCase> cases = {
      {"unmasked", client_header(0x82, 3, false) + "abc", close_code::protocol_error},
      {"rsv1", client_header(0x80 | 0x40 | 1, 0), close_code::protocol_error},
      {"rsv2", client_header(0x80 | 0x20 | 1, 0), close_code::protocol_error},
      {"rsv3", client_header(0x80 | 0x10 | 1, 0), close_code::protocol_error},
      {"ping payload 126",
       client_header(0x89, 126) + testing::masked(std::string(126, 'p'), testing::kRfcMask),
       close_code::protocol_error},
      {"ping payload 126 in short form", bytes({0x89, 0x80 | 126}) + "\x37\xfa\x21\x3d",
       close_code::protocol_error},
      {"ping not fin", client_frame(Opcode::ping, "x", false), close_code::protocol_error},
      {"close not fin", client_frame(Opcode::close, close_payload(1000), false),
       close_code::protocol_error},
      // Follows the finished "ok" message, so also covers a continuation after a FIN frame.
      {"continuation without message", client_frame(Opcode::continuation, "x"),
       close_code::protocol_error},
      {"text inside fragmented message",
       client_frame(Opcode::text, "a", false) + client_frame(Opcode::text, "b"),
       close_code::protocol_error},
      {"binary inside fragmented message",
       client_frame(Opcode::binary, "a", false) + client_frame(Opcode::binary, "b", false),
       close_code::protocol_error},
      {"64-bit length top bit", client_header(0x82, 1ULL << 63, true, testing::kRfcMask, 8),
       close_code::protocol_error},
      {"close with 1-byte payload", client_frame(Opcode::close, "\x03"),
       close_code::protocol_error},
      {"invalid utf-8 text", client_frame(Opcode::text, "ab\xFF"), close_code::invalid_payload},
      {"overlong utf-8", client_frame(Opcode::text, "\xC0\xAF"), close_code::invalid_payload},
      {"utf-16 surrogate", client_frame(Opcode::text, "\xED\xA0\x80"), close_code::invalid_payload},
      {"truncated utf-8", client_frame(Opcode::text, "\xE2\x82"), close_code::invalid_payload},
      {"invalid utf-8 close reason", client_frame(Opcode::close, close_payload(1000, "\xC3")),
       close_code::invalid_payload},
  };
  for (int op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    cases.push_back({"unknown opcode", client_header(static_cast<uint8_t>(0x80 | op), 0),
                     close_code::protocol_error});
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    cases.push_back({"invalid close code",
                     client_frame(Opcode::close, close_payload(static_cast<uint16_t>(code))),
                     close_code::protocol_error});
  return cases;
}

TEST(FrameParser, EveryProtocolErrorHasItsCloseCode) {
  for (const ErrorCase& c : error_cases()) {
    // A valid message first: it must be delivered before the failure is reported.
    const std::string wire = client_frame(Opcode::text, "ok") + c.wire;
    for (const Outcome& out : {feed_all(wire), feed_bytewise(wire)}) {
      ASSERT_TRUE(out.error) << c.name;
      EXPECT_EQ(out.error->close_code, c.code) << c.name << ": " << out.error->what;
      EXPECT_NE(out.error->what, nullptr);
      EXPECT_EQ(out.events, std::vector<std::string>{"text:ok"}) << c.name;
    }
  }
}

TEST(FrameParser, ErrorsAreReportedOnlyOnce) {
  std::string wire = client_frame(Opcode::continuation, "x");
  FrameParser parser(kLimit);
  RecordingSink sink;
  ASSERT_TRUE(parser.feed(wire, sink));
  std::string good = client_frame(Opcode::text, "later");
  EXPECT_TRUE(parser.feed(good, sink));  // a failed parser stays failed
  EXPECT_TRUE(sink.events.empty());
}

TEST(FrameParser, ValidCloseFrames) {
  std::string wire = client_frame(Opcode::close, "") +
                     client_frame(Opcode::close, close_payload(1000)) +
                     client_frame(Opcode::close, close_payload(1001, "going \xE2\x82\xAC"));
  for (int code : {1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    wire += client_frame(Opcode::close, close_payload(static_cast<uint16_t>(code)));
  const Outcome out = feed_bytewise(wire);
  EXPECT_FALSE(out.error);
  const std::vector<std::string> expected = {
      "close:1005:", "close:1000:", "close:1001:going \xE2\x82\xAC",
      "close:1002:", "close:1003:", "close:1007:",
      "close:1008:", "close:1009:", "close:1010:",
      "close:1011:", "close:3000:", "close:3999:",
      "close:4000:", "close:4999:"};
  EXPECT_EQ(out.events, expected);
}

// ---------------------------------------------------------------- UTF-8 across fragments

TEST(FrameParser, Utf8CharacterSplitAcrossFragmentsIsValid) {
  // "€" is E2 82 AC; each fragment alone is invalid UTF-8, the message is valid.
  const std::string wire = client_frame(Opcode::text, "price \xE2", false) +
                           client_frame(Opcode::continuation, "\x82", false) +
                           client_frame(Opcode::continuation, "\xAC!");
  const Outcome out = feed_all(wire);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, std::vector<std::string>{"text:price \xE2\x82\xAC!"});
}

TEST(FrameParser, InvalidUtf8SplitAcrossFragmentsIsRejected) {
  const std::string wire =
      client_frame(Opcode::text, "ok \xE2\x82", false) + client_frame(Opcode::continuation, "A");
  for (const Outcome& out : {feed_all(wire), feed_bytewise(wire)}) {
    ASSERT_TRUE(out.error);
    EXPECT_EQ(out.error->close_code, close_code::invalid_payload);
    EXPECT_TRUE(out.events.empty());
  }
}

TEST(FrameParser, BinaryMessagesAreNotUtf8Checked) {
  const Outcome out = feed_all(client_frame(Opcode::binary, "\xFF\xFE\xC0"));
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events, std::vector<std::string>{"binary:\xFF\xFE\xC0"});
}

}  // namespace
}  // namespace roost::websocket
