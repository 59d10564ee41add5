// Role: the command line of roost-bench: `connections`, `fanout`, `presence-storm`, `rooms`, `soak` (each
// in the Phoenix protocol, the first three also in Socket.IO's with --protocol socketio) and
// the internal `worker` / `presence-worker` / `rooms-worker` / `soak-worker` modes the parent starts its child processes in.
// Parsing only; each subcommand checks what it needs.
// Thread affinity: none. Ownership: a plain value.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "wire_protocol.h"

namespace roost::bench {

struct Options {
  std::string command;  // "connections" | "fanout" | "presence-storm" | "rooms" | "soak" | "worker" | "presence-worker" | "rooms-worker" | "soak-worker"

  // Target.
  ProtocolKind protocol = ProtocolKind::phoenix;  // --protocol phoenix|socketio
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;  // the first of `ports`
  std::vector<std::uint16_t> ports{4000};  // --port P[,P2,...]: several servers (a cluster's nodes)
  std::string ports_spec = "4000";         // as given, passed on to workers
  std::string path;  // empty: the protocol's default (/socket/websocket, /socket.io/)
  std::string sources_spec;  // as given, passed on to workers
  std::vector<boost::asio::ip::address_v4> sources;

  // Connections.
  std::size_t connections = 1000;  // `connections`, `presence-storm`, `rooms` (--clients): N; workers: the total
  std::string topic;
  std::size_t topics = 1;
  int server_pid = 0;  // the first of `server_pids`, 0 for none
  std::vector<int> server_pids;  // --server-pid PID[,PID2,...]: CPU is summed over all
  std::size_t processes = 1;
  double hold_seconds = 0;
  double settle_seconds = 2;
  std::size_t concurrency = 200;  // connection attempts in flight per process
  double timeout_seconds = 120;   // bound on connecting and joining

  // Fanout.
  std::size_t subscribers = 100;
  std::vector<double> rates{100};
  double duration_seconds = 10;
  double warmup_seconds = 1;
  std::size_t payload_bytes = 100;
  double drain_seconds = 10;  // bound on waiting for late deliveries after a rate step
  // > 0: the sweep stops at saturation: a step whose deliveries/s grew less than 5 % over the
  // best so far, whose p99 exceeds this many ms, or that lost deliveries.
  double saturation_p99_ms = 0;
  // Slow consumers: connections that join the topic, then stop reading (one rate only).
  std::size_t stalled = 0;

  // Rooms: clients per room (`rooms` and `soak` also use duration, warm-up and drain above).
  std::size_t room_size = 10;

  // Soak: the fraction of the connections that start a churn (leave and rejoin, or
  // disconnect and reconnect) each second, and how many more descriptors than at the
  // baseline the server may hold once every client has left.
  double churn_per_second = 0.005;
  std::size_t fd_tolerance = 8;

  // Worker: which slice of the connections this process owns.
  std::size_t worker_index = 0;
  std::size_t worker_count = 1;
};

// Parses argv; on error returns false and sets `error`.
bool parse_options(int argc, char** argv, Options& out, std::string& error);

// The usage text printed on a command-line error.
const char* usage();

}  // namespace roost::bench
