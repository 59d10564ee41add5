// The conformance fixture app (spec/conformance.md "Test fixture"): socket /socket with
// WebSocket and long-poll, auth_token on, check_origin ["//example.com"], 1 MiB frames,
// channels room:* (+ the exact topic "phoenix"), icpt:* and presence:*, and POST /api/broadcast.
//
//   build/bin/room --port 4000 [--host 127.0.0.1] [--idle-timeout-ms 60000]
//                  [--longpoll-window-ms 10000] [--drain-timeout-ms 5000] [--loops N]
//                  [--presence-window-ms 25] [--max-messages-per-second 100]
//                  [--message-burst 300] [--max-joins-per-second 20] [--join-burst 120]
//                  [--max-broadcast-bytes 65536] [--max-connections-per-address 1000]
//                  [--max-longpoll-sessions-per-address 256] [--max-presence-metas-per-key 100]
//                  [--node NAME] [--redis redis://host:port] (or env ROOST_REDIS_URL)
//                  [--presence-broadcast-ms 1500] [--presence-down-ms 30000]
//                  [--presence-permdown-ms 1200000]
//                  [--tls-cert FILE --tls-key FILE] [--tls-handshake-timeout-ms 10000]
// With --redis the process is one node of a cluster: broadcasts and presence reach the
// other nodes through Redis. A bad URL exits with status 2, an unreachable Redis with 1.
// With --tls-cert/--tls-key the port speaks only TLS (https://, wss://); a bad or missing
// file exits with status 2 before listening.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "broadcast_route.h"
#include "presence_channel.h"
#include "room_channel.h"
#include "roost/cluster/redis_url.h"
#include "roost/core/log.h"
#include "roost/server/endpoint.h"

namespace {

// hostname:port is unique per host and stable across restarts; with --port 0 the port is
// not known yet, so the process id stands in for it.
std::string default_node_name(std::uint16_t port) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "localhost");
  return port ? fmt::format("{}:{}", host, port) : fmt::format("{}:pid{}", host, getpid());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Roost conformance fixture (examples/room)"};
  roost::server::EndpointConfig config;
  config.port = 4000;
  long idle_ms = 60'000, window_ms = 10'000, drain_ms = 5'000, diff_window_ms = 25;
  std::string log_level = "info";
  app.add_option("--port", config.port, "TCP port (0 = any free port)");
  app.add_option("--host", config.host, "listen address");
  app.add_option("--loops", config.loops, "event loops (0 = one per core)");
  app.add_option("--idle-timeout-ms", idle_ms, "WebSocket idle timeout");
  app.add_option("--longpoll-window-ms", window_ms, "long-poll window");
  app.add_option("--drain-timeout-ms", drain_ms, "bound on the graceful drain");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error");
  app.add_option("--presence-window-ms", diff_window_ms, "presence_diff coalescing window (0 = one diff per change)");
  roost::transport::OutboundBudget budget;
  long soft_seconds = budget.soft_seconds.count();
  app.add_option("--outbound-soft-bytes", budget.soft_bytes, "bytes queued to a client it may exceed for a while");
  app.add_option("--outbound-hard-bytes", budget.hard_bytes, "bytes queued to a client that make it a slow consumer");
  app.add_option("--outbound-soft-seconds", soft_seconds, "how long a client may stay over the soft limit");
  roost::channels::SocketLimits limits;
  app.add_option("--max-messages-per-second", limits.messages_per_second, "per-socket message rate (0 = unlimited)");
  app.add_option("--message-burst", limits.message_burst, "per-socket message burst");
  app.add_option("--max-joins-per-second", limits.joins_per_second, "per-socket join rate (0 = unlimited)");
  app.add_option("--join-burst", limits.join_burst, "per-socket join burst");
  app.add_option("--max-broadcast-bytes", limits.max_broadcast_bytes, "largest channel broadcast payload (0 = unlimited)");
  app.add_option("--max-connections-per-address", config.max_connections_per_address,
                 "open connections per client address (0 = unlimited)");
  std::size_t longpoll_per_address = roost::transport::SocketOptions{}.max_longpoll_sessions_per_address;
  app.add_option("--max-longpoll-sessions-per-address", longpoll_per_address,
                 "long-poll sessions per client address (0 = unlimited)");
  app.add_option("--max-presence-metas-per-key", config.presence.max_metas_per_key,
                 "metas one key may hold in one presence topic on this node (0 = unlimited)");
  std::string node, redis_url;
  long broadcast_ms = config.presence.broadcast_period.count(), down_ms = config.presence.down_period.count(),
       permdown_ms = config.presence.permdown_period.count();
  if (const char* env = std::getenv("ROOST_REDIS_URL")) redis_url = env;
  app.add_option("--node", node, "this node's name in the cluster (default hostname:port)");
  app.add_option("--redis", redis_url, "redis://host[:port][/db] of the cluster (default $ROOST_REDIS_URL; none = single node)");
  app.add_option("--presence-broadcast-ms", broadcast_ms, "presence delta broadcast period to other nodes")
      ->check(CLI::PositiveNumber);
  app.add_option("--presence-down-ms", down_ms, "a node not heard from for this long is down")->check(CLI::PositiveNumber);
  app.add_option("--presence-permdown-ms", permdown_ms, "a node down for this long is dropped for good")
      ->check(CLI::PositiveNumber);
  long tls_handshake_ms = config.tls_handshake_timeout.count();
  app.add_option("--tls-cert", config.tls_cert_file, "PEM certificate chain: serve https:// and wss:// only");
  app.add_option("--tls-key", config.tls_key_file, "PEM private key of --tls-cert");
  app.add_option("--tls-handshake-timeout-ms", tls_handshake_ms, "a TLS client must finish its handshake within this")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  config.tls_handshake_timeout = std::chrono::milliseconds(tls_handshake_ms);
  if (!redis_url.empty()) {
    if (auto url = roost::cluster::parse_redis_url(redis_url); !url) {
      std::fprintf(stderr, "room: bad --redis URL '%s': %s\n", redis_url.c_str(), url.error().message().c_str());
      return 2;
    }
  }
  config.redis_url = redis_url;
  config.presence.node = node.empty() ? default_node_name(config.port) : node;
  config.presence.broadcast_period = std::chrono::milliseconds(broadcast_ms);
  config.presence.down_period = std::chrono::milliseconds(down_ms);
  config.presence.permdown_period = std::chrono::milliseconds(permdown_ms);
  roost::set_log_level(log_level);
  config.drain_timeout = std::chrono::milliseconds(drain_ms);
  config.presence.diff_window = std::chrono::milliseconds(diff_window_ms);
  config.presence.fetch = room::fixture_fetch_hook();

  roost::server::Endpoint endpoint(config);

  roost::transport::SocketOptions options;
  options.mount = "/socket";
  options.websocket = true;
  options.longpoll = true;
  options.auth_token = true;
  options.max_frame_size = 1 << 20;
  options.budget = budget;
  options.budget.soft_seconds = std::chrono::seconds(soft_seconds);
  options.idle_timeout = std::chrono::milliseconds(idle_ms);
  options.longpoll_window = std::chrono::milliseconds(window_ms);
  options.max_longpoll_sessions_per_address = longpoll_per_address;
  options.check_origin.mode = roost::proto::OriginPolicy::Mode::list;
  options.check_origin.allowed.push_back(roost::proto::parse_origin_rule("//example.com").value());

  auto connect = [](const roost::transport::ConnectInfo& info) {
    if (auto* r = info.params.if_contains("reject"); r && r->is_string() && r->get_string() == "true")
      return roost::channels::ConnectResult::refuse();
    std::optional<std::string> id;
    if (auto* u = info.params.if_contains("user_id"); u && u->is_string())
      id = "user_socket:" + std::string(u->get_string());
    return roost::channels::ConnectResult::accept({}, std::move(id));
  };
  roost::channels::ChannelRouter router;
  router.channel<room::RoomChannel>("room:*").channel<room::RoomChannel>("phoenix").channel<room::InterceptChannel>("icpt:*");
  router.channel<room::PresenceChannel>("presence:*");
  endpoint.socket(options, connect, std::move(router), limits);
  endpoint.route(boost::beast::http::verb::post, "/api/broadcast", room::broadcast_route(endpoint.pubsub()));
  endpoint.on_listening([&](std::uint16_t port) {
    // The suffix keeps "room listening on HOST:PORT" intact for the harnesses.
    std::printf("room listening on %s:%u%s\n", config.host.c_str(), port, config.tls_cert_file.empty() ? "" : " (tls)");
    std::fflush(stdout);
  });
  return endpoint.run();
}
