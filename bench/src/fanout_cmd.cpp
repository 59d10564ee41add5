#include "fanout_cmd.h"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>

#include "child_set.h"
#include "clock.h"
#include "histogram.h"
#include "delivery_cpu.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "publisher.h"
#include "pump.h"
#include "target.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench fanout: %s\n", message.c_str());
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

class FanoutRun {
 public:
  FanoutRun(const Options& o, boost::asio::io_context& io, ChildSet& workers, Publisher& pub, std::uint64_t subscribers)
      : o_(o), io_(io), workers_(workers), pub_(pub), subscribers_(subscribers) {}

  // One rate step; prints its JSON line. Non-zero on a failure that ends the run.
  int step(double rate) {
    const std::int64_t start = mono_ns() + 200'000'000;
    const std::int64_t window_start = start + seconds_to_ns(o_.warmup_seconds);
    const std::int64_t window_end = start + seconds_to_ns(o_.duration_seconds);
    const double window_s = static_cast<double>(window_end - window_start) / 1e9;
    workers_.send_all(LineBuilder("window").add_signed("start", window_start).add_signed("end", window_end).text());
    pub_.run(rate, start, window_end, window_start, window_end);
    pump_to(io_, window_start);
    const CpuSample cpu0 = sample_cpu(o_, workers_);
    pump_to(io_, window_end);
    const CpuSample cpu1 = sample_cpu(o_, workers_);
    if (pub_.failed()) return fail(pub_.failure_text());

    const PublishStats& ps = pub_.stats();
    const std::uint64_t expected = ps.sent_in * subscribers_;
    std::string error;
    // Late deliveries: wait until all arrived, nothing arrived for a second, or the bound.
    std::uint64_t last = 0;
    std::int64_t last_growth = mono_ns();
    const std::int64_t drain_deadline = window_end + seconds_to_ns(o_.drain_seconds);
    while (true) {
      workers_.send_all("count\n");
      auto counts = workers_.collect("count", mono_ns() + seconds_to_ns(10), error);
      if (!counts) return fail(error);
      const std::uint64_t got = sum_field(*counts, "sent_in");
      const std::int64_t now = mono_ns();
      if (got >= expected || now >= drain_deadline) break;
      if (got > last) {
        last = got;
        last_growth = now;
      } else if (now - last_growth > 1'000'000'000) {
        break;
      }
      pump_for(io_, 0.1);
    }
    const double drain_s = static_cast<double>(mono_ns() - window_end) / 1e9;
    workers_.send_all("report\n");
    auto reports = workers_.collect("report", mono_ns() + seconds_to_ns(10), error);
    if (!reports) return fail(error);

    Histogram latency;
    for (const auto& r : *reports) {
      Histogram h;
      if (!h.decode(r.str("hist"))) return fail("malformed histogram from a worker");
      latency.merge(h);
    }
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
    for (const char* key : {"dropped_after_join", "server_closes", "channel_errors"})
      errors.add(key, sum_field(*reports, key));
    errors.add("publisher_acks_error", ps.acks_error).add("no_timestamp", sum_field(*reports, "no_time"));

    JsonObject j;
    j.add("mode", "fanout")
        .add("subscribers", subscribers_)
        .add("subscribers_live", sum_field(*reports, "live"))
        .add("processes", static_cast<std::uint64_t>(o_.processes))
        .add("payload_bytes", static_cast<std::uint64_t>(o_.payload_bytes))
        .add("rate_target", rate)
        .add("duration_s", o_.duration_seconds)
        .add("window_s", window_s)
        .add("publishes", ps.sent)
        .add("publishes_in_window", ps.sent_in)
        .add("rate_achieved", static_cast<double>(ps.sent_in) / window_s)
        .add("publisher_max_burst", ps.max_burst)
        .add("expected_deliveries", expected)
        .add("received_deliveries", received)
        .add("missing_deliveries", static_cast<std::int64_t>(expected) - static_cast<std::int64_t>(received))
        .add("deliveries_per_s", static_cast<double>(in_window) / window_s)
        .add("drain_s", drain_s)
        .add("latency_ms", lat);
    const DeliveryCpu cpu{o_.server_pid > 0, server_cpu, client_cpu, host_busy, host_cores, window_s, in_window};
    add_delivery_cpu(j, cpu);
    j.add("errors", errors);
    std::printf("%s\n", j.str().c_str());
    std::fflush(stdout);

    std::fprintf(stderr,
                 "fanout rate %g/s (achieved %.1f): %.0f deliveries/s, %llu/%llu received, p50 %.2f p99 %.2f max "
                 "%.2f ms, server %.2f cores (%.2f us/delivery), client %.2f cores, machine %.2f of %.0f cores busy\n",
                 rate, static_cast<double>(ps.sent_in) / window_s, static_cast<double>(in_window) / window_s,
                 static_cast<unsigned long long>(received), static_cast<unsigned long long>(expected),
                 ms(latency.percentile(0.5)), ms(latency.percentile(0.99)), ms(latency.max()), server_cpu / window_s,
                 cpu.server_us_per_delivery(), client_cpu / window_s,
                 host_busy / window_s, host_cores);
    return 0;
  }

 private:
  const Options& o_;
  boost::asio::io_context& io_;
  ChildSet& workers_;
  Publisher& pub_;
  std::uint64_t subscribers_;
};

}  // namespace

int run_fanout(const Options& o) {
  const std::uint64_t fd_limit = raise_open_file_limit();
  const std::size_t per_process = (o.subscribers + o.processes - 1) / o.processes;
  if (per_process + 64 > fd_limit)
    return fail("each process would hold " + std::to_string(per_process) + " sockets but may open only " +
                std::to_string(fd_limit) + " files: raise --processes");
  std::string error;
  auto target = make_target(o, error);
  if (!target) return fail(error);

  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ChildSet workers(io);
  Options wo = o;
  wo.topics = 1;
  for (std::size_t i = 0; i < o.processes; ++i)
    if (!workers.spawn(worker_args(wo, o.subscribers, i, o.processes), error)) return fail(error);
  auto ready = workers.collect("ready", mono_ns() + seconds_to_ns(o.timeout_seconds + 10), error);
  if (!ready) return fail(error);
  const std::uint64_t subscribers = sum_field(*ready, "joined");
  if (subscribers < o.subscribers)
    std::fprintf(stderr, "roost-bench fanout: only %llu of %zu subscribers joined; measuring with those\n",
                 static_cast<unsigned long long>(subscribers), o.subscribers);
  if (subscribers == 0) return fail("no subscriber joined");

  Publisher pub(io, *target, o.topic, o.payload_bytes);
  pub.start(o.sources.empty() ? nullptr : &o.sources.front());
  if (!pump_until(io, [&] { return pub.joined() || pub.failed(); }, mono_ns() + seconds_to_ns(10)))
    return fail("the publisher did not join within 10 s");
  if (pub.failed()) return fail(pub.failure_text());
  pump_for(io, 1.0);

  FanoutRun run(o, io, workers, pub, subscribers);
  for (std::size_t i = 0; i < o.rates.size(); ++i) {
    if (i > 0) pump_for(io, 1.0);
    if (const int rc = run.step(o.rates[i]); rc != 0) return rc;
  }
  pub.close();
  pump_for(io, 0.2);
  workers.stop_all(5.0);
  return 0;
}

}  // namespace roost::bench
