// RedisBus against a real redis-server: the Bus contract of bus.h — delivery to every
// subscriber including the publishing node, on the subscriber's loop; link up/down
// reports; drop-and-count while Redis is away; reconnection and resubscription on its
// own; the outgoing byte budget; the PING health check; and start-up failures.
#include "roost/cluster/redis_bus.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "roost/cluster/errors.h"
#include "support/loop_runner.h"
#include "support/redis_process.h"

namespace {

using namespace std::chrono_literals;
using roost::Task;
using roost::cluster::ClusterError;
using roost::cluster::ClusterMetrics;
using roost::cluster::make_error_code;
using roost::cluster::parse_redis_url;
using roost::cluster::RedisBus;
using roost::cluster::RedisBusOptions;
using roost::cluster::RedisUrl;
using roost::net::Loop;
using roost::testing::eventually;
using roost::testing::LoopRunner;
using roost::testing::RedisProcess;

// Fast reconnects and health checks keep these tests short.
RedisBusOptions fast() {
  RedisBusOptions o;
  o.connect_timeout = 500ms;
  o.backoff_min = 20ms;
  o.backoff_max = 100ms;
  o.ping_interval = 100ms;
  return o;
}

// What a subscriber saw, with the loop it ran on. Written on that loop's thread only;
// the vectors are read on the same thread or once the loops have stopped. A test polling
// from another loop's thread reads the atomic mirrors (`received`, up()) instead.
struct Inbox {
  std::vector<std::string> messages;
  std::vector<bool> links;
  std::atomic<bool> wrong_loop{false};
  std::atomic<std::size_t> received{0};
  std::atomic<bool> link_up{false};

  void watch(RedisBus& bus, Loop& loop, const std::string& channel) {
    bus.subscribe(channel, loop, [this, &loop](std::string_view payload) {
      if (!loop.is_current()) wrong_loop = true;
      messages.emplace_back(payload);
      received.fetch_add(1);
    });
    bus.on_link(loop, [this, &loop](bool up) {
      if (!loop.is_current()) wrong_loop = true;
      links.push_back(up);
      link_up = up;
    });
  }
  bool up() const { return link_up; }
};

class RedisBusTest : public ::testing::Test {
 protected:
  RedisUrl url() const { return parse_redis_url(redis.url()).value(); }
  RedisProcess redis;
  LoopRunner runner{2};  // the bus lives on loop 0; subscribers may be on loop 1
  ClusterMetrics metrics_a, metrics_b;
};

TEST_F(RedisBusTest, EveryNodeReceivesEveryMessageIncludingItsOwn) {
  RedisBus a(runner.loop(), url(), metrics_a, fast());
  RedisBus b(runner.loop(), url(), metrics_b, fast());
  Inbox at_a, at_b, at_b_other_loop, other_channel;
  at_a.watch(a, runner.loop(), "chan");
  at_b.watch(b, runner.loop(), "chan");
  at_b_other_loop.watch(b, runner.group().at(1), "chan");
  other_channel.watch(b, runner.loop(), "other");
  ASSERT_FALSE(a.start());
  ASSERT_FALSE(b.start());
  std::thread second([&] { runner.group().at(1).run(); });
  bool ok = runner.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return at_a.up() && at_b.up() && at_b_other_loop.up(); }));
    EXPECT_TRUE(a.connected());
    a.publish("chan", std::string("from a\0", 7));
    // From a thread that is no loop at all.
    std::thread([&] { b.publish("chan", "from b"); }).join();
    EXPECT_TRUE(co_await eventually([&] {
      return at_a.received == 2 && at_b.received == 2 && at_b_other_loop.received == 2;
    }));
    co_await roost::testing::sleep_for(100ms);  // nothing more comes
    for (Inbox* in : {&at_a, &at_b}) {
      EXPECT_EQ(in->messages.size(), 2u);
      // One publisher's messages arrive in order; across publishers any order.
      std::vector<std::string> sorted = in->messages;
      std::sort(sorted.begin(), sorted.end());
      EXPECT_EQ(sorted, (std::vector<std::string>{std::string("from a\0", 7), "from b"}));
    }
    EXPECT_TRUE(other_channel.messages.empty());
  });
  runner.group().at(1).stop();
  second.join();
  ASSERT_TRUE(ok);
  EXPECT_FALSE(at_a.wrong_loop || at_b.wrong_loop || at_b_other_loop.wrong_loop);
  EXPECT_EQ(metrics_a.messages_published.get(), 1u);
  EXPECT_EQ(metrics_a.bytes_published.get(), 7u);
  EXPECT_EQ(metrics_a.messages_received.get(), 2u);
  EXPECT_EQ(metrics_b.messages_received.get(), 2u);  // one read, two handlers on "chan"
  EXPECT_EQ(metrics_a.link_up.get(), 1u);
  EXPECT_EQ(metrics_a.messages_dropped.get(), 0u);
}

TEST_F(RedisBusTest, LossIsReportedPublishesAreDroppedAndTheLinkComesBackByItself) {
  RedisBus a(runner.loop(), url(), metrics_a, fast());
  RedisBus b(runner.loop(), url(), metrics_b, fast());
  Inbox at_a, at_b;
  at_a.watch(a, runner.loop(), "chan");
  at_b.watch(b, runner.loop(), "chan");
  ASSERT_FALSE(a.start());
  ASSERT_FALSE(b.start());
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return at_a.up() && at_b.up(); }));
    redis.stop();
    EXPECT_TRUE(co_await eventually([&] { return !at_a.up() && !at_b.up(); }));
    EXPECT_FALSE(a.connected());
    a.publish("chan", "while away");
    EXPECT_TRUE(co_await eventually([&] { return metrics_a.messages_dropped.get() == 1; }));
    EXPECT_EQ(metrics_a.link_up.get(), 0u);

    redis.start();  // same port, empty: the buses must subscribe again
    EXPECT_TRUE(co_await eventually([&] { return at_a.up() && at_b.up(); }, 5s));
    b.publish("chan", "after");
    EXPECT_TRUE(co_await eventually([&] { return at_a.messages.size() == 1 && at_b.messages.size() == 1; }));
    EXPECT_EQ(at_a.messages, std::vector<std::string>{"after"});
  }, 20s));
  EXPECT_EQ(at_a.links, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(metrics_a.link_losses.get(), 1u);
  EXPECT_EQ(metrics_a.reconnects.get(), 1u);
  EXPECT_EQ(metrics_a.link_up.get(), 1u);
  EXPECT_EQ(metrics_a.messages_published.get(), 0u);
}

TEST_F(RedisBusTest, ARedisThatStopsAnsweringIsDetectedByThePingAndRejoined) {
  RedisBus a(runner.loop(), url(), metrics_a, fast());
  Inbox at_a;
  at_a.watch(a, runner.loop(), "chan");
  ASSERT_FALSE(a.start());
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return at_a.up(); }));
    redis.pause();  // sockets stay open; nothing is answered
    EXPECT_TRUE(co_await eventually([&] { return !at_a.up(); }, 3s));
    redis.resume();
    EXPECT_TRUE(co_await eventually([&] { return at_a.up(); }, 5s));
    a.publish("chan", "alive");
    EXPECT_TRUE(co_await eventually([&] { return at_a.messages.size() == 1; }));
  }, 20s));
  EXPECT_EQ(metrics_a.link_losses.get(), 1u);
}

TEST_F(RedisBusTest, PublishesBeyondTheOutgoingBudgetAreDroppedAndCounted) {
  auto options = fast();
  options.outgoing_budget = 1000;
  RedisBus a(runner.loop(), url(), metrics_a, options);
  Inbox at_a;
  at_a.watch(a, runner.loop(), "chan");
  ASSERT_FALSE(a.start());
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return at_a.up(); }));
    a.publish("chan", std::string(2000, 'x'));  // alone over the budget
    a.publish("chan", std::string(600, 'y'));
    a.publish("chan", std::string(600, 'z'));   // 600 already queued in this turn: over
    EXPECT_TRUE(co_await eventually([&] { return at_a.messages.size() == 1; }));
    co_await roost::testing::sleep_for(100ms);
    EXPECT_EQ(at_a.messages, std::vector<std::string>{std::string(600, 'y')});
  }));
  EXPECT_EQ(metrics_a.messages_dropped.get(), 2u);
  EXPECT_EQ(metrics_a.messages_published.get(), 1u);
}

TEST_F(RedisBusTest, SubscribingAfterStartIsRefused) {
  RedisBus a(runner.loop(), url(), metrics_a, fast());
  ASSERT_FALSE(a.start());
  EXPECT_THROW(a.subscribe("late", runner.loop(), [](std::string_view) {}), std::logic_error);
  EXPECT_THROW(a.on_link(runner.loop(), [](bool) {}), std::logic_error);
  EXPECT_THROW((void)a.start(), std::logic_error);
}

TEST_F(RedisBusTest, StartFailsOnAnOutOfRangeDatabaseWithRedisText) {
  RedisUrl bad = url();
  bad.db = 60000;
  RedisBus a(runner.loop(), bad, metrics_a, fast());
  std::string detail;
  EXPECT_EQ(a.start(&detail), make_error_code(ClusterError::redis_error));
  EXPECT_NE(detail.find("DB index is out of range"), std::string::npos) << detail;
}

TEST(RedisBus, StartFailsWhenNothingListens) {
  LoopRunner runner;
  ClusterMetrics metrics;
  RedisBus a(runner.loop(), RedisUrl{"127.0.0.1", roost::testing::free_loopback_port(), 0}, metrics, fast());
  EXPECT_EQ(a.start(), std::errc::connection_refused);
}

TEST(RedisBus, StartTimesOutOnAServerThatNeverAnswers) {
  LoopRunner runner;
  ClusterMetrics metrics;
  // The kernel completes the TCP handshake into the backlog; nobody ever reads.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  RedisBus a(runner.loop(), RedisUrl{"127.0.0.1", silent.local_endpoint().port(), 0}, metrics, fast());
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(a.start(), make_error_code(ClusterError::connect_timeout));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

}  // namespace
