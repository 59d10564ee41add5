#include "fanout_cmd.h"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "child_set.h"
#include "clock.h"
#include "histogram.h"
#include "delivery_cpu.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "publisher.h"
#include "pump.h"
#include "run_support.h"
#include "stalled_clients.h"
#include "target.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench fanout: %s\n", message.c_str());
  return 1;
}

// What the sweep needs of a step to tell whether the server saturated.
struct StepResult {
  double deliveries_per_s = 0;
  double p99_ms = 0;
  std::int64_t missing = 0;
};

// Saturation (with --saturation-p99-ms): the throughput stopped growing, the latency exploded,
// or deliveries were lost or still missing after the drain.
bool saturated(const StepResult& r, double best_before, double p99_limit_ms) {
  return r.deliveries_per_s < best_before * 1.05 || r.p99_ms > p99_limit_ms || r.missing > 0;
}

class FanoutRun {
 public:
  FanoutRun(const Options& o, boost::asio::io_context& io, ChildSet& workers, Publisher& pub, std::uint64_t subscribers,
            StalledClients* stalled)
      : o_(o), io_(io), workers_(workers), pub_(pub), subscribers_(subscribers), stalled_(stalled) {}

  // One rate step; prints its JSON line (`saturated`: null unless the sweep watches for it).
  // Non-zero on a failure that ends the run.
  int step(double rate, double best_before, StepResult& result) {
    const std::int64_t start = mono_ns() + 200'000'000;
    const std::int64_t window_start = start + seconds_to_ns(o_.warmup_seconds);
    const std::int64_t window_end = start + seconds_to_ns(o_.duration_seconds);
    const double window_s = static_cast<double>(window_end - window_start) / 1e9;
    workers_.send_all(LineBuilder("window").add_signed("start", window_start).add_signed("end", window_end).text());
    pub_.run(rate, start, window_end, window_start, window_end);
    pump_to(io_, window_start);
    const CpuSample cpu0 = sample_cpu(o_.server_pids, workers_);
    pump_to(io_, window_end);
    const CpuSample cpu1 = sample_cpu(o_.server_pids, workers_);
    if (pub_.failed()) return fail(pub_.failure_text());

    const PublishStats& ps = pub_.stats();
    const std::uint64_t expected = ps.sent_in * subscribers_;
    std::string error;
    const auto drain_s = drain_deliveries(
        io_, workers_, window_end, o_.drain_seconds, [expected](const auto&) { return expected; },
        [](const auto& counts) { return sum_field(counts, "sent_in"); }, error);
    if (!drain_s) return fail(error);
    Histogram latency;
    const auto reports = collect_reports(workers_, latency, error);
    if (!reports) return fail(error);
    const std::uint64_t received = sum_field(*reports, "sent_in");
    const std::uint64_t in_window = sum_field(*reports, "recv_in");
    const DeliveryCpu cpu = cpu_between(cpu0, cpu1, o_.server_pid > 0, window_s, in_window);

    JsonObject errors;
    for (const char* key : {"dropped_after_join", "server_closes", "channel_errors"})
      errors.add(key, sum_field(*reports, key));
    errors.add("publisher_acks_error", ps.acks_error).add("no_timestamp", sum_field(*reports, "no_time"));

    const DeliveryCounts counts{expected, received, in_window, window_s, *drain_s};
    result.deliveries_per_s = counts.per_second();
    result.p99_ms = ms(latency.percentile(0.99));
    result.missing = counts.missing();

    JsonObject j;
    j.add("mode", "fanout")
        .add("protocol", protocol_name(o_.protocol))
        .add("servers", static_cast<std::uint64_t>(o_.ports.size()))
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
        .add("publisher_max_burst", ps.max_burst);
    add_deliveries(j, counts, latency);
    add_delivery_cpu(j, cpu);
    j.add("errors", errors);
    if (o_.saturation_p99_ms > 0) j.add("saturated", saturated(result, best_before, o_.saturation_p99_ms));
    else j.add_null("saturated");
    if (o_.server_pid > 0)
      if (auto rss = rss_kb(o_.server_pid)) j.add("server_rss_kb", static_cast<std::int64_t>(*rss));
    if (stalled_) add_stalled(j);
    std::printf("%s\n", j.str().c_str());
    std::fflush(stdout);

    std::fprintf(stderr, "fanout rate %g/s (achieved %.1f): %s\n", rate, static_cast<double>(ps.sent_in) / window_s,
                 describe_deliveries(counts, latency, cpu).c_str());
    return 0;
  }

 private:
  // The stalled subscribers read again: those the server dropped see EOF or a close within a
  // moment, the others go on receiving.
  void add_stalled(JsonObject& j) {
    const std::size_t stalled = stalled_->stalled();
    stalled_->resume();
    pump_for(io_, 2.0);
    j.add("stalled", static_cast<std::uint64_t>(stalled_->count()))
        .add("stalled_joined", static_cast<std::uint64_t>(stalled))
        .add("stalled_disconnected", static_cast<std::uint64_t>(stalled_->disconnected()));
    std::fprintf(stderr, "fanout: %zu of %zu stalled subscribers were disconnected by the server\n",
                 stalled_->disconnected(), stalled);
  }

  const Options& o_;
  boost::asio::io_context& io_;
  ChildSet& workers_;
  Publisher& pub_;
  std::uint64_t subscribers_;
  StalledClients* stalled_;
};

}  // namespace

int run_fanout(const Options& o) {
  std::string error = open_file_budget_error(o.subscribers, o.processes);
  if (!error.empty()) return fail(error);
  auto targets = make_targets(o, error);
  if (!targets) return fail(error);

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

  // The publisher talks to the first server; with several (a cluster), the others get its
  // shouts through the cluster.
  Publisher pub(io, targets->front(), o.protocol, o.topic, o.payload_bytes);
  pub.start(o.sources.empty() ? nullptr : &o.sources.front());
  if (!pump_until(io, [&] { return pub.joined() || pub.failed(); }, mono_ns() + seconds_to_ns(10)))
    return fail("the publisher did not join within 10 s");
  if (pub.failed()) return fail(pub.failure_text());
  pump_for(io, 1.0);

  std::unique_ptr<StalledClients> stalled;
  if (o.stalled > 0) {
    stalled = std::make_unique<StalledClients>(io, o.stalled, o.protocol, o.topic);
    stalled->start(targets->front(), o.sources.empty() ? nullptr : &o.sources.back());
    if (!pump_until(io, [&] { return stalled->settled(); }, mono_ns() + seconds_to_ns(20)))
      return fail("the stalled subscribers did not join within 20 s");
    if (stalled->stalled() == 0) return fail("no stalled subscriber joined");
  }

  FanoutRun run(o, io, workers, pub, subscribers, stalled.get());
  double best = 0;
  for (std::size_t i = 0; i < o.rates.size(); ++i) {
    if (i > 0) pump_for(io, 1.0);
    StepResult r;
    if (const int rc = run.step(o.rates[i], best, r); rc != 0) return rc;
    if (o.saturation_p99_ms > 0 && saturated(r, best, o.saturation_p99_ms)) {
      std::fprintf(stderr, "roost-bench fanout: saturated at %g/s; the sweep stops here\n", o.rates[i]);
      break;
    }
    best = std::max(best, r.deliveries_per_s);
  }
  pub.close();
  if (stalled) stalled->abort_all();
  pump_for(io, 0.2);
  workers.stop_all(5.0);
  return 0;
}

}  // namespace roost::bench
