// RespConnection against a real redis-server: connect, request/reply, pipelining order,
// binary-safe pub/sub pushes, error replies, Redis going away, connection refused, and
// bytes that are not RESP (from a fake server).
#include "roost/cluster/resp_connection.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "roost/cluster/errors.h"
#include "support/loop_runner.h"
#include "support/redis_process.h"

namespace {

using namespace std::chrono_literals;
using roost::Task;
using roost::cluster::ClusterError;
using roost::cluster::make_error_code;
using roost::cluster::parse_redis_url;
using roost::cluster::RedisUrl;
using roost::cluster::RespConnection;
using roost::cluster::RespType;
using roost::testing::LoopRunner;
using roost::testing::RedisProcess;

RedisUrl url_of(const RedisProcess& redis) { return parse_redis_url(redis.url()).value(); }
// Tests name their RedisUrl before `co_await connect(url, ...)`: GCC 12 destroys the
// temporaries of a co_await expression twice.

// Named command words: GCC 12 mishandles string literals in braced lists inside coroutines.
constexpr std::string_view kPing = "PING";

class RespConnectionTest : public ::testing::Test {
 protected:
  RedisProcess redis;
  RedisUrl url = url_of(redis);
  LoopRunner runner;
};

TEST_F(RespConnectionTest, PingAnswersPong) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn) << conn.error().message();
    if (!conn) co_return;
    const std::array<std::string_view, 1> ping{kPing};
    auto reply = co_await (*conn)->request(ping);
    EXPECT_TRUE(reply);
    if (!reply) co_return;
    EXPECT_EQ(reply->value().type(), RespType::status);
    EXPECT_EQ(reply->value().str(), "PONG");
  }));
}

TEST_F(RespConnectionTest, PipelinedCommandsAreAnsweredInOrder) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn);
    if (!conn) co_return;
    constexpr int kCommands = 1000;
    const std::array<std::string_view, 2> incr{"INCR", "counter"};
    for (int i = 0; i < kCommands; ++i) (*conn)->send(incr);
    // Everything queued during this turn is one write.
    EXPECT_GT((*conn)->pending_bytes(), 0u);
    for (int i = 1; i <= kCommands; ++i) {
      auto reply = co_await (*conn)->read();
      EXPECT_TRUE(reply);
      if (!reply) co_return;
      EXPECT_EQ(reply->value().type(), RespType::integer);
      EXPECT_EQ(reply->value().integer(), i);
    }
    EXPECT_EQ((*conn)->pending_bytes(), 0u);
  }));
}

TEST_F(RespConnectionTest, PubSubMessagesAreBinarySafe) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto sub = co_await RespConnection::connect(url, 2s);
    auto pub = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(sub && pub);
    if (!sub || !pub) co_return;
    const std::array<std::string_view, 2> subscribe{"SUBSCRIBE", "chan"};
    (*sub)->send(subscribe);
    auto confirm = co_await (*sub)->read();
    EXPECT_TRUE(confirm);
    if (!confirm) co_return;
    EXPECT_EQ(confirm->value().size(), 3u);
    EXPECT_TRUE(confirm->value()[0].is("subscribe"));
    EXPECT_EQ(confirm->value()[1].str(), "chan");

    const std::string payload("a\0b\r\n$3\r\n*\xff", 11);
    const std::array<std::string_view, 3> publish{"PUBLISH", "chan", payload};
    auto receivers = co_await (*pub)->request(publish);
    EXPECT_TRUE(receivers);
    if (!receivers) co_return;
    EXPECT_EQ(receivers->value().integer(), 1);
    auto message = co_await (*sub)->read();
    EXPECT_TRUE(message);
    if (!message) co_return;
    auto v = message->value();
    EXPECT_EQ(v.type(), RespType::array);
    EXPECT_EQ(v.size(), 3u);
    if (v.size() != 3u) co_return;
    EXPECT_TRUE(v[0].is("message"));
    EXPECT_EQ(v[1].str(), "chan");
    EXPECT_EQ(v[2].str(), payload);
  }));
}

TEST_F(RespConnectionTest, ErrorReplyCarriesRedisText) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn);
    if (!conn) co_return;
    std::string text;
    const std::array<std::string_view, 1> bogus{"NOSUCHCOMMAND"};
    auto reply = co_await (*conn)->request(bogus, &text);
    EXPECT_FALSE(reply);
    if (reply) co_return;
    EXPECT_EQ(reply.error(), make_error_code(ClusterError::redis_error));
    EXPECT_NE(text.find("unknown command"), std::string::npos) << text;
    // The connection stays usable after an error reply.
    const std::array<std::string_view, 1> ping{kPing};
    EXPECT_TRUE(co_await (*conn)->request(ping));
  }));
}

TEST_F(RespConnectionTest, RedisGoingAwayEndsTheRead) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn);
    if (!conn) co_return;
    redis.stop();
    auto reply = co_await (*conn)->read();
    EXPECT_FALSE(reply);
    if (reply) co_return;
    // A FIN or a reset, depending on what the kernel had in flight.
    EXPECT_TRUE(reply.error() == make_error_code(ClusterError::connection_closed) ||
                reply.error() == std::errc::connection_reset)
        << reply.error().message();
    EXPECT_FALSE((*conn)->is_open());
    const std::array<std::string_view, 1> ping{kPing};
    (*conn)->send(ping);  // a no-op on a closed connection
    EXPECT_EQ((*conn)->pending_bytes(), 0u);
  }));
}

TEST_F(RespConnectionTest, CloseEndsAPendingRead) {
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn);
    if (!conn) co_return;
    auto c = *conn;
    boost::asio::post(runner.loop().io(), [c] { c->close(); });
    auto reply = co_await c->read();
    EXPECT_FALSE(reply);
  }));
}

TEST(RespConnection, RefusedConnectionIsAnError) {
  LoopRunner runner;
  auto port = roost::testing::free_loopback_port();
  const RedisUrl url{"127.0.0.1", port, 0};
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_FALSE(conn);
    if (conn) co_return;
    EXPECT_EQ(conn.error(), std::errc::connection_refused) << conn.error().message();
  }));
}

TEST(RespConnection, BytesThatAreNotRespAreAProtocolError) {
  LoopRunner runner;
  boost::asio::ip::tcp::acceptor acceptor(runner.loop().io(), {boost::asio::ip::make_address("127.0.0.1"), 0});
  const RedisUrl url{"127.0.0.1", acceptor.local_endpoint().port(), 0};
  ASSERT_TRUE(runner.run([&]() -> Task<void> {
    auto conn = co_await RespConnection::connect(url, 2s);
    EXPECT_TRUE(conn);
    if (!conn) co_return;
    auto peer = co_await acceptor.async_accept(roost::use_awaitable);
    co_await boost::asio::async_write(peer, boost::asio::buffer(std::string_view("?not resp\r\n")), roost::use_awaitable);
    auto reply = co_await (*conn)->read();
    EXPECT_FALSE(reply);
    if (reply) co_return;
    EXPECT_EQ(reply.error(), make_error_code(ClusterError::resp_protocol));
    EXPECT_FALSE((*conn)->is_open());
  }));
}

}  // namespace
