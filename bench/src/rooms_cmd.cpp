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
#include "run_support.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench rooms: %s\n", message.c_str());
  return 1;
}

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
  std::string error = open_file_budget_error(o.connections, o.processes);
  if (!error.empty()) return fail(error);

  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ChildSet workers(io);
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
  const CpuSample cpu0 = sample_cpu(o.server_pids, workers);
  pump_to(io, window_end);
  const CpuSample cpu1 = sample_cpu(o.server_pids, workers);

  // The server broadcasts to every member of the room, the sender included.
  const auto drain_s = drain_deliveries(
      io, workers, window_end, o.drain_seconds,
      [&o](const auto& counts) { return sum_field(counts, "sends_in") * o.room_size; },
      [](const auto& counts) { return sum_field(counts, "sent_in"); }, error);
  if (!drain_s) return fail(error);
  Histogram latency;
  const auto reports = collect_reports(workers, latency, error);
  if (!reports) return fail(error);
  const std::uint64_t sends_in = sum_field(*reports, "sends_in");
  const std::uint64_t expected = sends_in * o.room_size;
  const std::uint64_t received = sum_field(*reports, "sent_in");
  const std::uint64_t in_window = sum_field(*reports, "recv_in");
  const DeliveryCpu cpu = cpu_between(cpu0, cpu1, o.server_pid > 0, window_s, in_window);

  JsonObject errors;
  for (const char* key : {"dropped_after_join", "server_closes", "channel_errors", "acks_error", "no_time"})
    errors.add(key, sum_field(*reports, key));
  errors.add("join_failures", static_cast<std::uint64_t>(o.connections) - joined);

  JsonObject j;
  j.add("mode", "rooms")
      .add("protocol", protocol_name(o.protocol))
      .add("servers", static_cast<std::uint64_t>(o.ports.size()))
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
      .add("sender_max_lag_ms", ms(static_cast<std::int64_t>(max_field(*reports, "max_lag_ns"))));
  const DeliveryCounts counts{expected, received, in_window, window_s, *drain_s};
  add_deliveries(j, counts, latency);
  add_delivery_cpu(j, cpu);
  j.add("errors", errors);
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  std::fprintf(stderr, "rooms %zu clients in %llu rooms: %.0f sends/s, %s\n", o.connections,
               static_cast<unsigned long long>(rooms), static_cast<double>(sends_in) / window_s,
               describe_deliveries(counts, latency, cpu).c_str());
  workers.stop_all(5.0);
  return 0;
}

}  // namespace roost::bench
