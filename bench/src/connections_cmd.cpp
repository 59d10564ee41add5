#include "connections_cmd.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>

#include "child_set.h"
#include "clock.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "pump.h"
#include "run_support.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench connections: %s\n", message.c_str());
  return 1;
}

void add_rss(JsonObject& j, std::string_view key, const std::optional<std::int64_t>& kb) {
  if (kb) j.add(key, *kb);
  else j.add_null(key);
}

}  // namespace

int run_connections(const Options& o) {
  if (auto budget = open_file_budget_error(o.connections, o.processes); !budget.empty()) return fail(budget);
  if (o.server_pid > 0 && !rss_kb(o.server_pid)) return fail("cannot read /proc/" + std::to_string(o.server_pid) + "/status");

  const auto rss_before = o.server_pid > 0 ? rss_kb(o.server_pid) : std::nullopt;
  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ChildSet workers(io);
  std::string error;
  const std::int64_t t0 = mono_ns();
  const HostCpu host0 = host_cpu();
  for (std::size_t i = 0; i < o.processes; ++i)
    if (!workers.spawn(worker_args(o, o.connections, i, o.processes), error)) return fail(error);
  auto ready = workers.collect("ready", t0 + seconds_to_ns(o.timeout_seconds + 10), error);
  if (!ready) return fail(error);
  const std::int64_t t_ready = mono_ns();
  const HostCpu host1 = host_cpu();
  const std::uint64_t joined = sum_field(*ready, "joined");
  const double connect_s = static_cast<double>(t_ready - t0) / 1e9;

  pump_for(io, o.settle_seconds);
  const auto rss_after = o.server_pid > 0 ? rss_kb(o.server_pid) : std::nullopt;
  // Anything lost while settling shows up in a fresh count.
  workers.send_all("report\n");
  auto settled = workers.collect("report", mono_ns() + seconds_to_ns(10), error);
  if (!settled) return fail(error);
  if (o.hold_seconds > 0) pump_for(io, o.hold_seconds);
  workers.send_all("report\n");
  auto held = workers.collect("report", mono_ns() + seconds_to_ns(10), error);
  if (!held) return fail(error);
  workers.stop_all(5.0);

  JsonObject errors;
  for (const char* key : {"join_refused", "failed_connect", "failed_handshake", "failed_other"})
    errors.add(key, sum_field(*ready, key));
  for (const char* key : {"dropped_after_join", "server_closes", "channel_errors"})
    errors.add(key, sum_field(*held, key));
  const std::uint64_t error_total = sum_field(*ready, "join_refused") + sum_field(*ready, "failed_connect") +
                                    sum_field(*ready, "failed_handshake") + sum_field(*ready, "failed_other") +
                                    sum_field(*held, "dropped_after_join");

  JsonObject j;
  j.add("mode", "connections")
      .add("protocol", protocol_name(o.protocol))
      .add("connections", static_cast<std::uint64_t>(o.connections))
      .add("topics", static_cast<std::uint64_t>(o.topics))
      .add("processes", static_cast<std::uint64_t>(o.processes))
      .add("sources", static_cast<std::uint64_t>(o.sources.size()))
      .add("joined", joined)
      .add("live_after_settle", sum_field(*settled, "live"))
      .add("live_after_hold", sum_field(*held, "live"))
      .add("connect_join_seconds", connect_s)
      .add("joins_per_second", static_cast<double>(joined) / connect_s)
      .add("host_cores_busy_while_connecting", (host1.busy - host0.busy) / connect_s);
  add_rss(j, "rss_before_kb", rss_before);
  add_rss(j, "rss_after_kb", rss_after);
  if (rss_before && rss_after && joined > 0)
    j.add("rss_per_connection_bytes", static_cast<double>(*rss_after - *rss_before) * 1024.0 / static_cast<double>(joined));
  else
    j.add_null("rss_per_connection_bytes");
  j.add("settle_seconds", o.settle_seconds).add("hold_seconds", o.hold_seconds).add("errors", errors).add("error_total", error_total);
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  std::fprintf(stderr, "connections: %llu/%zu joined in %.2f s (%.0f/s)", static_cast<unsigned long long>(joined),
               o.connections, connect_s, static_cast<double>(joined) / connect_s);
  if (rss_before && rss_after && joined > 0)
    std::fprintf(stderr, ", server RSS %lld -> %lld kB (%.0f B/connection)", static_cast<long long>(*rss_before),
                 static_cast<long long>(*rss_after),
                 static_cast<double>(*rss_after - *rss_before) * 1024.0 / static_cast<double>(joined));
  std::fprintf(stderr, ", %llu errors\n", static_cast<unsigned long long>(error_total));
  if (joined < o.connections || error_total > 0)
    return fail(std::to_string(o.connections - joined) + " connections did not join and " +
                std::to_string(sum_field(*held, "dropped_after_join")) + " were lost after joining");
  return 0;
}

}  // namespace roost::bench
