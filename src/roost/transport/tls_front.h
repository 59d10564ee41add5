// Role: the TLS front. An accepted connection on a TLS endpoint is served by a TlsRelay:
// it takes the client's place in the per-address count, runs the TLS handshake (bounded
// in time), then relays plaintext between the TLS stream and one end of a local socket
// pair whose other end becomes an ordinary HTTP session, told the client's real address
// and that the connection is secure. The session, WsConnection and long-poll code thus
// run unchanged, and a plain connection pays nothing for TLS.
// Closing travels both ways: the session closing its end sends close_notify and closes
// the TCP connection; the client leaving (close_notify, FIN or reset) shows the session
// an end of stream.
// Thread affinity: the accepted socket's loop, for the connection's whole life.
// Ownership: the relay is shared by its two pump coroutines and its deadline timer; it
// keeps the TLS context alive while its SSL object refers to it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>

#include "roost/transport/http_types.h"

namespace roost::transport {

struct TlsFrontConfig {
  std::shared_ptr<boost::asio::ssl::context> context;  // see tls_context.h
  // A client must finish the handshake within this, or its connection is dropped.
  std::chrono::milliseconds handshake_timeout{10'000};
};

// Starts serving `socket` with TLS on its loop (call on that loop's thread).
void start_tls_session(boost::asio::ip::tcp::socket socket, const TlsFrontConfig& tls, const HttpConfig& http);

}  // namespace roost::transport
