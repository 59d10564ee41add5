// The replication wire codec: every message kind survives encode/decode unchanged, and
// the decoder refuses malformed or hostile input with the right error — truncation at
// every length, bad versions and kinds, overlong or overflowing integers, indices outside
// the replica table, duplicates, zero dots, values the message does not cover, invalid
// UTF-8, metas that are not JSON objects, empty names, trailing bytes, counts and lengths
// larger than the input — without crashing on any single-byte corruption or on random
// edits; whatever decodes re-encodes to the same message.
#include "roost/presence/replication_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "roost/core/errors.h"

namespace roost::presence {
namespace {

const ReplicaName kA{"node-a", 1700000000000001};
const ReplicaName kB{"node-b", 1700000000000002};
const ReplicaName kC{"nöde-c ☃", std::numeric_limits<std::uint64_t>::max()};

Entry entry(const ReplicaName& r, std::uint64_t clock, std::string topic, std::string key, std::string fields,
            std::string ref, std::string prev = {}) {
  return Entry{std::move(topic), Owner{r.node, clock * 10}, std::move(key),
               Meta{std::move(fields), std::move(ref), std::move(prev)}, Dot{r, clock}};
}

Delta sample_delta() {
  Delta d;
  d.clouds[kA] = {3, 4, 7, 1ull << 40};
  d.clouds[kB] = {1};
  d.range_start = {{kA, 2}, {kB, 0}};
  d.range_end = {{kA, 1ull << 40}, {kB, 1}};
  for (const Entry& e : {entry(kA, 3, "presence:lobby", "ann", R"({"d":"web"})", "F7c2oWSd3ZcBegLB"),
                         entry(kA, 7, "presence:lobby", "ann", R"({"d":"web","away":true})", "R3", "F7c2oWSd3ZcBegLB"),
                         entry(kB, 1, "room:ünïcode", "", "{}", "B1")}) {
    d.values.emplace(e.tag, e);
  }
  return d;
}

Delta sample_state() {
  Delta s;
  s.context = {{kA, 9}, {kB, 4}, {kC, 0}};
  s.clouds[kB] = {6, 8};
  for (const Entry& e : {entry(kA, 2, "t", "1", R"({"n":1})", "a2"), entry(kB, 8, "t", "2", R"({ "nested": {"x": [1, 2]} })", "b8")}) {
    s.values.emplace(e.tag, e);
  }
  return s;
}

void expect_round_trip(const ReplicationMessage& m) {
  const std::string bytes = encode(m);
  auto back = decode(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(*back == m);
  auto from = peek_sender(bytes);
  ASSERT_TRUE(from);
  EXPECT_EQ(*from, sender(m));
}

TEST(ReplicationCodec, RoundTripsEveryMessageKind) {
  expect_round_trip(Heartbeat{kA, {{kA, 12}, {kB, 3}}, std::nullopt});
  expect_round_trip(Heartbeat{kA, {{kA, 1ull << 40}, {kB, 1}}, sample_delta()});
  expect_round_trip(Heartbeat{kC, {}, Delta{}});  // an empty delta is still a delta
  expect_round_trip(TransferRequest{42, kB, {{kA, 0}, {kB, 5}, {kC, 7}}});
  expect_round_trip(TransferRequest{std::numeric_limits<std::uint64_t>::max(), kB, {}});
  expect_round_trip(TransferAck{7, kA, true, sample_state()});
  expect_round_trip(TransferAck{8, kB, false, sample_delta()});
}

TEST(ReplicationCodec, NamesEachReplicaOnceHoweverManyValuesItHas) {
  Delta d;
  for (std::uint64_t c = 1; c <= 100; ++c) {
    d.clouds[kA].insert(c);
    Entry e = entry(kA, c, "t", "k", "{}", "r" + std::to_string(c));
    d.values.emplace(e.tag, e);
  }
  const std::string bytes = encode(Heartbeat{kA, {{kA, 100}}, d});
  std::size_t mentions = 0;
  for (std::size_t at = bytes.find(kA.node); at != std::string::npos; at = bytes.find(kA.node, at + 1)) ++mentions;
  // The replica table, plus each value's owner node (the owner's own field).
  EXPECT_EQ(mentions, 1u + 100u);
}

// --- hand-built messages for the rejection cases ---

struct Bytes {
  std::string s;
  Bytes& u8(unsigned b) {
    s.push_back(static_cast<char>(b));
    return *this;
  }
  Bytes& v(std::uint64_t x) {
    while (x >= 0x80) {
      u8(static_cast<unsigned>((x & 0x7f) | 0x80));
      x >>= 7;
    }
    return u8(static_cast<unsigned>(x));
  }
  Bytes& str(std::string_view t) {
    v(t.size());
    s.append(t);
    return *this;
  }
  // version, kind, a table of `names` (vsn 1, 2, ...), sender index 0.
  static Bytes header(unsigned kind, std::initializer_list<std::string_view> names = {"a"}) {
    Bytes b;
    b.u8(1).u8(kind).v(names.size());
    std::uint64_t vsn = 0;
    for (auto n : names) b.str(n).v(++vsn);
    b.v(0);
    return b;
  }
};

std::error_code error_of(const std::string& bytes) {
  auto r = decode(bytes);
  return r ? std::error_code{} : r.error();
}

// A heartbeat of replica 0 with a delta holding one value of replica 0 at `clock`.
Bytes heartbeat_with_value(std::uint64_t cloud_dot, std::uint64_t value_clock, std::string_view fields = "{}",
                           std::string_view topic = "t", std::string_view ref = "r") {
  Bytes b = Bytes::header(1);
  b.v(0);        // clock: empty
  b.u8(1);       // has delta
  b.v(0);        // context: empty
  b.v(1).v(0).v(1).v(cloud_dot);  // clouds: replica 0 -> {cloud_dot}
  b.v(0).v(0);   // ranges
  b.v(1).v(0).v(value_clock).str(topic).str("a").v(5).str("k").str(fields).str(ref).str("");
  return b;
}

TEST(ReplicationCodec, AcceptsAHandBuiltMessage) {
  auto r = decode(heartbeat_with_value(3, 3).s);
  ASSERT_TRUE(r) << r.error().message();
  const auto& h = std::get<Heartbeat>(*r);
  EXPECT_EQ(h.from, (ReplicaName{"a", 1}));
  ASSERT_TRUE(h.delta);
  ASSERT_EQ(h.delta->values.size(), 1u);
  EXPECT_EQ(h.delta->values.begin()->second.owner, (Owner{"a", 5}));
}

TEST(ReplicationCodec, EveryTruncationIsAnError) {
  for (const ReplicationMessage& m : {ReplicationMessage{Heartbeat{kA, {{kA, 1ull << 40}}, sample_delta()}},
                                      ReplicationMessage{TransferAck{7, kA, true, sample_state()}},
                                      ReplicationMessage{TransferRequest{9, kB, {{kA, 3}}}}}) {
    const std::string bytes = encode(m);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto r = decode(std::string_view(bytes).substr(0, n));
      ASSERT_FALSE(r) << "a prefix of " << n << " of " << bytes.size() << " bytes decoded";
      EXPECT_EQ(r.error(), Condition::protocol_violation);
    }
  }
}

TEST(ReplicationCodec, RejectsWhatTheFormatForbids) {
  using E = ReplicationError;
  EXPECT_EQ(error_of(""), make_error_code(E::truncated));
  EXPECT_EQ(error_of(Bytes{}.u8(2).u8(1).v(1).str("a").v(1).v(0).v(0).u8(0).s), make_error_code(E::bad_version));
  EXPECT_EQ(error_of(Bytes::header(9).s), make_error_code(E::unknown_kind));
  EXPECT_EQ(error_of(Bytes::header(1).v(0).u8(0).u8(0).s), make_error_code(E::trailing_bytes));
  EXPECT_EQ(error_of(Bytes::header(1).v(0).u8(2).s), make_error_code(E::bad_flag));
  // Integers: overlong (a zero continuation byte) and beyond 64 bits.
  EXPECT_EQ(error_of(Bytes::header(2).u8(0x81).u8(0x00).v(0).s), make_error_code(E::bad_varint));
  {
    Bytes b = Bytes::header(2);
    for (int i = 0; i < 9; ++i) b.u8(0xff);
    b.u8(0x02);  // bit 64
    EXPECT_EQ(error_of(b.v(0).s), make_error_code(E::bad_varint));
  }
  {
    Bytes b = Bytes::header(2);
    for (int i = 0; i < 11; ++i) b.u8(0x80);
    EXPECT_EQ(error_of(b.s), make_error_code(E::bad_varint));
  }
  // Replica table: empty names, unsorted or duplicate entries, a sender outside it.
  EXPECT_EQ(error_of(Bytes::header(1, {""}).v(0).u8(0).s), make_error_code(E::empty_field));
  EXPECT_EQ(error_of(Bytes::header(1, {"b", "a"}).v(0).u8(0).s), make_error_code(E::duplicate));
  EXPECT_EQ(error_of(Bytes{}.u8(1).u8(1).v(2).str("a").v(1).str("a").v(1).v(0).v(0).u8(0).s),
            make_error_code(E::duplicate));
  EXPECT_EQ(error_of(Bytes{}.u8(1).u8(1).v(1).str("a").v(1).v(1).v(0).u8(0).s), make_error_code(E::bad_index));
  EXPECT_EQ(error_of(Bytes{}.u8(1).u8(1).v(0).v(0).s), make_error_code(E::bad_index));
  // Clocks: an index outside the table, the same replica twice.
  EXPECT_EQ(error_of(Bytes::header(2).v(1).v(1).v(5).v(3).s), make_error_code(E::bad_index));
  EXPECT_EQ(error_of(Bytes::header(2, {"a", "b"}).v(1).v(2).v(0).v(5).v(0).v(6).s), make_error_code(E::duplicate));
  EXPECT_EQ(error_of(Bytes::header(2, {"a", "b"}).v(1).v(2).v(1).v(5).v(0).v(6).s), make_error_code(E::duplicate));
  // Clouds: dot 0 (a zero first gap) and a repeated dot (a zero later gap).
  EXPECT_EQ(error_of(heartbeat_with_value(0, 1).s), make_error_code(E::bad_clock));
  {
    Bytes b = Bytes::header(1);
    b.v(0).u8(1).v(0).v(1).v(0).v(2).v(4).v(0).v(0).v(0).v(0);
    EXPECT_EQ(error_of(b.s), make_error_code(E::bad_clock));
  }
  // A range that ends before it starts.
  EXPECT_EQ(error_of(Bytes::header(1).v(0).u8(1).v(0).v(0).v(1).v(0).v(9).v(1).v(0).v(3).v(0).s),
            make_error_code(E::bad_clock));
  // Values: dot 0, a dot the message does not cover, metas that are not JSON objects,
  // invalid UTF-8, empty topic and ref.
  EXPECT_EQ(error_of(heartbeat_with_value(3, 0).s), make_error_code(E::bad_clock));
  EXPECT_EQ(error_of(heartbeat_with_value(3, 4).s), make_error_code(E::unseen_value));
  for (std::string_view bad : {"", "[1]", "\"s\"", "{", R"({"a":1} x)", R"({"a":})", "nul"}) {
    EXPECT_EQ(error_of(heartbeat_with_value(3, 3, bad).s), make_error_code(E::bad_meta)) << bad;
  }
  EXPECT_EQ(error_of(heartbeat_with_value(3, 3, "{}", "\xff\xfe").s), make_error_code(E::bad_utf8));
  EXPECT_EQ(error_of(heartbeat_with_value(3, 3, "{\"\xc3\"}").s), make_error_code(E::bad_utf8));
  EXPECT_EQ(error_of(heartbeat_with_value(3, 3, "{}", "").s), make_error_code(E::empty_field));
  EXPECT_EQ(error_of(heartbeat_with_value(3, 3, "{}", "t", "").s), make_error_code(E::empty_field));
}

TEST(ReplicationCodec, HostileCountsAndLengthsCostNothing) {
  using E = ReplicationError;
  // A table, clock or value count far beyond the input is truncation, found before any loop.
  EXPECT_EQ(error_of(Bytes{}.u8(1).u8(1).v(1ull << 62).s), make_error_code(E::truncated));
  EXPECT_EQ(error_of(Bytes::header(2).v(1).v(std::numeric_limits<std::uint64_t>::max()).s),
            make_error_code(E::truncated));
  // A string length past the limit is refused as too large (a limit, not a violation).
  auto too_long = error_of(Bytes{}.u8(1).u8(1).v(1).v(kMaxReplicationString + 1).s);
  EXPECT_EQ(too_long, make_error_code(E::too_large));
  EXPECT_EQ(too_long, Condition::limit);
  {
    Bytes b;
    b.u8(1).u8(1).v(kMaxReplicasPerMessage + 1);
    b.s.append(kMaxReplicasPerMessage + 1, '\0');
    EXPECT_EQ(error_of(b.s), make_error_code(E::too_large));
  }
}

TEST(ReplicationCodec, SurvivesEverySingleByteCorruption) {
  const std::string bytes = encode(TransferAck{7, kA, true, sample_state()}) + "";
  std::size_t decoded = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned x : {0x01u, 0x80u, 0xffu}) {
      std::string mutated = bytes;
      mutated[i] = static_cast<char>(static_cast<unsigned char>(mutated[i]) ^ x);
      if (decode(mutated)) ++decoded;  // some corruptions are still well-formed messages
    }
  }
  // Most are caught; the point is that none of them crashed or hung.
  EXPECT_LT(decoded, bytes.size() * 3);
}

TEST(ReplicationCodec, SurvivesRandomCorruptionInsertionAndTruncation) {
  const std::string bytes = encode(Heartbeat{kA, {{kA, 1ull << 40}, {kB, 1}}, sample_delta()});
  std::uint64_t seed = 0x5eed;
  auto next = [&seed](std::uint64_t bound) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % bound;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string m = bytes;
    for (auto edits = next(4) + 1; edits > 0; --edits) {
      switch (next(3)) {
        case 0: m[next(m.size())] = static_cast<char>(next(256)); break;
        case 1: m.insert(next(m.size() + 1), 1, static_cast<char>(next(256))); break;
        default: m.erase(next(m.size()), next(4)); break;
      }
      if (m.empty()) m = bytes;
    }
    auto r = decode(m);  // either outcome is fine; crashing, hanging or UB is not
    if (r) {
      auto again = decode(encode(*r));
      EXPECT_TRUE(again && *again == *r);
    }
  }
}

}  // namespace
}  // namespace roost::presence
