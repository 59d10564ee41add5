// Role: the body of a presence-storm worker process (`roost-bench presence-worker ...`,
// started by the parent). It opens its slice of the clients and reports "ready"; on "go" it
// joins them all, says "complete" once every client's presence list is complete, and answers
// "count" and "report" with its counters (control_lines.h). It exits on "quit" or when stdin
// closes, so it never outlives its parent.
// Thread affinity: one thread, one io_context. Ownership: owns its PresenceFleet.
#pragma once

#include "options.h"

namespace roost::bench {

int run_presence_worker(const Options& options);

}  // namespace roost::bench
