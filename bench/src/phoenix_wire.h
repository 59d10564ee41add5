// Role: WireProtocol for Phoenix Channels V2 JSON (Roost and the floor): phx_join with ref "1",
// `shout` pushes, the "phoenix" heartbeat, and the reading of replies, shouts and channel
// errors from the frame head (phx_frames.h).
// Thread affinity: the thread of its connections. Ownership: owns a scratch buffer.
#pragma once

#include "wire_protocol.h"

namespace roost::bench {

class PhoenixWire final : public WireProtocol {
 public:
  std::string_view upgrade_query() const override { return "vsn=2.0.0"; }
  std::string_view default_path() const override { return "/socket/websocket"; }
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
