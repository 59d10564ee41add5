#include "roost/transport/http_session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "roost/transport/longpoll_http.h"
#include "roost/transport/loop_transport.h"
#include "roost/transport/websocket_upgrade.h"

namespace roost::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpResponse make_response(const HttpRequest& request, unsigned status, std::string body,
                           std::string_view content_type) {
  HttpResponse res{static_cast<http::status>(status), request.version()};
  res.set(http::field::server, "roost");
  if (!body.empty()) res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

namespace {

// How much of a refused request body is read and dropped before closing anyway.
constexpr std::size_t kMaxLingerBytes = 64u << 20;

// Closes the socket if a request (or the answer to it) takes longer than the limit,
// so a client that trickles bytes cannot hold a connection forever.
class Watchdog {
 public:
  explicit Watchdog(tcp::socket& socket) : socket_(socket), timer_(socket.get_executor()) {}
  void arm(std::chrono::steady_clock::duration d) {
    timer_.expires_after(d);
    timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
      if (ec || !*alive) return;
      boost::system::error_code ignored;
      socket_.close(ignored);
    });
  }
  ~Watchdog() {
    *alive_ = false;
    timer_.cancel();
  }

 private:
  tcp::socket& socket_;
  asio::steady_timer timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

const MountedSocket* match_socket(const HttpConfig& config, std::string_view path, bool& websocket) {
  for (const auto& m : config.sockets) {
    if (!path.starts_with(m.options.mount)) continue;
    std::string_view rest = path.substr(m.options.mount.size());
    if (rest == "/websocket" && m.options.websocket) {
      websocket = true;
      return &m;
    }
    if (rest == "/longpoll" && m.options.longpoll) {
      websocket = false;
      return &m;
    }
  }
  return nullptr;
}

Task<void> serve(tcp::socket socket, const HttpConfig& config, std::optional<ClientFacts> client) {
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  const bool secure = client.has_value();
  tcp::endpoint peer;
  std::optional<PeerSlot> slot;
  if (client) {
    peer = client->peer;
    slot = std::move(client->slot);
  } else {
    peer = socket.remote_endpoint(ec);
    if (ec) co_return;
    slot = config.connections->acquire(peer.address());
  }
  if (!slot) {
    LoopTransport::current().loop().metrics().refused_connects.add();
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 38\r\n"
        "connection: close\r\n\r\ntoo many connections from this address\n";
    co_await asio::async_write(socket, asio::buffer(kBusy), asio::as_tuple(use_awaitable));
    socket.shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  Watchdog watchdog(socket);
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(config.body_limit);
    parser.header_limit(16 * 1024);
    watchdog.arm(config.request_timeout);
    auto [rec, n] = co_await http::async_read(socket, buffer, parser, asio::as_tuple(use_awaitable));
    if (rec) {
      if (rec == http::error::end_of_stream || rec == asio::error::eof || rec == asio::error::operation_aborted ||
          rec == asio::error::connection_reset || rec == asio::error::bad_descriptor)
        co_return;
      HttpRequest stub;
      stub.version(11);
      auto res = rec == http::error::body_limit ? make_response(stub, 413, "request body too large\n")
                                                : make_response(stub, 400, "bad request\n");
      res.keep_alive(false);
      co_await http::async_write(socket, res, asio::as_tuple(use_awaitable));
      // Lingering close: the client may still be sending the body we refused. Closing
      // with unread input would reset the connection and lose the answer, so read and
      // drop what comes until the client closes (bounded in time and bytes).
      socket.shutdown(tcp::socket::shutdown_send, ec);
      watchdog.arm(std::chrono::seconds(5));
      std::size_t drained = 0;
      thread_local char sink[16384];  // contents are discarded
      while (drained < kMaxLingerBytes) {
        auto [dec, dn] = co_await socket.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
        if (dec) break;
        drained += dn;
      }
      co_return;
    }
    HttpRequest request = parser.release();
    std::string_view target = request.target();
    auto qpos = target.find('?');
    RequestInfo info{target.substr(0, qpos), qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1),
                     peer, secure};
    // Leave headroom beyond a held long-poll GET's window before the watchdog fires.
    watchdog.arm(config.request_timeout + std::chrono::seconds(30));

    bool websocket = false;
    const MountedSocket* mounted = match_socket(config, info.path, websocket);
    HttpResponse response;
    if (mounted && websocket) {
      std::string leftover(static_cast<const char*>(buffer.data().data()), buffer.size());
      auto refused = upgrade_websocket(request, info, *mounted, socket, std::move(leftover), &*slot);
      if (!refused) co_return;  // the socket now belongs to a WsConnection
      response = std::move(*refused);
      response.keep_alive(false);
    } else if (mounted) {
      response = co_await handle_longpoll(request, info, *mounted, *config.loops);
    } else if (config.fallback) {
      try {
        response = co_await config.fallback(request, info);
      } catch (const std::exception&) {
        response = make_response(request, 500, "internal error\n");
      }
    } else {
      response = make_response(request, 404, "not found\n");
    }
    auto [wec, wn] = co_await http::async_write(socket, response, asio::as_tuple(use_awaitable));
    if (wec || !response.keep_alive()) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

void start_http_session(tcp::socket socket, const HttpConfig& config) {
  auto executor = socket.get_executor();
  asio::co_spawn(executor, serve(std::move(socket), config, std::nullopt), asio::detached);
}

void start_http_session(tcp::socket socket, const HttpConfig& config, ClientFacts client) {
  auto executor = socket.get_executor();
  asio::co_spawn(executor, serve(std::move(socket), config, std::move(client)), asio::detached);
}

}  // namespace roost::transport
