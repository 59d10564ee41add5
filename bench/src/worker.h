// Role: the body of a worker process (`roost-bench worker ...`, started by the parent). It
// opens its slice of the connections, reports "ready", then obeys the parent's commands on
// stdin and answers on stdout (control_lines.h). It exits on "quit" or when stdin closes,
// so it never outlives its parent.
// Thread affinity: one thread, one io_context. Ownership: owns its Fleet.
#pragma once

#include "options.h"

namespace roost::bench {

int run_worker(const Options& options);

}  // namespace roost::bench
