#include "rooms_cmd.h"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cstdio>

#include "child_set.h"
#include "clock.h"
#include "histogram.h"
#include "delivery_cpu.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "pump.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench rooms: %s\n", message.c_str());
  return 1;
}

struct CpuSample {
  double server = 0, client = 0;
  HostCpu host;
};

CpuSample sample_cpu(const Options& o, const ChildSet& workers) {
  CpuSample s;
  s.host = host_cpu();
  if (o.server_pid > 0) s.server = cpu_seconds(o.server_pid).value_or(0);
  s.client = cpu_seconds(::getpid()).value_or(0);
  for (pid_t pid : workers.pids()) s.client += cpu_seconds(pid).value_or(0);
  return s;
}

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

std::uint64_t max_field(const std::vector<ControlLine>& lines, std::string_view key) {
  std::uint64_t m = 0;
  for (const auto& l : lines) m = std::max(m, l.u64(key));
  return m;
}

}  // namespace

int run_rooms(const Options& o) {
  if (o.room_size == 0 || o.connections < o.room_size || o.connections % o.room_size != 0)
    return fail("--clients must be a positive multiple of --room-size");
  const std::uint64_t rooms = o.connections / o.room_size;
  const std::uint64_t fd_limit = raise_open_file_limit();
  const std::size_t per_process = (o.connections + o.processes - 1) / o.processes;
  if (per_process + 64 > fd_limit)
    return fail("each process would hold " + std::to_string(per_process) + " sockets but may open only " +
                std::to_string(fd_limit) + " files: raise --processes");

  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ChildSet workers(io);
  std::string error;
  for (std::size_t i = 0; i < o.processes; ++i) {
    auto args = worker_args(o, o.connections, i, o.processes);
    args[0] = "rooms-worker";
    args.push_back("--room-size");
    args.push_back(std::to_string(o.room_size));
    if (!workers.spawn(args, error)) return fail(error);
  }
  auto ready = workers.collect("ready", mono_ns() + seconds_to_ns(o.timeout_seconds + 10), error);
  if (!ready) return fail(error);
  const std::uint64_t joined = sum_field(*ready, "joined");
  if (joined == 0) return fail("no client joined");
  if (joined < o.connections)
    std::fprintf(stderr,
                 "roost-bench rooms: only %llu of %zu clients joined; the others do not send, and "
                 "expected_deliveries assumes full rooms\n",
                 static_cast<unsigned long long>(joined), o.connections);
  pump_for(io, 1.0);

  // Sends run over the whole duration; the first warm-up seconds are left out of the window.
  const std::int64_t start = mono_ns() + 200'000'000;
  const std::int64_t window_start = start + seconds_to_ns(o.warmup_seconds);
  const std::int64_t window_end = start + seconds_to_ns(o.duration_seconds);
  const double window_s = static_cast<double>(window_end - window_start) / 1e9;
  workers.send_all(LineBuilder("schedule")
                       .add_signed("send_start", start)
                       .add_signed("send_end", window_end)
                       .add_signed("start", window_start)
                       .add_signed("end", window_end)
                       .text());
  pump_to(io, window_start);
  const CpuSample cpu0 = sample_cpu(o, workers);
  pump_to(io, window_end);
  const CpuSample cpu1 = sample_cpu(o, workers);

  // Late deliveries: wait until all arrived, nothing arrived for a second, or the bound.
  std::uint64_t expected = 0, last = 0;
  std::int64_t last_growth = mono_ns();
  const std::int64_t drain_deadline = window_end + seconds_to_ns(o.drain_seconds);
  while (true) {
    workers.send_all("count\n");
    auto counts = workers.collect("count", mono_ns() + seconds_to_ns(10), error);
    if (!counts) return fail(error);
    // The server broadcasts to every member of the room, the sender included.
    expected = sum_field(*counts, "sends_in") * o.room_size;
    const std::uint64_t got = sum_field(*counts, "sent_in");
    const std::int64_t now = mono_ns();
    if (got >= expected || now >= drain_deadline) break;
    if (got > last) {
      last = got;
      last_growth = now;
    } else if (now - last_growth > 1'000'000'000) {
      break;
    }
    pump_for(io, 0.1);
  }
  const double drain_s = static_cast<double>(mono_ns() - window_end) / 1e9;
  workers.send_all("report\n");
  auto reports = workers.collect("report", mono_ns() + seconds_to_ns(10), error);
  if (!reports) return fail(error);

  Histogram latency;
  for (const auto& r : *reports) {
    Histogram h;
    if (!h.decode(r.str("hist"))) return fail("malformed histogram from a worker");
    latency.merge(h);
  }
  const std::uint64_t sends_in = sum_field(*reports, "sends_in");
  expected = sends_in * o.room_size;
  const std::uint64_t received = sum_field(*reports, "sent_in");
  const std::uint64_t in_window = sum_field(*reports, "recv_in");
  const double server_cpu = cpu1.server - cpu0.server;
  const double client_cpu = cpu1.client - cpu0.client;
  const double host_busy = cpu1.host.busy - cpu0.host.busy;
  const double host_cores = (cpu1.host.total - cpu0.host.total) / window_s;

  JsonObject lat;
  lat.add("p50", ms(latency.percentile(0.50)))
      .add("p90", ms(latency.percentile(0.90)))
      .add("p99", ms(latency.percentile(0.99)))
      .add("p99_9", ms(latency.percentile(0.999)))
      .add("max", ms(latency.max()))
      .add("mean", latency.mean() / 1e6);
  JsonObject errors;
  for (const char* key : {"dropped_after_join", "server_closes", "channel_errors", "acks_error", "no_time"})
    errors.add(key, sum_field(*reports, key));
  errors.add("join_failures", static_cast<std::uint64_t>(o.connections) - joined);

  JsonObject j;
  j.add("mode", "rooms")
      .add("clients", static_cast<std::uint64_t>(o.connections))
      .add("clients_joined", joined)
      .add("clients_live", sum_field(*reports, "live"))
      .add("room_size", static_cast<std::uint64_t>(o.room_size))
      .add("rooms", rooms)
      .add("processes", static_cast<std::uint64_t>(o.processes))
      .add("duration_s", o.duration_seconds)
      .add("window_s", window_s)
      .add("sends", sum_field(*reports, "sends"))
      .add("sends_in_window", sends_in)
      .add("send_rate", static_cast<double>(sends_in) / window_s)
      .add("sends_skipped", sum_field(*reports, "sends_skipped"))
      .add("sender_max_burst", max_field(*reports, "max_burst"))
      .add("sender_max_lag_ms", ms(static_cast<std::int64_t>(max_field(*reports, "max_lag_ns"))))
      .add("expected_deliveries", expected)
      .add("received_deliveries", received)
      .add("missing_deliveries", static_cast<std::int64_t>(expected) - static_cast<std::int64_t>(received))
      .add("deliveries_per_s", static_cast<double>(in_window) / window_s)
      .add("drain_s", drain_s)
      .add("latency_ms", lat);
  const DeliveryCpu cpu{o.server_pid > 0, server_cpu, client_cpu, host_busy, host_cores, window_s, in_window};
  add_delivery_cpu(j, cpu);
  j.add("errors", errors);
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  std::fprintf(stderr,
               "rooms %zu clients in %llu rooms: %.0f sends/s, %.0f deliveries/s, %llu/%llu received, p50 %.2f "
               "p99 %.2f max %.2f ms, server %.2f cores (%.2f us/delivery), client %.2f cores, machine %.2f of "
               "%.0f cores busy\n",
               o.connections, static_cast<unsigned long long>(rooms), static_cast<double>(sends_in) / window_s,
               static_cast<double>(in_window) / window_s, static_cast<unsigned long long>(received),
               static_cast<unsigned long long>(expected), ms(latency.percentile(0.5)), ms(latency.percentile(0.99)),
               ms(latency.max()), server_cpu / window_s,
               cpu.server_us_per_delivery(), client_cpu / window_s,
               host_busy / window_s, host_cores);
  workers.stop_all(5.0);
  return 0;
}

}  // namespace roost::bench
