// Role: the command line the parent gives each worker process, derived from its own options.
// Thread affinity: none. Ownership: returns values.
#pragma once

#include <string>
#include <vector>

#include "dialer.h"
#include "options.h"
#include "target.h"

namespace roost::bench {

// Arguments (after the program name) for worker `index` of `count`, owning its share of
// `total` connections.
std::vector<std::string> worker_args(const Options& o, std::size_t total, std::size_t index, std::size_t count);

// This worker's slice of the `--connections` total: global indices [first, first + count).
struct Share {
  std::size_t first = 0, count = 0;
};
Share share_of(const Options& o);

// The Dialer settings of this worker: the target, the source addresses, its share, the
// connection attempts in flight.
Dialer::Config dial_config(const Options& o, Targets targets);

// Sums a counter over the workers' lines.
struct ControlLine;
std::uint64_t sum_field(const std::vector<ControlLine>& lines, std::string_view key);

}  // namespace roost::bench
