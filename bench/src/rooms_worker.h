// Role: the internal `rooms-worker` mode: a child process of `roost-bench rooms` that runs one
// RoomsFleet and answers the parent over its stdin/stdout pipes (control_lines.h):
//   parent -> worker: "schedule send_start= send_end= start= end=", "count", "report", "quit"
//   worker -> parent: "ready ...", "count ...", "report ... hist=..."
// Thread affinity: the process's main thread. Ownership: owns its io_context and fleet.
#pragma once

#include "options.h"

namespace roost::bench {

int run_rooms_worker(const Options& o);

}  // namespace roost::bench
