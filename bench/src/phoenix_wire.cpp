#include "phoenix_wire.h"

#include "phx_frames.h"

namespace roost::bench {

bool PhoenixWire::opened(WsClient&) { return true; }

void PhoenixWire::join(WsClient& c, std::string_view topic) {
  scratch_.clear();
  append_join(scratch_, topic);
  c.send_text(scratch_);
}

Inbound PhoenixWire::received(WsClient&, std::string_view text) {
  FrameHead head;
  Inbound in;
  if (!scan_head(text, head)) return in;
  if (head.event == "shout") {
    in.kind = Inbound::Kind::shout;
    in.payload = head.payload;
  } else if (head.event == "phx_reply" && head.topic != "phoenix") {  // not a heartbeat's reply
    in.kind = Inbound::Kind::reply;
    in.ref = head.ref;
    in.ok = reply_ok(head.payload);
  } else if (head.event == "phx_error" || head.event == "phx_close") {
    in.kind = Inbound::Kind::channel_error;
  }
  return in;
}

void PhoenixWire::send_shout(WsClient& c, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                             std::string_view pad) {
  scratch_.clear();
  append_shout(scratch_, topic, ref, send_ns, pad);
  c.send_text(scratch_);
}

void PhoenixWire::keep_alive(WsClient& c, std::uint64_t ref) {
  scratch_.clear();
  append_heartbeat(scratch_, ref);
  c.send_text(scratch_);
}

}  // namespace roost::bench
