// The replication shell on a real loop: a TrackerShard with replication turns a remote
// heartbeat into a presence_diff for its local subscribers (through the same coalesced
// path as local changes), asks a new replica for a transfer on its direct channel,
// publishes its own delta every broadcast period, drops its own echoes and undecodable
// messages (counted) while serving on, and makes a silent replica's presences leave after
// the down period. Also the Tracker's fixed shard mapping and its start-up checks.
// Publishing is captured here; the Redis bus itself is exercised by tests/cluster.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "roost/presence/replication_codec.h"
#include "roost/presence/replication_link.h"
#include "roost/presence/tracker.h"
#include "roost/presence/tracker_shard.h"
#include "roost/pubsub/pubsub.h"
#include "roost/pubsub/subscriber.h"
#include "support/loop_runner.h"

namespace roost::presence {
namespace {

using namespace std::chrono_literals;
using roost::testing::LoopRunner;
using roost::testing::sleep_for;

constexpr std::string_view kTopic = "presence:lobby";

struct Events : pubsub::Subscriber {
  std::vector<std::string> diffs;  // presence_diff payloads
  void deliver(const pubsub::BroadcastPtr& b) override {
    if (b->event() == "presence_diff") diffs.push_back(b->payload().data);
  }
};

struct Published {
  std::string channel;
  ReplicationMessage message;
};

TrackerOptions short_periods() {
  TrackerOptions o;
  o.diff_window = 0ms;
  o.broadcast_period = 40ms;
  o.down_period = 200ms;
  o.permdown_period = 2000ms;
  return o;
}

TEST(TrackerShardReplication, ExchangesWithARemoteReplicaThroughItsChannels) {
  LoopRunner runner;
  pubsub::PubSub pubsub{runner.group()};
  TrackerOptions options = short_periods();
  options.node = "local";
  ReplicationStats stats;
  std::vector<Published> published;
  std::vector<std::string> peer_events;
  Events events;

  TrackerShard::Replication wiring;
  wiring.publish = [&](std::string channel, std::string payload) {
    auto m = decode(payload);
    ASSERT_TRUE(m) << "the shard published an undecodable message";
    published.push_back({std::move(channel), std::move(*m)});
  };
  wiring.vsn = 5;
  wiring.timing = ReplicationTiming::from(options);
  wiring.stats = &stats;
  wiring.on_peer = [&](const ReplicaName& r, std::optional<ReplicaStatus> s) {
    peer_events.push_back(r.node + (s ? (*s == ReplicaStatus::up ? " up" : " down") : " gone"));
  };

  // A remote replica with one presence.
  const ReplicaName remote{"remote", 9};
  State remote_state(remote, [n = 0]() mutable { return "R" + std::to_string(++n); });
  ASSERT_TRUE(remote_state.join(Owner{"remote", 1}, kTopic, "bob", R"({"n":"bob"})"));
  const std::string remote_heartbeat = encode(Heartbeat{remote, remote_state.clocks(), remote_state.delta()});

  std::unique_ptr<TrackerShard> shard;
  bool finished = runner.run([&]() -> Task<void> {
    shard = std::make_unique<TrackerShard>(runner.loop(), 3, options, pubsub, wiring);
    pubsub.subscribe(std::string(kTopic), &events);
    EXPECT_EQ(shard->state().replica(), (ReplicaName{"local", 5}));

    // The remote heartbeat: bob joins for local clients, and the new replica is asked
    // for its state on its own channel of this shard index.
    shard->on_replication_message(remote_heartbeat);
    co_await roost::testing::settle();
    EXPECT_EQ(events.diffs.size(), 1u);
    if (!events.diffs.empty()) {
      EXPECT_NE(events.diffs[0].find(R"("joins":{"bob")"), std::string::npos) << events.diffs[0];
    }
    bool asked = false;
    for (const auto& p : published) {
      asked |= p.channel == replication_channel(3, "remote") && std::holds_alternative<TransferRequest>(p.message);
    }
    EXPECT_TRUE(asked);
    EXPECT_EQ(stats.replicas_up.get(), 1u);

    // A local track goes out with the next heartbeat on the shard's broadcast channel.
    EXPECT_TRUE(shard->track(Owner{"local", 1}, kTopic, "ann", R"({"n":"ann"})"));
    co_await sleep_for(200ms);
    const Heartbeat* with_ann = nullptr;
    for (const auto& p : published) {
      const auto* h = std::get_if<Heartbeat>(&p.message);
      if (p.channel == replication_channel(3) && h && h->delta && h->delta->values.size() == 1) with_ann = h;
    }
    EXPECT_NE(with_ann, nullptr);
    EXPECT_GE(stats.deltas_sent.get(), 1u);

    // Its own echo and garbage change nothing; garbage is counted; the shard serves on.
    const std::size_t diffs_before = events.diffs.size();
    if (with_ann) shard->on_replication_message(encode(*with_ann));
    shard->on_replication_message("\x01\x01garbage");
    shard->on_replication_message("");
    co_await roost::testing::settle();
    EXPECT_EQ(events.diffs.size(), diffs_before);
    EXPECT_EQ(stats.bad_messages.get(), 2u);
    EXPECT_TRUE(shard->track(Owner{"local", 2}, kTopic, "cy", "{}"));

    // The remote falls silent: after the down period its presence leaves.
    co_await sleep_for(350ms);
    bool bob_left = false;
    for (const auto& d : events.diffs) bob_left |= d.find(R"("leaves":{"bob")") != std::string::npos;
    EXPECT_TRUE(bob_left);
    EXPECT_EQ(stats.replicas_down.get(), 1u);
    pubsub.unsubscribe(std::string(kTopic), &events);
  });
  EXPECT_TRUE(finished);
  shard.reset();
  EXPECT_EQ(peer_events, (std::vector<std::string>{"remote up", "remote down"}));
}

TEST(Tracker, MapsATopicToTheSameShardOnEveryNode) {
  LoopRunner runner(2);
  pubsub::PubSub pubsub{runner.group()};
  Tracker tracker(runner.group(), pubsub, TrackerOptions{});
  EXPECT_EQ(tracker.shard_count(), 8u);
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c, whatever the platform or the loop count.
  EXPECT_EQ(tracker.shard_index("a"), 0xaf63dc4c8601ec8cull % 8);
  EXPECT_EQ(&tracker.shard_loop(5), &runner.group().at(1));
  std::string metrics;
  tracker.render_metrics(metrics);
  // A single node has no replication figures, only the metas limit's counter.
  EXPECT_EQ(metrics.find("roost_presence_heartbeats"), std::string::npos);
  EXPECT_NE(metrics.find("\nroost_presence_metas_refused_total 0\n"), std::string::npos) << metrics;
}

TEST(Tracker, RefusesSettingsThatCannotWork) {
  LoopRunner runner;
  pubsub::PubSub pubsub{runner.group()};
  TrackerOptions none;
  none.shards = 0;
  EXPECT_THROW(Tracker(runner.group(), pubsub, none), std::invalid_argument);
  TrackerOptions bad = short_periods();
  bad.down_period = bad.broadcast_period;
  Tracker tracker(runner.group(), pubsub, bad);
  ReplicationLink link{[](std::string, std::string) {}, [](std::string, net::Loop&, std::function<void(std::string_view)>) {},
                       [](net::Loop&, std::function<void(bool)>) {}};
  EXPECT_THROW(tracker.replicate(link), std::invalid_argument);
  EXPECT_THROW(tracker.replicate(ReplicationLink{}), std::invalid_argument);
}

}  // namespace
}  // namespace roost::presence
