// Role: the internal `soak-worker` mode: one child process holding its share of the soak
// clients (SoakFleet) and answering the parent's control lines: "go" (start the traffic and
// the churn), "stop" (end them), "report" (counters and the latency histogram).
// Thread affinity: single-threaded. Ownership: see WorkerShell.
#pragma once

#include "options.h"

namespace roost::bench {

int run_soak_worker(const Options& o);

}  // namespace roost::bench
