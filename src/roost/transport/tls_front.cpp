#include "roost/transport/tls_front.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

#include "roost/core/log.h"
#include "roost/transport/http_session.h"
#include "roost/transport/loop_transport.h"

namespace roost::transport {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// Plaintext bytes per relay step in each direction: one TLS record's worth.
constexpr std::size_t kRelayChunk = 16 * 1024;
// After our close_notify, how long the client may take to answer (and to send what it
// still had in flight, e.g. its WebSocket close frame) before the TCP connection goes.
constexpr auto kCloseNotifyWait = std::chrono::seconds(2);

class TlsRelay {
 public:
  TlsRelay(tcp::socket socket, std::shared_ptr<ssl::context> context)
      : context_(std::move(context)),
        stream_(std::move(socket), *context_),
        inner_(stream_.get_executor()),
        deadline_(stream_.get_executor()),
        metrics_(LoopTransport::current().loop().metrics()) {
    metrics_.tls_connections.add();
  }
  ~TlsRelay() { metrics_.tls_connections.sub(); }
  TlsRelay(const TlsRelay&) = delete;
  TlsRelay& operator=(const TlsRelay&) = delete;

  static Task<void> run(std::shared_ptr<TlsRelay> self, const TlsFrontConfig& tls, const HttpConfig& http);

 private:
  static Task<void> client_to_server(std::shared_ptr<TlsRelay> self);
  static Task<void> server_to_client(std::shared_ptr<TlsRelay> self);
  // Drops the TCP connection after `d` (whatever is pending on it then fails), unless
  // disarm() comes first.
  static void arm(const std::shared_ptr<TlsRelay>& self, std::chrono::steady_clock::duration d);
  void disarm() { deadline_.cancel(); }
  void drop() {
    boost::system::error_code ec;
    stream_.lowest_layer().close(ec);
  }
  // Hands the other end of a new socket pair to an HTTP session; false if the system
  // has no descriptors left.
  bool start_session(const HttpConfig& http, const tcp::endpoint& peer, PeerSlot slot);

  std::shared_ptr<ssl::context> context_;  // before stream_: its SSL object refers to it
  ssl::stream<tcp::socket> stream_;
  asio::local::stream_protocol::socket inner_;  // our end of the pair
  asio::steady_timer deadline_;
  LoopMetrics& metrics_;  // its loop's; outlives the relay
};

void TlsRelay::arm(const std::shared_ptr<TlsRelay>& self, std::chrono::steady_clock::duration d) {
  self->deadline_.expires_after(d);
  self->deadline_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec) self->drop();
  });
}

Task<void> TlsRelay::run(std::shared_ptr<TlsRelay> self, const TlsFrontConfig& tls, const HttpConfig& http) {
  boost::system::error_code ec;
  tcp::socket& tcp_socket = self->stream_.next_layer();
  const tcp::endpoint peer = tcp_socket.remote_endpoint(ec);
  if (ec) co_return;
  // Counted from accept, not from the end of the handshake: a host that opens TLS
  // connections and never finishes them is held to the same limit. No HTTP answer can
  // be sent before the handshake, so a refused one is simply closed.
  auto slot = http.connections->acquire(peer.address());
  if (!slot) {
    self->metrics_.refused_connects.add();
    co_return;
  }
  tcp_socket.set_option(tcp::no_delay(true), ec);

  arm(self, tls.handshake_timeout);
  auto [hec] = co_await self->stream_.async_handshake(ssl::stream_base::server, asio::as_tuple(use_awaitable));
  self->disarm();
  if (hec || !tcp_socket.is_open()) {
    // Scanners and plain-HTTP clients land here all the time: debug, not a warning.
    self->metrics_.tls_handshake_failures.add();
    log().debug("TLS handshake with {}:{} failed: {}", peer.address().to_string(), peer.port(),
                hec && hec != asio::error::operation_aborted ? hec.message() : "timed out");
    co_return;
  }
  if (!self->start_session(http, peer, std::move(*slot))) co_return;
  asio::co_spawn(self->stream_.get_executor(), client_to_server(self), asio::detached);
  co_await server_to_client(self);
}

bool TlsRelay::start_session(const HttpConfig& http, const tcp::endpoint& peer, PeerSlot slot) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
    log().warn("TLS connection from {}: no socket pair: {}", peer.address().to_string(), std::strerror(errno));
    return false;
  }
  boost::system::error_code ec;
  inner_.assign(asio::local::stream_protocol(), fds[0], ec);
  if (ec) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  inner_.non_blocking(true, ec);  // copy_when_readable's read must never wait
  if (ec) {
    ::close(fds[1]);  // fds[0] belongs to inner_ now
    return false;
  }
  // A tcp::socket over a Unix stream socket: the session only reads, writes and waits
  // on it, which are the same calls; TCP options on it fail harmlessly.
  tcp::socket session_end(stream_.get_executor());
  session_end.assign(peer.protocol(), fds[1], ec);
  if (ec) {
    ::close(fds[1]);
    return false;
  }
  start_http_session(std::move(session_end), http, ClientFacts{peer, std::move(slot)});
  return true;
}

// Copies what `from` yields to `to` until either side ends (end of stream, reset, or a
// socket closed under it).
template <class From, class To>
Task<void> copy_until_end(From& from, To& to) {
  auto buffer = std::make_unique<char[]>(kRelayChunk);
  for (;;) {
    auto [rec, n] = co_await from.async_read_some(asio::buffer(buffer.get(), kRelayChunk), asio::as_tuple(use_awaitable));
    if (rec) co_return;
    auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buffer.get(), n), asio::as_tuple(use_awaitable));
    if (wec) co_return;
  }
}

// The same for the session's end of the pair, which is an ordinary socket: it waits for
// readiness first and takes its buffer only while bytes are there, so an idle connection
// holds one relay buffer (the TLS side's), not two.
template <class To>
Task<void> copy_when_readable(asio::local::stream_protocol::socket& from, To& to) {
  for (;;) {
    auto [ready] = co_await from.async_wait(asio::socket_base::wait_read, asio::as_tuple(use_awaitable));
    if (ready) co_return;
    auto buffer = std::make_unique<char[]>(kRelayChunk);
    boost::system::error_code rec;
    std::size_t n = from.read_some(asio::buffer(buffer.get(), kRelayChunk), rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) continue;
    if (rec) co_return;
    auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buffer.get(), n), asio::as_tuple(use_awaitable));
    if (wec) co_return;
  }
}

Task<void> TlsRelay::client_to_server(std::shared_ptr<TlsRelay> self) {
  // Ends on close_notify, a TCP close or reset, the relay dropping the connection, or
  // the session closing its end.
  co_await copy_until_end(self->stream_, self->inner_);
  // The session sees the end of stream, as from a plain client that closed.
  boost::system::error_code ec;
  self->inner_.shutdown(asio::socket_base::shutdown_send, ec);
}

Task<void> TlsRelay::server_to_client(std::shared_ptr<TlsRelay> self) {
  // Ends when the session closes its end or shuts down its sending side, or the client
  // is gone.
  co_await copy_when_readable(self->inner_, self->stream_);
  // close_notify; the shutdown completes when the client answers with its own, while
  // client_to_server keeps relaying what arrives before it. Bounded: then the TCP
  // connection goes, which also ends client_to_server.
  arm(self, kCloseNotifyWait);
  co_await self->stream_.async_shutdown(asio::as_tuple(use_awaitable));
  self->disarm();
  self->drop();
}

}  // namespace

void start_tls_session(tcp::socket socket, const TlsFrontConfig& tls, const HttpConfig& http) {
  auto executor = socket.get_executor();
  auto relay = std::make_shared<TlsRelay>(std::move(socket), tls.context);
  asio::co_spawn(executor, TlsRelay::run(std::move(relay), tls, http), asio::detached);
}

}  // namespace roost::transport
