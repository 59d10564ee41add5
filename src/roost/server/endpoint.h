// Role: Endpoint, a Roost server: the loops, PubSub, the HTTP (or HTTPS) listener, the mounted
// sockets, the application's HTTP routes, /healthz, /metrics and /cluster, the cluster
// node (Redis bus and broadcast adapter) when a Redis URL is set, and the signal-driven
// graceful drain. An application builds one, mounts its sockets and routes, and calls
// run().
// Thread affinity: configure on one thread before run(); run() blocks the calling
// thread, which becomes loop 0. shutdown() and pubsub().broadcast() may be called from
// any thread.
// Ownership: owns everything it runs; SocketDefinitions are shared with their Sockets.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "roost/channels/socket_definition.h"
#include "roost/cluster/bus.h"
#include "roost/cluster/node_id.h"
#include "roost/core/metrics.h"
#include "roost/net/loop.h"
#include "roost/net/worker_pool.h"
#include "roost/presence/tracker.h"
#include "roost/pubsub/pubsub.h"
#include "roost/server/static_files.h"
#include "roost/transport/http_types.h"
#include "roost/transport/tls_front.h"

namespace roost::cluster {
class ClusterNode;
}

namespace roost::server {

struct EndpointConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;  // 0 = any free port (see Endpoint::port())
  std::size_t loops = 0;      // 0 = one per hardware thread
  std::size_t workers = 2;    // WorkerPool threads; they share the cores with the loops
  // Phoenix drains for up to 30 s in batches; a single process closes everything at
  // once, so a few seconds bound the exit.
  std::chrono::milliseconds drain_timeout{5000};
  // Open TCP connections one client address may hold (0 = unlimited). Generous, since
  // many users can share one address behind a NAT; it stops a single host from taking
  // every file descriptor.
  std::size_t max_connections_per_address = 1000;
  presence::TrackerOptions presence;
  // The `host` check_origin compares against when a socket keeps the default policy.
  std::string url_host;
  // redis://host:port of the cluster's Redis; empty = a single node. This node's name
  // is presence.node.
  std::string redis_url;
  // TLS on the listening port (https:// and wss:// only; no plain HTTP beside it) when
  // both are set: PEM files, the certificate chain and its unencrypted key. A missing,
  // unreadable or mismatched file makes run() return 2 before listening.
  std::string tls_cert_file;
  std::string tls_key_file;
  // A TLS client must finish its handshake within this.
  std::chrono::milliseconds tls_handshake_timeout{10'000};
};

class Endpoint {
 public:
  explicit Endpoint(EndpointConfig config);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  pubsub::PubSub& pubsub() noexcept { return *pubsub_; }
  Metrics& metrics() noexcept { return *metrics_; }
  net::LoopGroup& loops() noexcept { return *loops_; }
  // For blocking or CPU-heavy application work (database calls, password hashing).
  net::WorkerPool& workers() noexcept { return *workers_; }
  presence::Tracker& tracker() noexcept { return *tracker_; }
  // The cluster bus (Redis pub/sub) when EndpointConfig::redis_url is set, else nullptr.
  // Subscribe and register link listeners on it before run().
  cluster::Bus* bus() noexcept;
  // This node's cluster identity (name + incarnation), or nullptr on a single node.
  const cluster::NodeId* node_id() const noexcept;
  // Fills the "replicas" list of GET /cluster (empty until set); called on loop 0, once
  // per request. Set before run().
  void set_cluster_replicas(std::function<boost::json::array()> provider) { replicas_ = std::move(provider); }

  void socket(transport::SocketOptions options, channels::ConnectCallback connect, channels::ChannelRouter router,
              channels::SocketLimits limits = {});
  // An application route. `path` is exact, or a prefix ending in '*' ("/api/challenges/*").
  void route(boost::beast::http::verb method, std::string path, transport::HttpHandler handler);
  // Serves the files of `dir` for GET and HEAD below `mount` ("/" = the whole site;
  // "/" itself is dir/index.html), after the routes above and the sockets: a path they
  // claim is never looked up on disk. Content types, ETags, caching of hashed assets and
  // path checks as in server/static_files.h; reads run on workers(). Throws
  // std::invalid_argument when `dir` is not a directory.
  void serve_static(std::filesystem::path dir, std::string mount = "/");

  // Called once the listener is bound, with the bound port (tests use it for port 0).
  void on_listening(std::function<void(std::uint16_t)> fn) { on_listening_ = std::move(fn); }

  // Serves until SIGTERM/SIGINT (or shutdown()), then drains. Returns the exit status.
  int run();
  // Starts the graceful drain from any thread.
  void shutdown();

 private:
  struct Route {
    boost::beast::http::verb method;
    std::string path;
    bool prefix;
    transport::HttpHandler handler;
  };
  Task<transport::HttpResponse> dispatch(const transport::HttpRequest& request, const transport::RequestInfo& info);
  std::unique_ptr<cluster::ClusterNode> make_cluster_node();
  Task<boost::json::object> cluster_status();
  void accept_next();
  void drain();
  void wait_drained(std::chrono::steady_clock::time_point deadline);
  std::size_t open_connections() const;

  EndpointConfig config_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<net::LoopGroup> loops_;
  std::unique_ptr<pubsub::PubSub> pubsub_;
  std::string cluster_error_;                       // a bad redis_url, reported by run()
  std::unique_ptr<cluster::ClusterNode> cluster_;  // before tracker_: outlives what uses the bus
  std::function<boost::json::array()> replicas_;
  std::unique_ptr<net::WorkerPool> workers_;
  std::unique_ptr<presence::Tracker> tracker_;
  std::vector<std::shared_ptr<channels::SocketDefinition>> definitions_;
  std::vector<Route> routes_;
  struct StaticMount {
    std::string mount;  // "/" or "/prefix" without a trailing '/'
    std::shared_ptr<const StaticFiles> files;
  };
  std::vector<StaticMount> static_mounts_;
  transport::HttpConfig http_;
  transport::TlsFrontConfig tls_;  // tls_.context set by run() when TLS is configured
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::function<void(std::uint16_t)> on_listening_;
  std::atomic<bool> draining_{false};
};

}  // namespace roost::server
