// Role: `roost-bench connections`: the server's resident memory per idle joined connection
// and the connect+join rate. Samples the server's VmRSS, opens N connections from M worker
// processes, waits for every join reply, lets the server settle, samples VmRSS again, holds,
// and closes everything.
// Thread affinity: the main thread. Ownership: owns the worker processes it starts.
#pragma once

#include "options.h"

namespace roost::bench {

int run_connections(const Options& options);

}  // namespace roost::bench
