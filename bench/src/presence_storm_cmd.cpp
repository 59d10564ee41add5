#include "presence_storm_cmd.h"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "child_set.h"
#include "clock.h"
#include "histogram.h"
#include "json_writer.h"
#include "proc_stats.h"
#include "pump.h"
#include "run_support.h"
#include "worker_args.h"

namespace roost::bench {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "roost-bench presence-storm: %s\n", message.c_str());
  return 1;
}

// VmHWM (peak resident set over the process's life) in kB. With a server started for this
// run, that is the peak of the connection phase and the storm.
std::optional<std::int64_t> hwm_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  return std::nullopt;
}

// The server's command line, space-separated, so a result line records the server settings
// it was measured with (the presence window, say).
std::optional<std::string> cmdline(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) return std::nullopt;
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& ch : text)
    if (ch == '\0') ch = ' ';
  return text;
}

// Samples the server's VmRSS every 50 ms while the storm runs, keeping the highest.
class RssSampler {
 public:
  RssSampler(boost::asio::io_context& io, pid_t pid) : timer_(io), pid_(pid) {
    if (pid_ > 0) tick();
  }
  ~RssSampler() { timer_.cancel(); }
  std::optional<std::int64_t> peak() const { return peak_; }

 private:
  void tick() {
    if (auto kb = rss_kb(pid_); kb && (!peak_ || *kb > *peak_)) peak_ = kb;
    timer_.expires_after(std::chrono::milliseconds(50));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  }
  boost::asio::steady_timer timer_;
  pid_t pid_;
  std::optional<std::int64_t> peak_;
};

double seconds_since(std::int64_t from, std::int64_t to) { return static_cast<double>(to - from) / 1e9; }

std::int64_t max_field(const std::vector<ControlLine>& lines, std::string_view key) {
  std::int64_t m = 0;
  for (const auto& l : lines) m = std::max(m, l.i64(key));
  return m;
}

void add_opt(JsonObject& j, std::string_view key, const std::optional<std::int64_t>& v) {
  if (v) j.add(key, *v);
  else j.add_null(key);
}

}  // namespace

int run_presence_storm(const Options& o) {
  const std::size_t n = o.connections;
  if (n == 0) return fail("--clients must be positive");
  if (auto budget = open_file_budget_error(n, o.processes); !budget.empty()) return fail(budget);
  if (o.server_pid > 0 && !rss_kb(o.server_pid)) return fail("cannot read /proc/" + std::to_string(o.server_pid) + "/status");
  const auto server_cmdline = o.server_pid > 0 ? cmdline(o.server_pid) : std::nullopt;

  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  ChildSet workers(io);
  std::string error;
  for (std::size_t i = 0; i < o.processes; ++i) {
    auto args = worker_args(o, n, i, o.processes);
    args.front() = "presence-worker";
    if (!workers.spawn(args, error)) return fail(error);
  }
  auto ready = workers.collect("ready", mono_ns() + seconds_to_ns(o.timeout_seconds + 10), error);
  if (!ready) return fail(error);
  const std::uint64_t opened = sum_field(*ready, "opened");
  if (opened < n)
    return fail("only " + std::to_string(opened) + " of " + std::to_string(n) + " connections opened (" +
                std::to_string(sum_field(*ready, "failed_connect")) + " connect, " +
                std::to_string(sum_field(*ready, "failed_handshake")) + " handshake, " +
                std::to_string(sum_field(*ready, "failed_other")) + " other failures)");
  // Let the server finish with the upgrades so the storm starts from a quiet server.
  pump_for(io, 1.0);

  const auto rss_before = o.server_pid > 0 ? rss_kb(o.server_pid) : std::nullopt;
  RssSampler rss(io, o.server_pid);
  const CpuSample cpu0 = sample_cpu(o.server_pids, workers);
  const std::int64_t t_go = mono_ns();
  workers.send_all(LineBuilder("go").add_signed("start", t_go).text());
  const std::int64_t deadline = t_go + seconds_to_ns(o.timeout_seconds);
  const bool all_complete = workers.collect("complete", deadline, error).has_value();
  if (!all_complete && mono_ns() < deadline) return fail(error);  // a worker died
  const CpuSample cpu1 = sample_cpu(o.server_pids, workers);

  // Presence frames may still be on their way after the last list completed (diffs already
  // reflected in a snapshot, say): count until nothing arrived for a second, at most 10 s.
  std::uint64_t last = 0;
  std::int64_t last_growth = mono_ns();
  const std::int64_t drain_deadline = mono_ns() + seconds_to_ns(10);
  while (true) {
    workers.send_all("count\n");
    auto counts = workers.collect("count", mono_ns() + seconds_to_ns(10), error);
    if (!counts) return fail(error);
    const std::uint64_t got = sum_field(*counts, "diff_frames") + sum_field(*counts, "state_frames");
    const std::int64_t now = mono_ns();
    if (got > last) {
      last = got;
      last_growth = now;
    } else if (now - last_growth > 1'000'000'000 || now >= drain_deadline) {
      break;
    }
    pump_for(io, 0.1);
  }
  const CpuSample cpu2 = sample_cpu(o.server_pids, workers);
  const std::int64_t t_cpu2 = mono_ns();
  const auto rss_peak = rss.peak();
  const auto hwm = o.server_pid > 0 ? hwm_kb(o.server_pid) : std::nullopt;
  workers.send_all("report\n");
  auto reports = workers.collect("report", mono_ns() + seconds_to_ns(30), error);
  if (!reports) return fail(error);
  workers.stop_all(5.0);

  Histogram complete_hist;
  for (const auto& r : *reports) {
    Histogram h;
    if (!h.decode(r.str("hist"))) return fail("malformed histogram from a worker");
    complete_hist.merge(h);
  }
  const std::uint64_t joined = sum_field(*reports, "joined");
  const std::uint64_t complete = sum_field(*reports, "complete");
  const std::uint64_t incomplete = sum_field(*reports, "incomplete");
  const std::int64_t last_reply = max_field(*reports, "last_join_reply_ns");
  const std::int64_t last_complete = max_field(*reports, "last_complete_ns");
  const double last_reply_s = last_reply > 0 ? seconds_since(t_go, last_reply) : 0.0;
  const double all_complete_s = seconds_since(t_go, last_complete);
  const std::uint64_t diff_frames = sum_field(*reports, "diff_frames");
  const std::uint64_t diff_bytes = sum_field(*reports, "diff_bytes");

  // Every complete list must hold the same (key, phx_ref) set, in every process.
  bool consistent = sum_field(*reports, "digest_mismatches") == 0;
  std::uint64_t digest = 0;
  for (const auto& r : *reports) {
    if (r.u64("complete") == 0) continue;
    if (digest == 0) digest = r.u64("digest");
    else if (r.u64("digest") != digest) consistent = false;
  }

  JsonObject pct;
  pct.add("p50", static_cast<double>(complete_hist.percentile(0.5)) / 1e9)
      .add("p90", static_cast<double>(complete_hist.percentile(0.9)) / 1e9)
      .add("p99", static_cast<double>(complete_hist.percentile(0.99)) / 1e9)
      .add("max", static_cast<double>(complete_hist.max()) / 1e9);

  JsonObject checks;
  for (const char* key : {"join_refused", "dropped", "server_closes", "channel_errors", "malformed", "extra_states",
                          "regressions", "multi_meta_clients", "digest_mismatches"})
    checks.add(key, sum_field(*reports, key));
  checks.add("views_consistent", consistent);

  std::string listed = "[";
  std::size_t fewest = n;
  for (const auto& r : *reports) {
    if (r.u64("incomplete") == 0) continue;
    fewest = std::min<std::size_t>(fewest, r.u64("fewest_keys"));
    std::string_view list = r.str("incomplete_list");
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string_view item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      const auto colon = item.find(':');
      const std::string_view rest = item.substr(colon + 1);
      const auto colon2 = rest.find(':');
      if (listed.size() > 1) listed += ',';
      listed += "{\"client\":";
      append_json_string(listed, item.substr(0, colon));
      listed += ",\"keys\":";
      listed += rest.substr(0, colon2);
      listed += ",\"has_state\":";
      listed += colon2 == std::string_view::npos ? "true" : "false";
      listed += '}';
    }
  }
  listed += ']';

  const std::int64_t last_presence = max_field(*reports, "last_presence_ns");
  const double sampled_s = seconds_since(t_go, t_cpu2);
  JsonObject j;
  j.add("mode", "presence-storm")
      .add("clients", static_cast<std::uint64_t>(n))
      .add("processes", static_cast<std::uint64_t>(o.processes))
      .add("sources", static_cast<std::uint64_t>(o.sources.size()))
      .add("topic", o.topic);
  if (server_cmdline) j.add("server_cmdline", *server_cmdline);
  else j.add_null("server_cmdline");
  j.add("joined", joined)
      .add("complete_clients", complete)
      .add("incomplete_clients", incomplete)
      .add("join_send_s", seconds_since(t_go, max_field(*reports, "last_join_sent_ns")))
      .add("last_join_reply_s", last_reply_s);
  if (all_complete) {
    j.add("all_complete_s", all_complete_s).add("complete_after_last_join_s", all_complete_s - last_reply_s);
  } else {
    j.add_null("all_complete_s").add_null("complete_after_last_join_s");
  }
  if (complete_hist.count() > 0) j.add("client_complete_s", pct);
  else j.add_null("client_complete_s");
  j.add("diff_frames", diff_frames)
      .add("diff_bytes", diff_bytes)
      .add("diff_frames_per_client", static_cast<double>(diff_frames) / static_cast<double>(n))
      .add("state_frames", sum_field(*reports, "state_frames"))
      .add("state_bytes", sum_field(*reports, "state_bytes"))
      .add("diffs_buffered", sum_field(*reports, "diffs_buffered"))
      .add("join_metas", sum_field(*reports, "join_metas"))
      .add("redundant_join_metas", sum_field(*reports, "redundant_join_metas"))
      .add("leave_metas", sum_field(*reports, "leave_metas"));
  if (last_presence > 0) j.add("last_presence_frame_s", seconds_since(t_go, last_presence));
  else j.add_null("last_presence_frame_s");
  j.add("cpu_sampled_s", sampled_s);
  if (o.server_pid > 0) {
    j.add("server_cpu_s", cpu2.server - cpu0.server).add("server_cpu_to_complete_s", cpu1.server - cpu0.server);
  } else {
    j.add_null("server_cpu_s").add_null("server_cpu_to_complete_s");
  }
  add_opt(j, "server_rss_before_kb", rss_before);
  add_opt(j, "server_rss_peak_kb", rss_peak);
  add_opt(j, "server_vm_hwm_kb", hwm);
  j.add("client_cpu_s", cpu2.client - cpu0.client)
      .add("host_cores", (cpu2.host.total - cpu0.host.total) / sampled_s)
      .add("host_cores_busy", (cpu2.host.busy - cpu0.host.busy) / sampled_s);
  // CPU used by neither side: another program competing for the cores spoils the run.
  if (o.server_pid > 0)
    j.add("other_cores_busy",
          ((cpu2.host.busy - cpu0.host.busy) - (cpu2.server - cpu0.server) - (cpu2.client - cpu0.client)) / sampled_s);
  else
    j.add_null("other_cores_busy");
  j.add("timeout_s", o.timeout_seconds)
      .add("checks", checks)
      .add_raw("incomplete", listed);
  if (incomplete > 0) j.add("fewest_keys", static_cast<std::uint64_t>(fewest));
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  const std::string outcome =
      all_complete ? "all complete " + std::to_string(all_complete_s) + " s (" +
                         std::to_string(all_complete_s - last_reply_s) + " s after the last reply)"
                   : "NOT complete after " + std::to_string(o.timeout_seconds) + " s: " + std::to_string(incomplete) +
                         " clients incomplete, the fewest keys " + std::to_string(fewest);
  std::fprintf(stderr,
               "presence-storm %zu clients: last join reply %.3f s, %s, %llu presence_diff frames (%.1f MB), "
               "%llu presence_state (%.1f MB), server CPU %.2f s, server peak RSS %lld kB\n",
               n, last_reply_s, outcome.c_str(), static_cast<unsigned long long>(diff_frames),
               static_cast<double>(diff_bytes) / 1e6,
               static_cast<unsigned long long>(sum_field(*reports, "state_frames")),
               static_cast<double>(sum_field(*reports, "state_bytes")) / 1e6,
               o.server_pid > 0 ? cpu2.server - cpu0.server : 0.0,
               static_cast<long long>(hwm.value_or(rss_peak.value_or(0))));
  if (!all_complete || !consistent || joined < n) return fail("the storm did not complete cleanly (see \"checks\")");
  return 0;
}

}  // namespace roost::bench
