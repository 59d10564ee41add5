// Role: the one place where the two protocols roost-bench speaks differ: Phoenix Channels V2
// (Roost, the floor) and Socket.IO 5 over Engine.IO 4 (the Socket.IO peer). A fleet or the
// publisher asks its WireProtocol to join a topic (a Phoenix topic or a Socket.IO room), to send
// a timestamped shout and a keep-alive, and to say what a received text message means; the
// scenarios above never see a protocol's frames. Protocol-level traffic (Socket.IO's namespace
// connect, Engine.IO pings) is answered inside received().
// The join always uses ref "1" and later messages refs from 2, in both protocols, so a reply
// says by its ref whether it answers the join.
// Thread affinity: the thread of the connections it serves. Ownership: one instance per fleet
// or publisher; it owns only a scratch buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ws_client.h"

namespace roost::bench {

enum class ProtocolKind { phoenix, socketio };
std::optional<ProtocolKind> parse_protocol(std::string_view name);
const char* protocol_name(ProtocolKind kind);

// What a received text message means to a fleet. `ref` and `payload` view the message's text,
// so they are valid only while the text is (the on_text callback).
struct Inbound {
  enum class Kind : std::uint8_t {
    other,          // nothing a fleet counts (or protocol traffic already answered)
    ready,          // the protocol's own handshake is done: the join may go now
    reply,          // a reply to one of our messages: `ref` and `ok` say which and how
    shout,          // a broadcast shout: `payload` is its JSON payload (carrying "t")
    channel_error,  // the server dropped our join (phx_error / phx_close, Socket.IO disconnect)
  };
  Kind kind = Kind::other;
  bool ok = false;
  std::string_view ref;
  std::string_view payload;
};

class WireProtocol {
 public:
  virtual ~WireProtocol() = default;

  // The query string of the WebSocket upgrade, and the path used when --path is not given.
  virtual std::string_view upgrade_query() const = 0;
  virtual std::string_view default_path() const = 0;

  // The WebSocket is open. True: join now (Phoenix). False: the protocol's own handshake
  // comes first (Socket.IO), and received() says Kind::ready when it is done.
  virtual bool opened(WsClient& c) = 0;
  // Joins `topic` (the message with ref "1").
  virtual void join(WsClient& c, std::string_view topic) = 0;
  // Classifies one received text message.
  virtual Inbound received(WsClient& c, std::string_view text) = 0;
  // Sends `shout` {"t":send_ns[,"pad":pad]} to `topic` with message ref `ref` (>= 2).
  virtual void send_shout(WsClient& c, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                          std::string_view pad) = 0;
  // What keeps an idle connection alive (Phoenix's heartbeat; Socket.IO's server pings instead).
  virtual void keep_alive(WsClient& c, std::uint64_t ref) = 0;
};

std::unique_ptr<WireProtocol> make_wire(ProtocolKind kind);

}  // namespace roost::bench
