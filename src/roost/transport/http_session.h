// Role: HttpSession, one HTTP/1.1 connection: reads requests (Beast's parser, with body
// and time limits), hands WebSocket upgrades to WsConnection and long-poll requests to
// the long-poll transport, and everything else to the configured fallback handler.
// Thread affinity: the socket's loop. Ownership: a coroutine that owns the socket until
// it ends or gives the socket to a WsConnection. Behind the TLS front the socket is one
// end of a local socket pair and the client's facts come from the front.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "roost/transport/http_types.h"

namespace roost::transport {

// Starts serving `socket` on its loop (call on that loop's thread). The client is the
// socket's peer; its place in the per-address count is taken here.
void start_http_session(boost::asio::ip::tcp::socket socket, const HttpConfig& config);

// What a session cannot read off its socket when that socket is the inner end of the
// TLS front (tls_front.h): who the client is, and the place in the per-address count the
// front already took for it (so a TLS connection is counted once).
struct ClientFacts {
  boost::asio::ip::tcp::endpoint peer;
  PeerSlot slot;
};

// Starts serving the inner end of a TLS connection as if it were the client's socket;
// requests are marked secure.
void start_http_session(boost::asio::ip::tcp::socket socket, const HttpConfig& config, ClientFacts client);

}  // namespace roost::transport
