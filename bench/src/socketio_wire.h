// Role: WireProtocol for Socket.IO 5 over Engine.IO 4 on a WebSocket (the Socket.IO peer,
// bench/peers/socketio): answers the Engine.IO open packet with a namespace connect ("40"),
// joins once the server confirms it (`421["join",room]`, acked as `431[...]`), answers
// Engine.IO pings ("2") with pongs ("3"), sends shouts as `42<ref>["shout",room,payload]`, and
// reads broadcast events `42["shout",payload]` (bench/README.md, "Peers", has the exchange).
// Thread affinity: the thread of its connections. Ownership: owns a scratch buffer.
#pragma once

#include "wire_protocol.h"

namespace roost::bench {

class SocketIoWire final : public WireProtocol {
 public:
  std::string_view upgrade_query() const override { return "EIO=4&transport=websocket"; }
  // The trailing slash matters: the server does not match "/socket.io".
  std::string_view default_path() const override { return "/socket.io/"; }
  bool opened(WsClient& c) override;
  void join(WsClient& c, std::string_view topic) override;
  Inbound received(WsClient& c, std::string_view text) override;
  void send_shout(WsClient& c, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                  std::string_view pad) override;
  void keep_alive(WsClient& c, std::uint64_t ref) override;

 private:
  std::string scratch_;
};

}  // namespace roost::bench
