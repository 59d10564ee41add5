// Role: unit tests of roost-bench's protocol layer (bench/src/wire_protocol.h): what the
// Phoenix and Socket.IO wires make of the frames servers send (replies, broadcasts, protocol
// handshakes, errors), and the shout payload both send. The frames are the ones the servers
// write on the wire (Roost's V2 JSON; socket.io 4.8's Engine.IO 4 / Socket.IO 5 packets).
// Thread affinity: the test thread. Ownership: each test owns its io_context and client; the
// client is never connected, so whatever a wire sends back is dropped.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>

#include "phx_frames.h"
#include "wire_protocol.h"
#include "ws_client.h"

namespace roost::bench {
namespace {

struct NullListener final : WsClient::Listener {
  void on_open(WsClient&) override {}
  void on_text(WsClient&, std::string_view, std::int64_t) override {}
  void on_closed(WsClient&, Failure) override {}
};

class WireTest : public ::testing::Test {
 protected:
  Inbound read(ProtocolKind kind, std::string_view text) {
    wire_ = make_wire(kind);
    return wire_->received(client_, text);
  }

  boost::asio::io_context io_;
  NullListener listener_;
  WsClient client_{io_, listener_, 0};
  std::unique_ptr<WireProtocol> wire_;
};

TEST_F(WireTest, ParsesProtocolNames) {
  EXPECT_EQ(parse_protocol("phoenix"), ProtocolKind::phoenix);
  EXPECT_EQ(parse_protocol("socketio"), ProtocolKind::socketio);
  EXPECT_FALSE(parse_protocol("socket.io").has_value());
  EXPECT_STREQ(protocol_name(ProtocolKind::socketio), "socketio");
}

TEST_F(WireTest, PhoenixJoinReplyAndShout) {
  auto in = read(ProtocolKind::phoenix, R"(["1","1","room:fan","phx_reply",{"status":"ok","response":{}}])");
  EXPECT_EQ(in.kind, Inbound::Kind::reply);
  EXPECT_EQ(in.ref, kJoinRef);
  EXPECT_TRUE(in.ok);

  in = read(ProtocolKind::phoenix, R"(["1","1","room:fan","phx_reply",{"status":"error","response":{"reason":"unauthorized"}}])");
  EXPECT_EQ(in.kind, Inbound::Kind::reply);
  EXPECT_FALSE(in.ok);

  in = read(ProtocolKind::phoenix, R"([null,null,"room:fan","shout",{"t":123456789,"pad":"xx"}])");
  ASSERT_EQ(in.kind, Inbound::Kind::shout);
  EXPECT_EQ(in.payload, R"({"t":123456789,"pad":"xx"})");
  EXPECT_EQ(find_send_time(in.payload), 123456789);
}

TEST_F(WireTest, PhoenixHeartbeatRepliesAreNotShoutReplies) {
  const auto in = read(ProtocolKind::phoenix, R"([null,"7","phoenix","phx_reply",{"status":"ok","response":{}}])");
  EXPECT_EQ(in.kind, Inbound::Kind::other);
}

TEST_F(WireTest, PhoenixChannelErrorsAndGarbage) {
  EXPECT_EQ(read(ProtocolKind::phoenix, R"(["1","1","room:fan","phx_error",{}])").kind, Inbound::Kind::channel_error);
  EXPECT_EQ(read(ProtocolKind::phoenix, R"(["1","1","room:fan","phx_close",{}])").kind, Inbound::Kind::channel_error);
  EXPECT_EQ(read(ProtocolKind::phoenix, "not json").kind, Inbound::Kind::other);
  EXPECT_EQ(read(ProtocolKind::phoenix, "").kind, Inbound::Kind::other);
}

TEST_F(WireTest, PhoenixJoinsAtOnceSocketIoWaitsForItsHandshake) {
  EXPECT_TRUE(make_wire(ProtocolKind::phoenix)->opened(client_));
  EXPECT_FALSE(make_wire(ProtocolKind::socketio)->opened(client_));
}

TEST_F(WireTest, SocketIoHandshakeAndPings) {
  // The Engine.IO open packet and pings are answered inside received(); a fleet sees nothing.
  EXPECT_EQ(read(ProtocolKind::socketio, R"(0{"sid":"cfpnw8EvDy-TIJpGAAAA","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})").kind,
            Inbound::Kind::other);
  EXPECT_EQ(read(ProtocolKind::socketio, "2").kind, Inbound::Kind::other);
  // The namespace connect answer: now the join may go.
  EXPECT_EQ(read(ProtocolKind::socketio, R"(40{"sid":"YMfvW9jZ8Os_JLWTAAAA"})").kind, Inbound::Kind::ready);
}

TEST_F(WireTest, SocketIoAcksAreReplies) {
  auto in = read(ProtocolKind::socketio, R"(431[{"status":"ok"}])");
  EXPECT_EQ(in.kind, Inbound::Kind::reply);
  EXPECT_EQ(in.ref, kJoinRef);
  EXPECT_TRUE(in.ok);

  in = read(ProtocolKind::socketio, R"(4317[{"status":"error","reason":"not in that room"}])");
  EXPECT_EQ(in.kind, Inbound::Kind::reply);
  EXPECT_EQ(in.ref, "17");
  EXPECT_FALSE(in.ok);

  EXPECT_EQ(read(ProtocolKind::socketio, "43[]").kind, Inbound::Kind::other);  // an ack without an id
}

TEST_F(WireTest, SocketIoConnectErrorIsARefusedJoin) {
  const auto in = read(ProtocolKind::socketio, R"(44{"message":"Invalid namespace"})");
  EXPECT_EQ(in.kind, Inbound::Kind::reply);
  EXPECT_EQ(in.ref, kJoinRef);
  EXPECT_FALSE(in.ok);
}

TEST_F(WireTest, SocketIoShoutEvents) {
  auto in = read(ProtocolKind::socketio, R"(42["shout",{"t":42,"pad":"xxx"}])");
  ASSERT_EQ(in.kind, Inbound::Kind::shout);
  EXPECT_EQ(in.payload, R"({"t":42,"pad":"xxx"})");
  EXPECT_EQ(find_send_time(in.payload), 42);

  EXPECT_EQ(read(ProtocolKind::socketio, R"(42["other",{"t":1}])").kind, Inbound::Kind::other);
  EXPECT_EQ(read(ProtocolKind::socketio, R"(42["shout",)").kind, Inbound::Kind::other);  // cut short
}

TEST_F(WireTest, SocketIoDisconnects) {
  EXPECT_EQ(read(ProtocolKind::socketio, "41").kind, Inbound::Kind::channel_error);
  EXPECT_EQ(read(ProtocolKind::socketio, "1").kind, Inbound::Kind::channel_error);
  EXPECT_EQ(read(ProtocolKind::socketio, "").kind, Inbound::Kind::other);
}

TEST_F(WireTest, UpgradeQueriesAndDefaultPaths) {
  EXPECT_EQ(make_wire(ProtocolKind::phoenix)->upgrade_query(), "vsn=2.0.0");
  EXPECT_EQ(make_wire(ProtocolKind::socketio)->upgrade_query(), "EIO=4&transport=websocket");
  EXPECT_EQ(make_wire(ProtocolKind::socketio)->default_path(), "/socket.io/");
  const auto t = UpgradeTarget::make({}, "127.0.0.1:1", "/socket.io/", "EIO=4&transport=websocket");
  EXPECT_EQ(t.request.rfind("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n", 0), 0u);
}

TEST(ShoutPayload, PadOnlyWhenGiven) {
  std::string out;
  append_shout_payload(out, 1234, {});
  EXPECT_EQ(out, R"({"t":1234})");
  out.clear();
  append_shout_payload(out, 5, "ab");
  EXPECT_EQ(out, R"({"t":5,"pad":"ab"})");
  out.clear();
  append_shout(out, "room:r0", 3, 9, {});
  EXPECT_EQ(out, R"(["1","3","room:r0","shout",{"t":9}])");
}

}  // namespace
}  // namespace roost::bench
