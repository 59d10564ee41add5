#include "roost/server/endpoint.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>
#include <thread>

#include "roost/cluster/cluster_node.h"
#include "roost/core/log.h"
#include "roost/net/call_on.h"
#include "roost/transport/http_session.h"
#include "roost/transport/loop_transport.h"
#include "roost/transport/tls_context.h"
#include "roost/websocket/close_code.h"

namespace roost::server {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
std::size_t resolve_loops(std::size_t n) { return n ? n : std::max(1u, std::thread::hardware_concurrency()); }
}  // namespace

Endpoint::Endpoint(EndpointConfig config)
    : config_(std::move(config)),
      metrics_(std::make_unique<Metrics>(resolve_loops(config_.loops))),
      loops_(std::make_unique<net::LoopGroup>(resolve_loops(config_.loops), *metrics_)),
      pubsub_(std::make_unique<pubsub::PubSub>(*loops_)),
      cluster_(make_cluster_node()),
      workers_(std::make_unique<net::WorkerPool>(std::max<std::size_t>(1, config_.workers))),
      tracker_(std::make_unique<presence::Tracker>(*loops_, *pubsub_, config_.presence)) {
  http_.loops = loops_.get();
  http_.connections = transport::PeerLimiter::create(config_.max_connections_per_address);
  http_.fallback = [this](const transport::HttpRequest& req, const transport::RequestInfo& info) {
    return dispatch(req, info);
  };
  for (std::size_t i = 0; i < loops_->size(); ++i) {
    net::Loop& loop = loops_->at(i);
    asio::post(loop.io(), [&loop] { transport::LoopTransport::install(loop); });
  }
  if (cluster::Bus* b = bus()) {
    // Presence replicates over the bus: shard i of every node on its own channels.
    tracker_->replicate(presence::link_over(*b));
    set_cluster_replicas([t = tracker_.get()] { return t->replicas_json(); });
  }
  metrics_->add_section([t = tracker_.get()](std::string& out) { t->render_metrics(out); });
  tracker_->start();
}

Endpoint::~Endpoint() {
  // What the loops still hold (connections, channels) refers to the tracker and PubSub:
  // destroy it while they exist, before the members go.
  loops_->stop();
  loops_->shutdown_pending();
}

void Endpoint::socket(transport::SocketOptions options, channels::ConnectCallback connect,
                      channels::ChannelRouter router, channels::SocketLimits limits) {
  if (options.check_origin.mode == proto::OriginPolicy::Mode::endpoint_host && options.check_origin.endpoint_host.empty())
    options.check_origin.endpoint_host = config_.url_host;
  auto definition = std::make_shared<channels::SocketDefinition>(*pubsub_, tracker_.get(), std::move(connect), std::move(router), limits);
  definitions_.push_back(definition);
  auto longpoll_sessions = transport::PeerLimiter::create(options.max_longpoll_sessions_per_address);
  http_.sockets.push_back(transport::MountedSocket{std::move(options), definition, std::move(longpoll_sessions)});
}

void Endpoint::route(http::verb method, std::string path, transport::HttpHandler handler) {
  bool prefix = !path.empty() && path.back() == '*';
  if (prefix) path.pop_back();
  routes_.push_back(Route{method, std::move(path), prefix, std::move(handler)});
}

void Endpoint::serve_static(std::filesystem::path dir, std::string mount) {
  if (mount.empty() || mount.front() != '/')
    throw std::invalid_argument("serve_static: the mount must start with '/' (got '" + mount + "')");
  while (mount.size() > 1 && mount.back() == '/') mount.pop_back();
  static_mounts_.push_back(StaticMount{std::move(mount), std::make_shared<const StaticFiles>(std::move(dir), *workers_)});
  // Longest mount first, so "/docs" is not shadowed by "/" whatever the call order.
  std::stable_sort(static_mounts_.begin(), static_mounts_.end(),
                   [](const StaticMount& a, const StaticMount& b) { return a.mount.size() > b.mount.size(); });
}

Task<transport::HttpResponse> Endpoint::dispatch(const transport::HttpRequest& request,
                                                 const transport::RequestInfo& info) {
  if (info.path == "/healthz") {
    // Answers while the loops turn; during a drain the server no longer takes clients.
    co_return transport::make_response(request, draining_ ? 503 : 200, draining_ ? "draining\n" : "ok\n");
  }
  if (info.path == "/cluster" && request.method() == http::verb::get) {
    auto status = co_await cluster_status();
    co_return transport::make_response(request, 200, boost::json::serialize(status), "application/json");
  }
  if (info.path == "/metrics" && request.method() == http::verb::get) {
    co_return transport::make_response(request, 200, metrics_->render(), "text/plain; version=0.0.4; charset=utf-8");
  }
  bool path_known = false;
  for (const Route& r : routes_) {
    bool match = r.prefix ? info.path.starts_with(r.path) : info.path == r.path;
    if (!match) continue;
    path_known = true;
    if (r.method == request.method()) co_return co_await r.handler(request, info);
  }
  bool readable = request.method() == http::verb::get || request.method() == http::verb::head;
  if (!path_known && readable) {
    for (const StaticMount& m : static_mounts_) {
      if (m.mount == "/") co_return co_await m.files->serve(request, info.path);
      if (!info.path.starts_with(m.mount)) continue;
      std::string_view below = info.path.substr(m.mount.size());
      if (below.empty()) below = "/";  // "/docs" is served as "/docs/"
      if (below.front() == '/') co_return co_await m.files->serve(request, below);
    }
  }
  co_return transport::make_response(request, path_known ? 405 : 404, path_known ? "method not allowed\n" : "not found\n");
}

cluster::Bus* Endpoint::bus() noexcept { return cluster_ ? &cluster_->bus() : nullptr; }

const cluster::NodeId* Endpoint::node_id() const noexcept { return cluster_ ? &cluster_->self() : nullptr; }

std::unique_ptr<cluster::ClusterNode> Endpoint::make_cluster_node() {
  if (config_.redis_url.empty()) return nullptr;
  auto url = cluster::parse_redis_url(config_.redis_url);
  if (!url) {
    cluster_error_ = fmt::format("bad Redis URL '{}': {}", config_.redis_url, url.error().message());
    return nullptr;
  }
  auto node = std::make_unique<cluster::ClusterNode>(loops_->at(0), *pubsub_, cluster::NodeId::make(config_.presence.node),
                                                     std::move(*url));
  metrics_->add_section([n = node.get()](std::string& out) { n->metrics().render(out); });
  return node;
}

Task<boost::json::object> Endpoint::cluster_status() {
  boost::json::array replicas;
  if (replicas_) {
    // The provider reads state owned by loop 0's side of the cluster layer.
    auto fetch = [this](auto done) { done(replicas_()); };
    replicas = co_await net::call_on<boost::json::array>(loops_->at(0), fetch);
  }
  if (cluster_) co_return cluster_->status(std::move(replicas));
  co_return boost::json::object{
      {"node", config_.presence.node}, {"incarnation", nullptr}, {"redis", nullptr}, {"replicas", std::move(replicas)}};
}

int Endpoint::run() {
  net::Loop& first = loops_->at(0);
  if (!cluster_error_.empty()) {
    log().critical("{}", cluster_error_);
    return 2;
  }
  if (transport::TlsFiles files{config_.tls_cert_file, config_.tls_key_file}; files.wanted()) {
    std::string why;
    tls_.context = transport::make_tls_context(files, &why);
    if (!tls_.context) {
      log().critical("{}", why);
      return 2;
    }
    tls_.handshake_timeout = config_.tls_handshake_timeout;
  }
  if (cluster_) {
    // Before listening: a node that cannot reach Redis exits instead of serving alone.
    std::string detail;
    if (auto ec = cluster_->start(&detail)) {
      log().critical("cannot reach Redis at {}: {}{}", config_.redis_url, ec.message(), detail.empty() ? "" : ": " + detail);
      return 1;
    }
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(config_.host, ec);
  if (ec) {
    log().critical("bad listen address '{}': {}", config_.host, ec.message());
    return 2;
  }
  acceptor_ = std::make_unique<tcp::acceptor>(first.io());
  tcp::endpoint ep(address, config_.port);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    log().critical("cannot listen on {}:{}: {}", config_.host, config_.port, ec.message());
    return 2;
  }
  std::uint16_t port = acceptor_->local_endpoint().port();
  log().info("listening on {}:{} with {} loops{}", config_.host, port, loops_->size(), tls_.context ? " (tls)" : "");
  if (on_listening_) on_listening_(port);
  accept_next();

  asio::signal_set signals(first.io(), SIGTERM, SIGINT);
  signals.async_wait([this](const boost::system::error_code& e, int sig) {
    if (e) return;
    log().info("signal {}: draining", sig);
    drain();
  });
  loops_->run();
  // Loop 0 ran on this thread: its transport state goes now, while its io_context lives.
  transport::LoopTransport::uninstall();
  return 0;
}

void Endpoint::accept_next() {
  net::Loop& target = loops_->next_for_connection();
  acceptor_->async_accept(target.io(), [this, &target](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || draining_) return;
    if (!ec) {
      // The socket already belongs to the target loop's io_context; start it there.
      asio::post(target.io(), [this, s = std::move(socket)]() mutable {
        if (tls_.context) transport::start_tls_session(std::move(s), tls_, http_);
        else transport::start_http_session(std::move(s), http_);
      });
    } else {
      log().warn("accept failed: {}", ec.message());
    }
    accept_next();
  });
}

void Endpoint::shutdown() {
  asio::post(loops_->at(0).io(), [this] { drain(); });
}

void Endpoint::drain() {
  if (draining_.exchange(true)) return;
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  // §7.10: sockets with joined channels are closed with 1012 so clients reconnect elsewhere.
  // One still handling a message (a push waiting for its save) closes after its reply, within
  // half the drain bound, which leaves the other half for the close handshakes.
  auto replies_deadline = std::chrono::steady_clock::now() + config_.drain_timeout / 2;
  for (std::size_t i = 0; i < loops_->size(); ++i) {
    loops_->at(i).post([replies_deadline] {
      transport::LoopTransport::current().close_all(websocket::close_code::service_restart,
                                                    websocket::close_code::going_away, replies_deadline);
    });
  }
  wait_drained(std::chrono::steady_clock::now() + config_.drain_timeout);
}

std::size_t Endpoint::open_connections() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < metrics_->loop_count(); ++i) n += metrics_->loop(i).connections.get();
  return n;
}

void Endpoint::wait_drained(std::chrono::steady_clock::time_point deadline) {
  auto timer = std::make_shared<asio::steady_timer>(loops_->at(0).io(), std::chrono::milliseconds(50));
  timer->async_wait([this, timer, deadline](const boost::system::error_code&) {
    if (open_connections() == 0 || std::chrono::steady_clock::now() >= deadline) {
      log().info("drained ({} connections left); stopping", open_connections());
      loops_->stop();
      return;
    }
    wait_drained(deadline);
  });
}

}  // namespace roost::server
