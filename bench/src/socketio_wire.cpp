#include "socketio_wire.h"

#include "phx_frames.h"

namespace roost::bench {

namespace {

constexpr std::string_view kShoutEvent = "[\"shout\",";

// The decimal ack id at the front of `s` (possibly empty), removed from `s`.
std::string_view take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  const std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

}  // namespace

// Not yet: the server speaks first (the Engine.IO open packet), then the namespace connect.
bool SocketIoWire::opened(WsClient&) { return false; }

void SocketIoWire::join(WsClient& c, std::string_view topic) {
  scratch_ = "421[\"join\",\"";
  scratch_ += topic;
  scratch_ += "\"]";
  c.send_text(scratch_);
}

Inbound SocketIoWire::received(WsClient& c, std::string_view text) {
  Inbound in;
  if (text.empty()) return in;
  switch (text[0]) {
    case '0':  // Engine.IO open: connect to the main namespace
      c.send_text("40");
      return in;
    case '2':  // Engine.IO ping: the server drops a client that does not answer within pingTimeout
      c.send_text("3");
      return in;
    case '1':  // Engine.IO close
      in.kind = Inbound::Kind::channel_error;
      return in;
    case '4':
      break;
    default:
      return in;
  }
  if (text.size() < 2) return in;
  std::string_view rest = text.substr(2);
  switch (text[1]) {
    case '0':  // namespace connected: now the join may go (an event before it closes the connection)
      in.kind = Inbound::Kind::ready;
      return in;
    case '4':  // namespace connect refused: the join failed
      in.kind = Inbound::Kind::reply;
      in.ref = kJoinRef;
      return in;
    case '1':  // kicked from the namespace
      in.kind = Inbound::Kind::channel_error;
      return in;
    case '2': {  // event
      take_digits(rest);
      if (rest.size() < kShoutEvent.size() + 1 || !rest.starts_with(kShoutEvent) || rest.back() != ']') return in;
      in.kind = Inbound::Kind::shout;
      in.payload = rest.substr(kShoutEvent.size(), rest.size() - kShoutEvent.size() - 1);
      return in;
    }
    case '3':  // ack: the id is our message ref
      in.ref = take_digits(rest);
      if (in.ref.empty()) return in;
      in.kind = Inbound::Kind::reply;
      in.ok = reply_ok(rest);
      return in;
    default:
      return in;
  }
}

void SocketIoWire::send_shout(WsClient& c, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                              std::string_view pad) {
  scratch_ = "42";
  append_decimal(scratch_, static_cast<std::int64_t>(ref));
  scratch_ += "[\"shout\",\"";
  scratch_ += topic;
  scratch_ += "\",";
  append_shout_payload(scratch_, send_ns, pad);
  scratch_ += ']';
  c.send_text(scratch_);
}

// The server pings (Engine.IO 4); a client ping would get it disconnected.
void SocketIoWire::keep_alive(WsClient&, std::uint64_t) {}

}  // namespace roost::bench
