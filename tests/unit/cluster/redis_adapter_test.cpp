// RedisAdapter: two nodes (two PubSubs, each with its adapter and its RedisBus) over a
// real redis-server. A broadcast reaches the other node's subscribers once and its own
// once (its echo from Redis is ignored); broadcast_from excludes only the local sender;
// malformed frames are counted and dropped.
#include "roost/cluster/redis_adapter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "roost/cluster/broadcast_frame.h"
#include "roost/cluster/redis_bus.h"
#include "support/loop_runner.h"
#include "support/redis_process.h"

namespace {

using namespace std::chrono_literals;
using roost::Task;
using roost::cluster::ClusterMetrics;
using roost::cluster::NodeId;
using roost::cluster::parse_redis_url;
using roost::cluster::RedisAdapter;
using roost::cluster::RedisBus;
using roost::proto::Payload;
using roost::pubsub::BroadcastPtr;
using roost::pubsub::PubSub;
using roost::pubsub::Subscriber;
using roost::testing::eventually;
using roost::testing::LoopRunner;
using roost::testing::RedisProcess;

struct Recorder : Subscriber {
  void deliver(const BroadcastPtr& b) override {
    got.push_back(b->event() + " " + b->payload().data);
    from_set.push_back(b->from() != nullptr);
  }
  std::vector<std::string> got;
  std::vector<bool> from_set;
};

// One node: its PubSub, its bus to Redis and its adapter, all on the runner's loop.
struct Node {
  Node(LoopRunner& runner, const RedisProcess& redis, std::string name)
      : pubsub(runner.group()),
        bus(runner.loop(), parse_redis_url(redis.url()).value(), metrics),
        adapter(std::make_shared<RedisAdapter>(bus, pubsub, NodeId::make(std::move(name)), runner.loop(), metrics)) {
    pubsub.set_adapter(adapter);
    bus.on_link(runner.loop(), [this](bool is_up) { up = is_up; });
  }
  ClusterMetrics metrics;
  PubSub pubsub;
  RedisBus bus;
  std::shared_ptr<RedisAdapter> adapter;
  Recorder recorder;
  bool up = false;
};

TEST(RedisAdapter, BroadcastsCrossOnceAndBroadcastFromExcludesOnlyTheSender) {
  RedisProcess redis;
  LoopRunner runner;
  Node a(runner, redis, "a"), b(runner, redis, "b");
  ASSERT_FALSE(a.bus.start());
  ASSERT_FALSE(b.bus.start());
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    a.pubsub.subscribe("room:1", &a.recorder);
    b.pubsub.subscribe("room:1", &b.recorder);
    EXPECT_TRUE(co_await eventually([&] { return a.up && b.up; }));

    EXPECT_FALSE(a.pubsub.broadcast("room:1", "shout", Payload::json(R"({"n":1})")));
    EXPECT_FALSE(b.pubsub.broadcast("room:1", "bin", Payload::binary(std::string("\0\1", 2))));
    EXPECT_FALSE(a.pubsub.broadcast("room:1", "from", Payload::json("{}"), &a.recorder));
    EXPECT_FALSE(a.pubsub.local_broadcast("room:1", "local", Payload::json("{}")));
    EXPECT_TRUE(co_await eventually([&] { return a.recorder.got.size() == 3 && b.recorder.got.size() == 3; }));
    co_await roost::testing::sleep_for(150ms);  // own echoes have come back by now
    a.pubsub.unsubscribe("room:1", &a.recorder);
    b.pubsub.unsubscribe("room:1", &b.recorder);
  }));
  // Local fan-out does not wait for Redis, so only each publisher's own order is fixed.
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  const std::string bin = std::string("bin \0\1", 6);
  EXPECT_EQ(sorted(a.recorder.got), sorted({R"(shout {"n":1})", bin, "local {}"}));
  EXPECT_EQ(sorted(b.recorder.got), sorted({R"(shout {"n":1})", bin, "from {}"}));
  // A broadcast from another node carries no local sender.
  EXPECT_EQ(b.recorder.from_set, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(a.metrics.remote_broadcasts.get(), 1u);
  EXPECT_EQ(b.metrics.remote_broadcasts.get(), 2u);
  EXPECT_EQ(a.metrics.messages_published.get(), 2u);  // local_broadcast stays local
  EXPECT_EQ(a.metrics.messages_received.get(), 3u);   // own echoes arrive and are ignored
}

TEST(RedisAdapter, MalformedFramesAreCountedAndDropped) {
  RedisProcess redis;
  LoopRunner runner;
  Node a(runner, redis, "a");
  ASSERT_FALSE(a.bus.start());
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    a.pubsub.subscribe("t", &a.recorder);
    a.adapter->on_frame("nonsense");
    a.adapter->on_frame(std::string("RB\x01\x00", 4));
    auto good = roost::cluster::encode_broadcast_frame(NodeId{"z", 5}, "t", "e", Payload::json("[1]"));
    EXPECT_TRUE(good);
    a.adapter->on_frame(*good);
    // A V2 frame cannot carry a topic over 255 bytes: refused here, not at each socket.
    auto unsendable =
        roost::cluster::encode_broadcast_frame(NodeId{"z", 5}, std::string(300, 't'), "e", Payload::binary("x"));
    EXPECT_TRUE(unsendable);
    a.adapter->on_frame(*unsendable);
    EXPECT_TRUE(co_await eventually([&] { return a.recorder.got.size() == 1; }));
    a.pubsub.unsubscribe("t", &a.recorder);
  }));
  EXPECT_EQ(a.recorder.got, std::vector<std::string>{"e [1]"});
  EXPECT_EQ(a.metrics.malformed_frames.get(), 3u);
  EXPECT_EQ(a.metrics.remote_broadcasts.get(), 1u);
}

}  // namespace
