// Role: the `rooms` subcommand (bench/README.md): C clients in C / room-size rooms, each
// client shouting once per second to its room; reports deliveries/s, latency, and server and
// client CPU per delivery as one JSON line.
// Thread affinity: the main thread. Ownership: owns its io_context and worker processes.
#pragma once

#include "options.h"

namespace roost::bench {

int run_rooms(const Options& o);

}  // namespace roost::bench
