#include "run_support.h"

#include <unistd.h>

#include <cstdio>

#include "clock.h"
#include "pump.h"

namespace roost::bench {

std::string open_file_budget_error(std::size_t connections, std::size_t processes) {
  const std::uint64_t fd_limit = raise_open_file_limit();
  const std::size_t per_process = (connections + processes - 1) / processes;
  if (per_process + 64 <= fd_limit) return {};
  return "each process would hold " + std::to_string(per_process) + " sockets but may open only " +
         std::to_string(fd_limit) + " files: raise --processes";
}

CpuSample sample_cpu(const std::vector<int>& server_pids, const ChildSet& workers) {
  CpuSample s;
  s.host = host_cpu();
  for (const int pid : server_pids) s.server += cpu_seconds(pid).value_or(0);
  s.client = cpu_seconds(::getpid()).value_or(0);
  for (pid_t pid : workers.pids()) s.client += cpu_seconds(pid).value_or(0);
  return s;
}

std::optional<double> drain_deliveries(boost::asio::io_context& io, ChildSet& workers, std::int64_t window_end_ns,
                                       double drain_seconds, const CountFn& expected, const CountFn& received,
                                       std::string& error) {
  std::uint64_t last = 0;
  std::int64_t last_growth = mono_ns();
  const std::int64_t deadline = window_end_ns + seconds_to_ns(drain_seconds);
  while (true) {
    workers.send_all("count\n");
    auto counts = workers.collect("count", mono_ns() + seconds_to_ns(10), error);
    if (!counts) return std::nullopt;
    const std::uint64_t got = received(*counts);
    const std::int64_t now = mono_ns();
    if (got >= expected(*counts) || now >= deadline) break;
    if (got > last) {
      last = got;
      last_growth = now;
    } else if (now - last_growth > 1'000'000'000) {
      break;
    }
    pump_for(io, 0.1);
  }
  return static_cast<double>(mono_ns() - window_end_ns) / 1e9;
}

std::optional<std::vector<ControlLine>> collect_reports(ChildSet& workers, Histogram& latency, std::string& error) {
  workers.send_all("report\n");
  auto reports = workers.collect("report", mono_ns() + seconds_to_ns(10), error);
  if (!reports) return std::nullopt;
  for (const auto& r : *reports) {
    Histogram h;
    if (!h.decode(r.str("hist"))) {
      error = "malformed histogram from a worker";
      return std::nullopt;
    }
    latency.merge(h);
  }
  return reports;
}

DeliveryCpu cpu_between(const CpuSample& before, const CpuSample& after, bool has_server, double window_s,
                        std::uint64_t deliveries) {
  return DeliveryCpu{has_server,
                     after.server - before.server,
                     after.client - before.client,
                     after.host.busy - before.host.busy,
                     (after.host.total - before.host.total) / window_s,
                     window_s,
                     deliveries};
}

JsonObject latency_json(const Histogram& latency) {
  JsonObject lat;
  lat.add("p50", ms(latency.percentile(0.50)))
      .add("p90", ms(latency.percentile(0.90)))
      .add("p99", ms(latency.percentile(0.99)))
      .add("p99_9", ms(latency.percentile(0.999)))
      .add("max", ms(latency.max()))
      .add("mean", latency.mean() / 1e6);
  return lat;
}

void add_deliveries(JsonObject& j, const DeliveryCounts& d, const Histogram& latency) {
  j.add("expected_deliveries", d.expected)
      .add("received_deliveries", d.received)
      .add("missing_deliveries", d.missing())
      .add("deliveries_per_s", d.per_second())
      .add("drain_s", d.drain_s)
      .add("latency_ms", latency_json(latency));
}

std::string describe_deliveries(const DeliveryCounts& d, const Histogram& latency, const DeliveryCpu& cpu) {
  char line[400];
  std::snprintf(line, sizeof line,
                "%.0f deliveries/s, %llu/%llu received, p50 %.2f p99 %.2f max %.2f ms, server %.2f cores (%.2f "
                "us/delivery), client %.2f cores, machine %.2f of %.0f cores busy",
                d.per_second(), static_cast<unsigned long long>(d.received),
                static_cast<unsigned long long>(d.expected), ms(latency.percentile(0.5)),
                ms(latency.percentile(0.99)), ms(latency.max()), cpu.server_s / d.window_s,
                cpu.server_us_per_delivery(), cpu.client_s / d.window_s, cpu.host_busy_s / d.window_s, cpu.host_cores);
  return line;
}

}  // namespace roost::bench
