// Role: `roost-bench soak`: holds N connections in rooms of about --room-size for --duration
// seconds with steady traffic and continuous churn (soak_fleet.h) while sampling the server's
// RSS and open descriptors every second, then reports errors, delivery latency, RSS at start,
// after the warm-up and at the end with its least-squares slope after the warm-up, and whether
// the descriptors came back to their baseline once every client had left. Exits 1 on any
// error or when they did not.
// Thread affinity: the main thread. Ownership: owns its worker processes.
#pragma once

#include "options.h"

namespace roost::bench {

int run_soak(const Options& o);

}  // namespace roost::bench
