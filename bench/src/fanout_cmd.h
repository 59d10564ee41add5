// Role: `roost-bench fanout`: broadcast throughput, latency and server CPU per delivery. S
// subscribers (in M worker processes) and one publisher join a topic; the publisher shouts
// timestamped payloads at each rate of the sweep for D seconds; the first warm-up second is
// left out of every figure. One JSON line per rate.
// Thread affinity: the main thread (publisher and worker pipes on one io_context).
// Ownership: owns the worker processes and the publisher.
#pragma once

#include "options.h"

namespace roost::bench {

int run_fanout(const Options& options);

}  // namespace roost::bench
