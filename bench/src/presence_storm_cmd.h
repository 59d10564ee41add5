// Role: the `presence-storm` subcommand (bench/README.md): N clients join one presence topic
// at once, each keeping its presence list as the JS client does; reports when the last join
// reply came, when every list was complete, the presence traffic it took, and the server's
// CPU and memory over the storm.
// Thread affinity: the main thread (one io_context serving the worker pipes). Ownership: owns
// its worker processes for the duration of the run.
#pragma once

#include "options.h"

namespace roost::bench {

int run_presence_storm(const Options& options);

}  // namespace roost::bench
