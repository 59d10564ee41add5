// Role: HttpSession, one HTTP/1.1 connection: reads requests (Beast's parser, with body
// and time limits), hands WebSocket upgrades to WsConnection and long-poll requests to
// the long-poll transport, and everything else to the configured fallback handler.
// Thread affinity: the socket's loop. Ownership: a coroutine that owns the socket until
// it ends or gives the socket to a WsConnection.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "roost/transport/http_types.h"

namespace roost::transport {

// Starts serving `socket` on its loop (call on that loop's thread).
void start_http_session(boost::asio::ip::tcp::socket socket, const HttpConfig& config);

}  // namespace roost::transport
