#include "soak_cmd.h"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "child_set.h"
#include "clock.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "pump.h"
#include "run_support.h"
#include "soak_stats.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench soak: %s\n", message.c_str());
  return 1;
}

// Samples the server's VmRSS (kB) and open descriptors once a second while the parent's
// io_context runs, at seconds relative to `origin_ns` (negative before the traffic starts).
class ServerSampler {
 public:
  ServerSampler(boost::asio::io_context& io, int pid) : timer_(io), pid_(pid) {}
  void start(std::int64_t origin_ns) {
    origin_ns_ = origin_ns;
    if (pid_ > 0) sample();
  }
  void stop() { timer_.cancel(); }
  const std::vector<Sample>& rss() const noexcept { return rss_; }
  const std::vector<Sample>& fds() const noexcept { return fds_; }

 private:
  void sample() {
    const double t = static_cast<double>(mono_ns() - origin_ns_) / 1e9;
    if (auto kb = rss_kb(pid_)) rss_.push_back({t, static_cast<double>(*kb)});
    if (auto n = open_fds(pid_)) fds_.push_back({t, static_cast<double>(*n)});
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) sample();
    });
  }

  boost::asio::steady_timer timer_;
  int pid_;
  std::int64_t origin_ns_ = 0;
  std::vector<Sample> rss_, fds_;
};

// A kB figure, or null when it could not be read.
void add_kb(JsonObject& j, std::string_view key, std::optional<double> v) {
  if (v) j.add(key, static_cast<std::int64_t>(*v));
  else j.add_null(key);
}

// After every client left: polls the descriptors until they are back within the tolerance
// (at least `settle_s` after the clients left, at most 20 s), and returns the last count.
std::int64_t fds_after_leave(int pid, const FdVerdict& v, double settle_s) {
  const std::int64_t earliest = mono_ns() + seconds_to_ns(settle_s);
  const std::int64_t deadline = mono_ns() + seconds_to_ns(20);
  std::int64_t n = open_fds(pid).value_or(-1);
  while (mono_ns() < deadline) {
    n = open_fds(pid).value_or(-1);
    if (mono_ns() >= earliest && n >= 0 && n <= v.baseline + v.tolerance) break;
    ::usleep(250'000);
  }
  return n;
}

}  // namespace

int run_soak(const Options& o) {
  if (o.connections == 0 || o.room_size == 0) return fail("--connections and --room-size must be positive");
  std::string error = open_file_budget_error(o.connections, o.processes);
  if (!error.empty()) return fail(error);
  const int pid = o.server_pid;

  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ServerSampler sampler(io, pid);
  // Baseline: before any client connects.
  FdVerdict fds;
  fds.tolerance = static_cast<std::int64_t>(o.fd_tolerance);
  fds.baseline = pid > 0 ? open_fds(pid).value_or(-1) : -1;
  const std::optional<std::int64_t> rss_start = pid > 0 ? rss_kb(pid) : std::nullopt;

  ChildSet workers(io);
  const std::int64_t launched = mono_ns();
  // Times are seconds from the start of the traffic, fixed once everyone has joined; until
  // then samples count from the launch and are shifted below.
  sampler.start(launched);
  for (std::size_t i = 0; i < o.processes; ++i) {
    auto args = worker_args(o, o.connections, i, o.processes);
    args[0] = "soak-worker";
    for (const std::string& a : {std::string("--room-size"), std::to_string(o.room_size), std::string("--churn-per-second"),
                                 std::to_string(o.churn_per_second)})
      args.push_back(a);
    if (!workers.spawn(args, error)) return fail(error);
  }
  auto ready = workers.collect("ready", mono_ns() + seconds_to_ns(o.timeout_seconds + 10), error);
  if (!ready) return fail(error);
  const std::uint64_t joined = sum_field(*ready, "joined");
  const std::uint64_t initial_failures = sum_field(*ready, "join_failures");
  const double connect_s = static_cast<double>(mono_ns() - launched) / 1e9;
  if (joined == 0) return fail("no client joined");

  const std::int64_t start = mono_ns() + 200'000'000;
  const std::int64_t window = start + seconds_to_ns(o.warmup_seconds);
  const std::int64_t end = start + seconds_to_ns(o.duration_seconds);
  workers.send_all(LineBuilder("go").add_signed("start", start).add_signed("window", window).add_signed("end", end).text());
  std::fprintf(stderr, "soak: %llu of %zu joined in %.1f s; traffic and churn for %.0f s (warm-up %.0f s)\n",
               static_cast<unsigned long long>(joined), o.connections, connect_s, o.duration_seconds, o.warmup_seconds);
  pump_to(io, end);
  workers.send_all("stop\n");
  if (!workers.collect("stopped", mono_ns() + seconds_to_ns(10), error)) return fail(error);
  // Replies and deliveries of the last sends are still on their way.
  pump_for(io, std::min(o.drain_seconds, 3.0));
  Histogram latency;
  const auto reports = collect_reports(workers, latency, error);
  if (!reports) return fail(error);
  sampler.stop();
  const std::uint64_t live_at_end = sum_field(*reports, "live");
  workers.stop_all(15.0);  // every client closes politely, then the workers exit
  const double settle_s = 3.0;
  if (pid > 0) fds.after = fds_after_leave(pid, fds, settle_s);

  // Shift the samples to seconds since the traffic started.
  const double shift = static_cast<double>(start - launched) / 1e9;
  std::vector<Sample> rss = sampler.rss(), fd_samples = sampler.fds();
  for (auto* series : {&rss, &fd_samples})
    for (Sample& s : *series) s.t -= shift;
  fds.peak = static_cast<std::int64_t>(peak(fd_samples));
  const auto slope = least_squares_slope(rss, o.warmup_seconds, o.duration_seconds);

  JsonObject errors;
  std::uint64_t total = 0;
  for (const char* key : {"join_failures", "unexpected_closes", "channel_errors", "replies_error", "missing_replies", "no_time"}) {
    const std::uint64_t v = sum_field(*reports, key);
    errors.add(key, v);
    total += v;
  }
  // Clients that had neither joined nor failed when the workers said ready (timed out).
  const std::uint64_t unsettled = o.connections > joined + initial_failures ? o.connections - joined - initial_failures : 0;
  errors.add("unsettled_at_start", unsettled);
  total += unsettled;
  errors.add("total", total);

  const double traffic_s = o.duration_seconds;
  const std::uint64_t deliveries = sum_field(*reports, "deliveries");
  JsonObject rss_json;
  const std::optional<double> rss_warm = value_at(rss, o.warmup_seconds), rss_end = value_at(rss, o.duration_seconds);
  add_kb(rss_json, "start", rss_start ? std::optional<double>(static_cast<double>(*rss_start)) : std::nullopt);
  add_kb(rss_json, "after_warmup", rss_warm);
  add_kb(rss_json, "end", rss_end);
  add_kb(rss_json, "peak", rss.empty() ? std::nullopt : std::optional<double>(peak(rss)));
  rss_json.add("samples", static_cast<std::uint64_t>(rss.size()));
  JsonObject fd_json;
  fd_json.add("baseline", fds.baseline).add("peak", fds.peak).add("after", fds.after).add("tolerance", fds.tolerance);
  const bool fd_checked = pid > 0 && fds.baseline >= 0;
  if (fd_checked) fd_json.add("pass", fds.pass());
  else fd_json.add_null("pass");

  JsonObject j;
  j.add("mode", "soak")
      .add("connections", static_cast<std::uint64_t>(o.connections))
      .add("joined", joined)
      .add("connect_s", connect_s)
      .add("live_at_end", live_at_end)
      .add("processes", static_cast<std::uint64_t>(o.processes))
      .add("room_size", static_cast<std::uint64_t>(o.room_size))
      .add("duration_s", o.duration_seconds)
      .add("warmup_s", o.warmup_seconds)
      .add("churn_per_second", o.churn_per_second)
      .add("joins", sum_field(*reports, "joins"))
      .add("rejoins", sum_field(*reports, "rejoins"))
      .add("reconnects", sum_field(*reports, "reconnects"))
      .add("leaves", sum_field(*reports, "leaves"))
      .add("disconnects", sum_field(*reports, "disconnects"))
      .add("sends", sum_field(*reports, "sends"))
      .add("replies_ok", sum_field(*reports, "replies_ok"))
      .add("deliveries", deliveries)
      .add("deliveries_per_s", static_cast<double>(deliveries) / traffic_s)
      .add("deliveries_timed", sum_field(*reports, "deliveries_timed"))
      .add("latency_ms", latency_json(latency))
      .add("rss_kb", rss_json);
  if (slope) j.add("rss_slope_kb_per_min", *slope * 60.0);
  else j.add_null("rss_slope_kb_per_min");
  j.add("fds", fd_json).add("errors", errors);
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  const bool fd_ok = !fd_checked || fds.pass();
  std::fprintf(stderr,
               "soak %zu connections, %.0f s: %llu sends, %llu deliveries, p50 %.2f p99 %.2f ms, %llu errors; "
               "RSS %lld -> %lld -> %lld kB, slope %.1f kB/min after warm-up; fds %lld -> %lld -> %lld (%s)\n",
               o.connections, o.duration_seconds, static_cast<unsigned long long>(sum_field(*reports, "sends")),
               static_cast<unsigned long long>(deliveries), ms(latency.percentile(0.5)), ms(latency.percentile(0.99)),
               static_cast<unsigned long long>(total), static_cast<long long>(rss_start.value_or(-1)),
               static_cast<long long>(rss_warm.value_or(-1)), static_cast<long long>(rss_end.value_or(-1)), slope ? *slope * 60.0 : 0.0,
               static_cast<long long>(fds.baseline), static_cast<long long>(fds.peak), static_cast<long long>(fds.after),
               fd_checked ? (fds.pass() ? "back to baseline" : "NOT back to baseline") : "not sampled");
  return total == 0 && fd_ok ? 0 : 1;
}

}  // namespace roost::bench
