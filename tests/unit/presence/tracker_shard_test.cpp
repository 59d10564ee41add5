// TrackerShard on a real loop: local track/update/untrack turned into presence_diff
// broadcasts through PubSub (one per change with window 0, the net change per topic per
// window otherwise), the already_tracked / nopresence results, snapshots and the fetch
// hook. A recording Subscriber on the shard's loop sees what channels would receive.
#include "roost/presence/tracker_shard.h"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "roost/core/errors.h"
#include "roost/presence/errors.h"
#include "roost/presence/state.h"
#include "roost/pubsub/pubsub.h"
#include "roost/pubsub/subscriber.h"
#include "support/loop_runner.h"

namespace roost::presence {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using roost::testing::LoopRunner;
using roost::testing::settle;

constexpr std::string_view kTopic = "presence:t";

struct Recorder : pubsub::Subscriber {
  struct Got {
    std::string topic;
    std::string event;
    json::value payload;
  };
  std::vector<Got> got;
  void deliver(const pubsub::BroadcastPtr& b) override {
    boost::system::error_code ec;
    json::value v = json::parse(b->payload().data, ec);
    got.push_back({b->topic(), b->event(), ec ? json::value("<not json> " + b->payload().data) : v});
  }
};

Task<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(use_awaitable);
}

// Polls `pred` every millisecond until it holds or `limit` passed; returns pred().
Task<bool> eventually(std::function<bool()> pred, std::chrono::milliseconds limit = 2000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred() && std::chrono::steady_clock::now() < deadline) co_await sleep_for(1ms);
  co_return pred();
}

json::value parse(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return v;
}

// {"joins":{...},"leaves":{...}} from JSON text with refs substituted in by the caller.
json::value diff(std::string_view joins, std::string_view leaves) {
  return parse(std::string("{\"joins\":") + std::string(joins) + ",\"leaves\":" + std::string(leaves) + "}");
}

std::string metas1(std::string_view key, std::string_view fields_body, std::string_view ref, std::string_view prev = {}) {
  std::string out = "{\"" + std::string(key) + "\":{\"metas\":[{";
  if (!fields_body.empty()) out += std::string(fields_body) + ",";
  out += "\"phx_ref\":\"" + std::string(ref) + "\"";
  if (!prev.empty()) out += ",\"phx_ref_prev\":\"" + std::string(prev) + "\"";
  out += "}]}}";
  return out;
}

const Owner kOwner1{"roost", 1};
const Owner kOwner2{"roost", 2};
const Owner kOwner3{"roost", 3};

// One loop, one PubSub, one shard created on the loop, and a Recorder subscribed to
// each topic in `topics` (recorders[i] for topics[i]).
struct Rig {
  explicit Rig(std::chrono::milliseconds window, FetchHook fetch = {}) {
    options.diff_window = window;
    options.fetch = std::move(fetch);
  }

  // Runs `body` on the loop; the shard is destroyed after the loop stopped.
  void run(std::vector<std::string> topics, std::function<Task<void>(TrackerShard&)> body,
           std::chrono::milliseconds limit = 10s) {
    recorders = std::vector<Recorder>(topics.size());
    bool finished = runner.run(
        [&]() -> Task<void> {
          shard = std::make_unique<TrackerShard>(runner.loop(), 0, options, pubsub);
          for (std::size_t i = 0; i < topics.size(); ++i) pubsub.subscribe(topics[i], &recorders[i]);
          co_await body(*shard);
          for (std::size_t i = 0; i < topics.size(); ++i) pubsub.unsubscribe(topics[i], &recorders[i]);
        },
        limit);
    EXPECT_TRUE(finished) << "test body did not finish in time";
  }

  LoopRunner runner;
  TrackerOptions options;
  pubsub::PubSub pubsub{runner.group()};
  std::vector<Recorder> recorders;
  std::unique_ptr<TrackerShard> shard;
};

// ---------------------------------------------------------------------------
// Window 0: one presence_diff per change, like Phoenix
// ---------------------------------------------------------------------------

TEST(TrackerShard, TrackBroadcastsItsJoin) {
  Rig rig(0ms);
  std::string ref;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    auto r = shard.track(kOwner1, kTopic, "ann", R"({"name":"ann"})");
    EXPECT_TRUE(r.has_value());
    if (r) ref = *r;
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return !rec.got.empty(); }));
    co_await sleep_for(30ms);
  });
  EXPECT_EQ(ref.size(), 16u) << ref;
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, kTopic);
  EXPECT_EQ(got[0].event, "presence_diff");
  EXPECT_EQ(got[0].payload, diff(metas1("ann", "\"name\":\"ann\"", ref), "{}"));
}

TEST(TrackerShard, EachChangeIsItsOwnDiffInOrder) {
  Rig rig(0ms);
  std::string a1, b1, a2;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    a1 = shard.track(kOwner1, kTopic, "ann", R"({"n":1})").value();
    b1 = shard.track(kOwner2, kTopic, "bob", R"({"n":2})").value();
    a2 = shard.update(kOwner1, kTopic, "ann", R"({"n":3})").value();
    shard.untrack(kOwner2, kTopic, "bob");
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 4; }));
    co_await sleep_for(30ms);
  });
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].payload, diff(metas1("ann", "\"n\":1", a1), "{}"));
  EXPECT_EQ(got[1].payload, diff(metas1("bob", "\"n\":2", b1), "{}"));
  EXPECT_EQ(got[2].payload, diff(metas1("ann", "\"n\":3", a2, a1), metas1("ann", "\"n\":1", a1)));
  EXPECT_EQ(got[3].payload, diff("{}", metas1("bob", "\"n\":2", b1)));
  std::set<std::string> refs{a1, b1, a2};
  EXPECT_EQ(refs.size(), 3u);
}

TEST(TrackerShard, UpdateIsOneDiffWithLeaveOfTheOldAndJoinOfTheNewVersion) {
  Rig rig(0ms);
  std::string r1, r2, r3;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ann", R"({"name":"ann","extra":1})").value();
    r2 = shard.update(kOwner1, kTopic, "ann", R"({"name":"ann","away":true})").value();
    r3 = shard.update(kOwner1, kTopic, "ann", R"({"name":"ann"})").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 3; }));
    co_await sleep_for(30ms);
    // the snapshot holds only the newest version, with its phx_ref_prev
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("ann", "\"name\":\"ann\"", r3, r2)));
  });
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 3u);
  // fields not in the new meta are gone
  EXPECT_EQ(got[1].payload, diff(metas1("ann", "\"name\":\"ann\",\"away\":true", r2, r1),
                                 metas1("ann", "\"name\":\"ann\",\"extra\":1", r1)));
  EXPECT_EQ(got[2].payload,
            diff(metas1("ann", "\"name\":\"ann\"", r3, r2), metas1("ann", "\"name\":\"ann\",\"away\":true", r2, r1)));
}

TEST(TrackerShard, UntrackOfAnAbsentKeyIsANoOp) {
  Rig rig(0ms);
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    shard.untrack(kOwner1, kTopic, "nobody");
    shard.untrack_all(kOwner2);
    co_await sleep_for(50ms);
    EXPECT_EQ(shard.list_json(kTopic), "{}");
  });
  EXPECT_TRUE(rig.recorders[0].got.empty());
}

TEST(TrackerShard, AlreadyTrackedChangesNothing) {
  Rig rig(0ms);
  std::string r1;
  bool second_failed = false;
  std::error_code second_error;
  std::string before, after;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ann", R"({"v":1})").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 1; }));
    before = shard.list_json(kTopic);
    auto r = shard.track(kOwner1, kTopic, "ann", R"({"v":2})");
    second_failed = !r;
    if (!r) second_error = r.error();
    co_await sleep_for(60ms);
    after = shard.list_json(kTopic);
  });
  EXPECT_TRUE(second_failed);
  EXPECT_EQ(second_error, make_error_code(TrackerError::already_tracked));
  EXPECT_EQ(parse(after), parse(before));
  EXPECT_EQ(parse(after), parse(metas1("ann", "\"v\":1", r1)));
  EXPECT_EQ(rig.recorders[0].got.size(), 1u) << "already_tracked must not emit a diff";
}

TEST(TrackerShard, UpdateOfAnUntrackedKeyIsNopresence) {
  Rig rig(0ms);
  std::error_code never, after_untrack, other_owner;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    auto r = shard.update(kOwner1, kTopic, "ann", "{}");
    EXPECT_FALSE(r.has_value());
    if (!r) never = r.error();
    (void)shard.track(kOwner1, kTopic, "ann", "{}").value();
    shard.untrack(kOwner1, kTopic, "ann");
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 2; }));
    auto r2 = shard.update(kOwner1, kTopic, "ann", "{}");
    EXPECT_FALSE(r2.has_value());
    if (!r2) after_untrack = r2.error();
    (void)shard.track(kOwner2, kTopic, "bob", "{}").value();
    auto r3 = shard.update(kOwner1, kTopic, "bob", "{}");  // bob is tracked, but not by owner 1
    EXPECT_FALSE(r3.has_value());
    if (!r3) other_owner = r3.error();
    co_await sleep_for(60ms);
  });
  EXPECT_EQ(never, make_error_code(TrackerError::nopresence));
  EXPECT_EQ(after_untrack, make_error_code(TrackerError::nopresence));
  EXPECT_EQ(other_owner, make_error_code(TrackerError::nopresence));
  // track, untrack, track bob: three diffs, none for the failed updates
  EXPECT_EQ(rig.recorders[0].got.size(), 3u);
}

TEST(TrackerShard, MetasPerKeyLimitRefusesTheNextLocalTrack) {
  Rig rig(0ms);
  rig.options.max_metas_per_key = 2;
  const Owner owner4{"roost", 4};
  std::error_code over, retrack, after_leave;
  bool other_key = false, other_topic = false;
  std::string list;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    (void)shard.track(kOwner1, kTopic, "ann", R"({"tab":1})").value();
    (void)shard.track(kOwner2, kTopic, "ann", R"({"tab":2})").value();
    auto r = shard.track(kOwner3, kTopic, "ann", R"({"tab":3})");
    if (!r) over = r.error();
    other_key = shard.track(kOwner3, kTopic, "bob", "{}").has_value();
    other_topic = shard.track(owner4, "presence:elsewhere", "ann", "{}").has_value();
    auto again = shard.track(kOwner1, kTopic, "ann", "{}");  // the owner's own entry: not a new meta
    if (!again) retrack = again.error();
    co_await sleep_for(30ms);
    list = shard.list_json(kTopic);
    shard.untrack(kOwner1, kTopic, "ann");
    auto freed = shard.track(kOwner3, kTopic, "ann", R"({"tab":3})");
    if (!freed) after_leave = freed.error();
    co_await sleep_for(30ms);
  });
  EXPECT_EQ(over, make_error_code(TrackerError::too_many_metas));
  EXPECT_TRUE(over == Condition::limit) << "a configured limit, as the other limits report";
  EXPECT_EQ(retrack, make_error_code(TrackerError::already_tracked));
  EXPECT_TRUE(other_key) << "other keys of the topic are still tracked";
  EXPECT_TRUE(other_topic) << "the same key in another topic is still tracked";
  EXPECT_EQ(parse(list).as_object().at("ann").as_object().at("metas").as_array().size(), 2u);
  EXPECT_FALSE(after_leave) << "a freed slot can be taken";
  // ann ×2, bob, then the untrack and the freed track: no diff for the refused ones.
  EXPECT_EQ(rig.recorders[0].got.size(), 5u);
}

TEST(TrackerShard, OneOwnerSeveralKeysAndOneKeySeveralOwners) {
  Rig rig(0ms);
  std::string a1, b1, a2, other;
  std::string list;
  rig.run({std::string(kTopic), "presence:other"}, [&](TrackerShard& shard) -> Task<void> {
    a1 = shard.track(kOwner1, kTopic, "ann", R"({"tab":1})").value();
    b1 = shard.track(kOwner1, kTopic, "bob", R"({"tab":1})").value();
    a2 = shard.track(kOwner2, kTopic, "ann", R"({"tab":2})").value();
    other = shard.track(kOwner1, "presence:other", "ann", R"({"tab":1})").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 3 && rig.recorders[1].got.size() >= 1; }));
    co_await sleep_for(30ms);
    list = shard.list_json(kTopic);
  });
  json::value v = parse(list);
  EXPECT_EQ(v, parse(R"({"ann":{"metas":[{"tab":1,"phx_ref":")" + a1 + R"("},{"tab":2,"phx_ref":")" + a2 +
                     R"("}]},"bob":{"metas":[{"tab":1,"phx_ref":")" + b1 + R"("}]}})"));
  EXPECT_EQ(rig.recorders[0].got.size(), 3u);
  ASSERT_EQ(rig.recorders[1].got.size(), 1u);
  EXPECT_EQ(rig.recorders[1].got[0].payload, diff(metas1("ann", "\"tab\":1", other), "{}"));
  EXPECT_EQ(rig.recorders[1].got[0].topic, "presence:other");
}

TEST(TrackerShard, UntrackAllLeavesEveryTopicWithOneDiffPerTopic) {
  Rig rig(0ms);
  std::string t_ann, t_bob, o_ann, keep;
  rig.run({std::string(kTopic), "presence:other"}, [&](TrackerShard& shard) -> Task<void> {
    t_ann = shard.track(kOwner1, kTopic, "ann", "{}").value();
    t_bob = shard.track(kOwner1, kTopic, "bob", "{}").value();
    o_ann = shard.track(kOwner1, "presence:other", "ann", "{}").value();
    keep = shard.track(kOwner2, kTopic, "ann", "{}").value();
    auto& t = rig.recorders[0].got;
    auto& o = rig.recorders[1].got;
    EXPECT_TRUE(co_await eventually([&] { return t.size() >= 3 && o.size() >= 1; }));
    shard.untrack_all(kOwner1);
    EXPECT_TRUE(co_await eventually([&] { return t.size() >= 4 && o.size() >= 2; }));
    co_await sleep_for(30ms);
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("ann", "", keep)));
    EXPECT_EQ(shard.list_json("presence:other"), "{}");
  });
  auto& t = rig.recorders[0].got;
  auto& o = rig.recorders[1].got;
  ASSERT_EQ(t.size(), 4u);
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(t[3].payload.at("joins"), parse("{}"));
  EXPECT_EQ(t[3].payload.at("leaves"),
            parse(R"({"ann":{"metas":[{"phx_ref":")" + t_ann + R"("}]},"bob":{"metas":[{"phx_ref":")" + t_bob + R"("}]}})"));
  EXPECT_EQ(o[1].payload, diff("{}", metas1("ann", "", o_ann)));
}

// ---------------------------------------------------------------------------
// With a window: the net change of each topic, once per window
// ---------------------------------------------------------------------------

TEST(TrackerShard, WindowCoalescesChangesIntoOneNetDiff) {
  Rig rig(60ms);
  std::string a1, b1, a2;
  std::size_t seen_inside_window = 99;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    a1 = shard.track(kOwner1, kTopic, "ann", R"({"n":1})").value();
    b1 = shard.track(kOwner2, kTopic, "bob", R"({"n":2})").value();
    a2 = shard.update(kOwner1, kTopic, "ann", R"({"n":3})").value();
    co_await settle();
    seen_inside_window = rig.recorders[0].got.size();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return !rec.got.empty(); }));
    co_await sleep_for(150ms);
  });
  EXPECT_EQ(seen_inside_window, 0u) << "a diff went out before the window closed";
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 1u);
  // ann's first version joined and left inside the window: only its new version shows
  EXPECT_EQ(got[0].payload,
            parse(R"({"joins":{"bob":{"metas":[{"n":2,"phx_ref":")" + b1 + R"("}]},"ann":{"metas":[{"n":3,"phx_ref":")" +
                  a2 + R"(","phx_ref_prev":")" + a1 + R"("}]}},"leaves":{}})"));
}

TEST(TrackerShard, WindowJoinAndLeaveOfTheSameEntryCancel) {
  Rig rig(40ms);
  std::string keep;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    (void)shard.track(kOwner1, kTopic, "ghost", "{}").value();
    keep = shard.track(kOwner2, kTopic, "ann", "{}").value();
    shard.untrack(kOwner1, kTopic, "ghost");
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return !rec.got.empty(); }));
    // only the ghost, alone in a window: nothing at all goes out
    (void)shard.track(kOwner3, kTopic, "ghost", "{}").value();
    shard.untrack_all(kOwner3);
    co_await sleep_for(200ms);
  });
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, diff(metas1("ann", "", keep), "{}"));
}

TEST(TrackerShard, WindowUpdateThenUntrackLeavesTheVersionClientsKnew) {
  Rig rig(40ms);
  std::string r1;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ann", R"({"v":1})").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 1; }));
    (void)shard.update(kOwner1, kTopic, "ann", R"({"v":2})").value();
    shard.untrack(kOwner1, kTopic, "ann");
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 2; }));
    co_await sleep_for(120ms);
  });
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].payload, diff("{}", metas1("ann", "\"v\":1", r1)));
}

TEST(TrackerShard, WindowOneDiffPerTopic) {
  Rig rig(40ms);
  std::string a, b, c;
  rig.run({"presence:a", "presence:b"}, [&](TrackerShard& shard) -> Task<void> {
    a = shard.track(kOwner1, "presence:a", "ann", "{}").value();
    b = shard.track(kOwner1, "presence:b", "ann", "{}").value();
    c = shard.track(kOwner2, "presence:a", "cid", "{}").value();
    EXPECT_TRUE(co_await eventually([&] { return !rig.recorders[0].got.empty() && !rig.recorders[1].got.empty(); }));
    co_await sleep_for(120ms);
  });
  auto& ga = rig.recorders[0].got;
  auto& gb = rig.recorders[1].got;
  ASSERT_EQ(ga.size(), 1u);
  ASSERT_EQ(gb.size(), 1u);
  EXPECT_EQ(ga[0].topic, "presence:a");
  EXPECT_EQ(gb[0].topic, "presence:b");
  EXPECT_EQ(ga[0].payload, parse(R"({"joins":{"ann":{"metas":[{"phx_ref":")" + a + R"("}]},"cid":{"metas":[{"phx_ref":")" +
                                 c + R"("}]}},"leaves":{}})"));
  EXPECT_EQ(gb[0].payload, diff(metas1("ann", "", b), "{}"));
}

TEST(TrackerShard, WindowRearmsAfterEachFlush) {
  Rig rig(30ms);
  std::string r1, r2;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ann", "{}").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 1; }));
    co_await sleep_for(50ms);
    r2 = shard.track(kOwner2, kTopic, "bob", "{}").value();
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 2; }));
    shard.untrack(kOwner1, kTopic, "ann");
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 3; }));
    co_await sleep_for(100ms);
  });
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].payload, diff(metas1("ann", "", r1), "{}"));
  EXPECT_EQ(got[1].payload, diff(metas1("bob", "", r2), "{}"));
  EXPECT_EQ(got[2].payload, diff("{}", metas1("ann", "", r1)));
}

TEST(TrackerShard, DiffArrivesWithinAboutOneWindow) {
  Rig rig(25ms);
  std::chrono::milliseconds took{0};
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    auto start = std::chrono::steady_clock::now();
    (void)shard.track(kOwner1, kTopic, "ann", "{}").value();
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return !rec.got.empty(); }));
    took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    co_await sleep_for(60ms);
  });
  EXPECT_GE(took.count(), 20);
  EXPECT_LT(took.count(), 1000);
}

// What a client holds: {key: refs} built from one snapshot and the diffs after it, with
// the phoenix client's rules (joins by ref first, then leaves; empty keys dropped).
using View = std::map<std::string, std::set<std::string>>;

View view_of(const json::value& grouped) {
  View v;
  for (const auto& kv : grouped.as_object())
    for (const auto& m : kv.value().at("metas").as_array()) v[std::string(kv.key())].insert(std::string(m.at("phx_ref").as_string()));
  return v;
}

void apply_diff(View& v, const json::value& diff) {
  for (const auto& kv : diff.at("joins").as_object())
    for (const auto& m : kv.value().at("metas").as_array()) v[std::string(kv.key())].insert(std::string(m.at("phx_ref").as_string()));
  for (const auto& kv : diff.at("leaves").as_object()) {
    auto it = v.find(std::string(kv.key()));
    if (it == v.end()) continue;
    for (const auto& m : kv.value().at("metas").as_array()) it->second.erase(std::string(m.at("phx_ref").as_string()));
    if (it->second.empty()) v.erase(it);
  }
}

TEST(TrackerShard, SnapshotIncludesChangesNotYetBroadcast) {
  Rig rig(200ms);
  std::string before_flush;
  std::size_t diffs_at_snapshot = 99;
  std::string r1;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    EXPECT_EQ(shard.list_json(kTopic), "{}");  // caches the empty snapshot
    r1 = shard.track(kOwner1, kTopic, "ann", R"({"name":"ann"})").value();
    before_flush = shard.list_json(kTopic);
    diffs_at_snapshot = rig.recorders[0].got.size();
    co_await sleep_for(300ms);
  });
  EXPECT_EQ(diffs_at_snapshot, 0u);
  EXPECT_EQ(parse(before_flush), parse(metas1("ann", "\"name\":\"ann\"", r1)));
  ASSERT_EQ(rig.recorders[0].got.size(), 1u);
  EXPECT_EQ(rig.recorders[0].got[0].payload, diff(metas1("ann", "\"name\":\"ann\"", r1), "{}"));
}

// A subscriber that took its snapshot while the window was open holds every entry of
// that snapshot; if one of them then leaves within the same window, the leave must
// still reach it, or the entry stays in its list for good.
TEST(TrackerShard, LeaveOfAnEntrySeenInASnapshotTakenDuringTheWindowIsBroadcast) {
  Rig rig(200ms);
  std::string r1, snap, final_list;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ghost", "{}").value();
    snap = shard.list_json(kTopic);  // e.g. a joiner's presence_state: contains the ghost
    shard.untrack_all(kOwner1);      // the ghost's socket closes within the same window
    final_list = shard.list_json(kTopic);
    co_await sleep_for(400ms);
  });
  EXPECT_EQ(parse(snap), parse(metas1("ghost", "", r1)));
  EXPECT_EQ(final_list, "{}");
  View v = view_of(parse(snap));
  for (const auto& g : rig.recorders[0].got) apply_diff(v, g.payload);
  EXPECT_TRUE(v.empty()) << "a client that received the snapshot keeps \"ghost\" (" << r1 << ") forever: "
                         << rig.recorders[0].got.size() << " diff(s) broadcast";
}

// The mirror case: an entry hidden (replica down) and shown again (replica up) within one
// window; a snapshot taken in between lacks it, so the join must still go out.
TEST(TrackerShard, JoinOfAnEntryMissingFromASnapshotTakenDuringTheWindowIsBroadcast) {
  Rig rig(200ms);
  std::string snap, final_list;
  std::size_t flushed_before = 0;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    const ReplicaName remote_name{"other@host", 7};
    State remote(remote_name, [n = 0]() mutable { return "REMOTE" + std::to_string(++n); });
    EXPECT_TRUE(remote.join(Owner{"other@host", 1}, kTopic, "far", "{}").has_value());
    shard.absorb(shard.state().replica_up(remote_name));
    shard.absorb(shard.state().merge(remote.delta()));
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return !rec.got.empty(); }));  // the join of "far" went out
    flushed_before = rec.got.size();
    shard.absorb(shard.state().replica_down(remote_name));
    snap = shard.list_json(kTopic);  // taken while "far" is hidden
    shard.absorb(shard.state().replica_up(remote_name));
    final_list = shard.list_json(kTopic);
    co_await sleep_for(400ms);
  });
  EXPECT_EQ(flushed_before, 1u);
  EXPECT_EQ(snap, "{}");
  EXPECT_EQ(parse(final_list), parse(metas1("far", "", "REMOTE1")));
  View v = view_of(parse(snap));
  auto& got = rig.recorders[0].got;
  for (std::size_t i = flushed_before; i < got.size(); ++i) apply_diff(v, got[i].payload);
  EXPECT_EQ(v, view_of(parse(final_list))) << "a client that received the snapshot never learns \"far\" is back";
}

// ---------------------------------------------------------------------------
// Snapshots, get_by_key, fetch hook, refs
// ---------------------------------------------------------------------------

TEST(TrackerShard, ListIsInvalidatedByEveryKindOfChange) {
  Rig rig(0ms);
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    std::string a = shard.track(kOwner1, kTopic, "ann", R"({"v":1})").value();
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("ann", "\"v\":1", a)));
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("ann", "\"v\":1", a)));  // cached
    std::string a2 = shard.update(kOwner1, kTopic, "ann", R"({"v":2})").value();
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("ann", "\"v\":2", a2, a)));
    std::string b = shard.track(kOwner2, kTopic, "bob", R"({"v":3})").value();
    EXPECT_EQ(parse(shard.list_json(kTopic)).as_object().size(), 2u);
    shard.untrack(kOwner1, kTopic, "ann");
    EXPECT_EQ(parse(shard.list_json(kTopic)), parse(metas1("bob", "\"v\":3", b)));
    shard.untrack_all(kOwner2);
    EXPECT_EQ(shard.list_json(kTopic), "{}");
    co_await settle();
  });
}

TEST(TrackerShard, GetByKey) {
  Rig rig(0ms);
  rig.run({}, [&](TrackerShard& shard) -> Task<void> {
    std::string a1 = shard.track(kOwner1, kTopic, "ann", R"({"tab":1})").value();
    std::string a2 = shard.track(kOwner2, kTopic, "ann", R"({"tab":2})").value();
    (void)shard.track(kOwner1, kTopic, "bob", "{}").value();
    EXPECT_EQ(parse(shard.get_by_key_json(kTopic, "ann")),
              parse(R"({"ann":{"metas":[{"tab":1,"phx_ref":")" + a1 + R"("},{"tab":2,"phx_ref":")" + a2 + R"("}]}})"));
    EXPECT_EQ(shard.get_by_key_json(kTopic, "nobody"), "{}");
    EXPECT_EQ(shard.get_by_key_json("presence:none", "ann"), "{}");
    co_await settle();
  });
}

TEST(TrackerShard, FetchHookDecoratesSnapshotsAndBothSidesOfDiffs) {
  FetchHook hook = [](std::string_view topic, json::object& presences) {
    for (auto& [key, entry] : presences)
      entry.as_object()["user"] = json::object{{"key", key}, {"topic", topic}};
  };
  Rig rig(0ms, hook);
  std::string r1, r2;
  std::string list, by_key;
  rig.run({std::string(kTopic)}, [&](TrackerShard& shard) -> Task<void> {
    r1 = shard.track(kOwner1, kTopic, "ann", "{}").value();
    r2 = shard.update(kOwner1, kTopic, "ann", R"({"away":true})").value();
    list = shard.list_json(kTopic);
    by_key = shard.get_by_key_json(kTopic, "ann");
    shard.untrack(kOwner1, kTopic, "ann");
    auto& rec = rig.recorders[0];
    EXPECT_TRUE(co_await eventually([&] { return rec.got.size() >= 3; }));
    co_await sleep_for(30ms);
  });
  const std::string user = R"("user":{"key":"ann","topic":"presence:t"})";
  const std::string v1 = R"({"ann":{"metas":[{"phx_ref":")" + r1 + R"("}],)" + user + "}}";
  const std::string v2 =
      R"({"ann":{"metas":[{"away":true,"phx_ref":")" + r2 + R"(","phx_ref_prev":")" + r1 + R"("}],)" + user + "}}";
  EXPECT_EQ(parse(list), parse(v2));
  EXPECT_EQ(parse(by_key), parse(v2));
  auto& got = rig.recorders[0].got;
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].payload, diff(v1, "{}"));
  EXPECT_EQ(got[1].payload, diff(v2, v1));
  EXPECT_EQ(got[2].payload, diff("{}", v2));
}

TEST(TrackerShard, RefsAreUniqueUrlSafeBase64Of16Characters) {
  Rig rig(0ms);
  std::set<std::string> refs;
  std::size_t made = 0;
  rig.run({}, [&](TrackerShard& shard) -> Task<void> {
    for (std::uint64_t i = 0; i < 500; ++i) {
      Owner o{"roost", 100 + i};
      std::string r = shard.track(o, kTopic, "k" + std::to_string(i % 10), "{}").value();
      refs.insert(r);
      ++made;
      refs.insert(shard.update(o, kTopic, "k" + std::to_string(i % 10), "{}").value());
      ++made;
    }
    co_await settle();
  });
  EXPECT_EQ(refs.size(), made);
  for (const std::string& r : refs) {
    EXPECT_EQ(r.size(), 16u) << r;
    EXPECT_EQ(r.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos)
        << r;
  }
}

// A shard destroyed while a window is open must not be touched afterwards by its flush
// timer's cancelled completion handler.
TEST(TrackerShard, DestroyedWithAnOpenWindowIsNotWrittenAfterwards) {
  LoopRunner runner;
  TrackerOptions options;
  options.diff_window = 1000ms;
  pubsub::PubSub pubsub(runner.group());
  alignas(TrackerShard) static unsigned char storage[sizeof(TrackerShard)];
  std::size_t changed = 0;
  bool finished = runner.run([&]() -> Task<void> {
    auto* shard = new (storage) TrackerShard(runner.loop(), 0, options, pubsub);
    (void)shard->track(kOwner1, kTopic, "ann", "{}").value();  // opens a window
    shard->~TrackerShard();
    std::memset(storage, 0xA5, sizeof storage);
    co_await settle();  // cancelled timer handlers run now
    for (unsigned char c : storage) changed += c != 0xA5;
  });
  EXPECT_TRUE(finished);
  EXPECT_EQ(changed, 0u) << "the flush timer's handler wrote into the destroyed shard (flush_armed_ = false "
                            "before checking the error code)";
}

}  // namespace
}  // namespace roost::presence
