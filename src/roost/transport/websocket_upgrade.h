// Role: the WebSocket handshake for a mounted socket (protocol.md §1.3): method, origin,
// subprotocols and the auth token, serializer, the connect callback; then the 101 answer
// and the hand-over of the TCP socket to a WsConnection.
// Thread affinity: the HTTP connection's loop, which becomes the WebSocket's loop.
#pragma once

#include <optional>

#include "roost/transport/http_types.h"

namespace roost::transport {

// Returns the refusal response, or nullopt when the socket now belongs to a WsConnection
// (which then also holds `slot`, the connection's place in the per-address count).
std::optional<HttpResponse> upgrade_websocket(const HttpRequest& request, const RequestInfo& info,
                                              const MountedSocket& mounted, boost::asio::ip::tcp::socket& socket,
                                              std::string leftover, PeerSlot* slot = nullptr);

}  // namespace roost::transport
