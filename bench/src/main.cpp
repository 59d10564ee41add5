// roost-bench: load generator for Roost (bench/README.md). Subcommands `connections`,
// `fanout`, `presence-storm`, `rooms` and `soak`; `worker`, `presence-worker`, `rooms-worker` and
// `soak-worker` are the internal modes of the child processes they start.
#include <csignal>
#include <cstdio>
#include <string>

#include "connections_cmd.h"
#include "fanout_cmd.h"
#include "options.h"
#include "presence_storm_cmd.h"
#include "presence_worker.h"
#include "rooms_cmd.h"
#include "rooms_worker.h"
#include "soak_cmd.h"
#include "soak_worker.h"
#include "worker.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  roost::bench::Options options;
  std::string error;
  if (!roost::bench::parse_options(argc, argv, options, error)) {
    std::fprintf(stderr, "roost-bench: %s\n%s", error.c_str(), roost::bench::usage());
    return 2;
  }
  if (options.command == "connections") return roost::bench::run_connections(options);
  if (options.command == "fanout") return roost::bench::run_fanout(options);
  if (options.command == "presence-storm") return roost::bench::run_presence_storm(options);
  if (options.command == "presence-worker") return roost::bench::run_presence_worker(options);
  if (options.command == "rooms") return roost::bench::run_rooms(options);
  if (options.command == "rooms-worker") return roost::bench::run_rooms_worker(options);
  if (options.command == "soak") return roost::bench::run_soak(options);
  if (options.command == "soak-worker") return roost::bench::run_soak_worker(options);
  return roost::bench::run_worker(options);
}
