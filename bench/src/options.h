// Role: the command line of roost-bench: `connections`, `fanout`, `presence-storm`, `rooms` and
// the internal `worker` / `presence-worker` / `rooms-worker` modes the parent starts its child processes in.
// Parsing only; each subcommand checks what it needs.
// Thread affinity: none. Ownership: a plain value.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace roost::bench {

struct Options {
  std::string command;  // "connections" | "fanout" | "presence-storm" | "rooms" | "worker" | "presence-worker" | "rooms-worker"

  // Target.
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  std::string path = "/socket/websocket";
  std::string sources_spec;  // as given, passed on to workers
  std::vector<boost::asio::ip::address_v4> sources;

  // Connections.
  std::size_t connections = 1000;  // `connections`, `presence-storm`, `rooms` (--clients): N; workers: the total
  std::string topic;
  std::size_t topics = 1;
  int server_pid = 0;
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

  // Rooms: clients per room (`rooms` also uses duration, warm-up and drain above).
  std::size_t room_size = 10;

  // Worker: which slice of the connections this process owns.
  std::size_t worker_index = 0;
  std::size_t worker_count = 1;
};

// Parses argv; on error returns false and sets `error`.
bool parse_options(int argc, char** argv, Options& out, std::string& error);

// The usage text printed on a command-line error.
const char* usage();

}  // namespace roost::bench
