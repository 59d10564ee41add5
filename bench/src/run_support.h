// Role: what the parent side of every scenario does the same way: check that each process's
// share of sockets fits its open-file limit, sample the CPU of the server, the generator and
// the machine, wait for late deliveries after a measurement window, merge the workers'
// latency histograms and write the latency percentiles.
// Thread affinity: the parent's thread (the one running its io_context). Ownership: none.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "child_set.h"
#include "delivery_cpu.h"
#include "histogram.h"
#include "json_writer.h"
#include "proc_stats.h"

namespace roost::bench {

// Raises the open-file limit; an error text if `connections` split over `processes` would not
// fit it, empty if they do.
std::string open_file_budget_error(std::size_t connections, std::size_t processes);

struct CpuSample {
  double server = 0, client = 0;  // CPU seconds: the server (0 without a pid), the generator
  HostCpu host;
};
// `server` sums the CPU of every pid given (the nodes of a cluster); none: not sampled.
CpuSample sample_cpu(const std::vector<int>& server_pids, const ChildSet& workers);

inline double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// After a window ending at window_end_ns: asks the workers for their counts every 100 ms until
// `received(counts)` reaches `expected(counts)`, nothing new arrived for a second, or
// drain_seconds passed. Returns the seconds waited since the window's end (nothing, with
// `error`, if a worker stopped answering).
using CountFn = std::function<std::uint64_t(const std::vector<ControlLine>&)>;
std::optional<double> drain_deliveries(boost::asio::io_context& io, ChildSet& workers, std::int64_t window_end_ns,
                                       double drain_seconds, const CountFn& expected, const CountFn& received,
                                       std::string& error);

// Asks every worker for its "report" line and merges their "hist" fields into `latency`
// (nothing, with `error`, if a worker does not answer or sends a malformed histogram).
std::optional<std::vector<ControlLine>> collect_reports(ChildSet& workers, Histogram& latency, std::string& error);

// The CPU used between two samples over a window of window_s seconds with `deliveries`
// received in it.
DeliveryCpu cpu_between(const CpuSample& before, const CpuSample& after, bool has_server, double window_s,
                        std::uint64_t deliveries);

// {"p50","p90","p99","p99_9","max","mean"} in milliseconds.
JsonObject latency_json(const Histogram& latency_ns);

// The delivery counts of one measurement window (fanout step, rooms run).
struct DeliveryCounts {
  std::uint64_t expected = 0;   // shouts sent in the window × their recipients
  std::uint64_t received = 0;   // deliveries of those shouts that arrived
  std::uint64_t in_window = 0;  // deliveries received inside the window
  double window_s = 1;
  double drain_s = 0;
  std::int64_t missing() const { return static_cast<std::int64_t>(expected) - static_cast<std::int64_t>(received); }
  double per_second() const { return static_cast<double>(in_window) / window_s; }
};

// Adds expected/received/missing_deliveries, deliveries_per_s, drain_s and latency_ms.
void add_deliveries(JsonObject& j, const DeliveryCounts& d, const Histogram& latency_ns);

// "<d/s> deliveries/s, <received>/<expected> received, p50 .. p99 .. max .. ms, server .. cores
// (.. us/delivery), client .. cores, machine .. of .. cores busy": the stderr line's tail.
std::string describe_deliveries(const DeliveryCounts& d, const Histogram& latency_ns, const DeliveryCpu& cpu);

}  // namespace roost::bench
