// Role: the HTTP vocabulary shared by the transports and the application routes:
// request/response types (Beast), the per-request facts a handler gets, and the
// configuration of an HTTP connection (mounted sockets, the fallback handler, limits).
// Thread affinity: HttpConfig is built before start and read-only afterwards.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "roost/core/task.h"
#include "roost/net/loop.h"
#include "roost/transport/peer_limiter.h"
#include "roost/transport/socket_handler.h"
#include "roost/transport/socket_options.h"

namespace roost::transport {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct RequestInfo {
  std::string_view path;
  std::string_view query;
  boost::asio::ip::tcp::endpoint peer;  // the client's own address, also behind the TLS front
  bool secure = false;                  // arrived over TLS (https/wss), for the origin check
};

using HttpHandler = std::function<Task<HttpResponse>(const HttpRequest&, const RequestInfo&)>;

struct MountedSocket {
  SocketOptions options;
  std::shared_ptr<SocketEndpoint> endpoint;
  // Long-poll sessions per client address (options.max_longpoll_sessions_per_address).
  std::shared_ptr<PeerLimiter> longpoll_sessions = PeerLimiter::create(0);
};

struct HttpConfig {
  std::vector<MountedSocket> sockets;
  HttpHandler fallback;  // every other path: app routes, /metrics, /healthz, 404
  // Request bodies beyond this are refused with 413. Long-poll POSTs of 100 lines fit.
  std::size_t body_limit = 8u << 20;
  // A request must arrive whole within this; a held long-poll GET is answered sooner.
  std::chrono::seconds request_timeout{30};
  net::LoopGroup* loops = nullptr;
  // Open TCP connections per client address (HTTP, WebSocket, held long-polls); over
  // the limit a connection is answered 503 and closed before anything is read.
  std::shared_ptr<PeerLimiter> connections = PeerLimiter::create(0);
};

// A response with the given status, content type and body (keep-alive from the request).
HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body = {},
                           std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace roost::transport
