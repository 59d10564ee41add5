#include "wire_protocol.h"

#include "phoenix_wire.h"
#include "socketio_wire.h"

namespace roost::bench {

std::optional<ProtocolKind> parse_protocol(std::string_view name) {
  if (name == "phoenix") return ProtocolKind::phoenix;
  if (name == "socketio") return ProtocolKind::socketio;
  return std::nullopt;
}

const char* protocol_name(ProtocolKind kind) { return kind == ProtocolKind::phoenix ? "phoenix" : "socketio"; }

std::unique_ptr<WireProtocol> make_wire(ProtocolKind kind) {
  if (kind == ProtocolKind::socketio) return std::make_unique<SocketIoWire>();
  return std::make_unique<PhoenixWire>();
}

}  // namespace roost::bench
