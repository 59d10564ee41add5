#include "presence_worker.h"

#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <istream>

#include "clock.h"
#include "control_lines.h"
#include "presence_fleet.h"
#include "proc_stats.h"
#include "target.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

// Incomplete clients listed by name in a report, so a bad run points at examples.
constexpr std::size_t kIncompleteListed = 20;

void write_line(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // parent gone; stdin EOF will end us
    done += static_cast<std::size_t>(n);
  }
}

class PresenceWorker {
 public:
  PresenceWorker(asio::io_context& io, const Options& o, UpgradeTarget target)
      : io_(io), in_(io, ::dup(STDIN_FILENO)), deadline_(io), fleet_(io, fleet_config(o, std::move(target))) {
    timeout_ = std::chrono::milliseconds(static_cast<long>(o.timeout_seconds * 1000));
  }

  void start() {
    deadline_.expires_after(timeout_);
    deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) report_ready(true);
    });
    fleet_.start([this] { report_ready(false); });
    read_command();
  }

 private:
  static PresenceFleet::Config fleet_config(const Options& o, UpgradeTarget target) {
    PresenceFleet::Config c;
    c.target = std::move(target);
    c.sources = o.sources;
    c.topic = o.topic;
    c.first_index = o.connections * o.worker_index / o.worker_count;
    c.count = o.connections * (o.worker_index + 1) / o.worker_count - c.first_index;
    c.concurrency = o.concurrency;
    c.expected_keys = o.connections;
    return c;
  }

  LineBuilder with_counters(std::string_view verb) const {
    const StormCounters& c = fleet_.counters();
    LineBuilder b(verb);
    b.add("opened", c.opened)
        .add("live", fleet_.live())
        .add("joined", c.joined)
        .add("join_refused", c.join_refused)
        .add("failed_connect", c.failed_connect)
        .add("failed_handshake", c.failed_handshake)
        .add("failed_other", c.failed_other)
        .add("dropped", c.dropped)
        .add("server_closes", c.server_closes)
        .add("channel_errors", c.channel_errors)
        .add("diff_frames", c.diff_frames)
        .add("diff_bytes", c.diff_bytes)
        .add("state_frames", c.state_frames)
        .add("state_bytes", c.state_bytes)
        .add("complete", c.complete);
    return b;
  }

  void report_ready(bool timed_out) {
    if (ready_sent_) return;
    ready_sent_ = true;
    deadline_.cancel();
    write_line(with_counters("ready").add("timed_out", timed_out ? 1u : 0u).text());
  }

  void read_command() {
    asio::async_read_until(in_, buf_, '\n', [this](const boost::system::error_code& ec, std::size_t) {
      if (ec) return shutdown(0.0);  // the parent went away
      std::string line;
      std::istream is(&buf_);
      std::getline(is, line);
      handle(parse_control_line(line));
      if (!quitting_) read_command();
    });
  }

  void handle(const ControlLine& cmd) {
    if (cmd.verb == "go") {
      fleet_.storm(cmd.i64("start"), [] { write_line("complete\n"); });
    } else if (cmd.verb == "count") {
      write_line(with_counters("count").text());
    } else if (cmd.verb == "report") {
      write_line(report().text());
    } else if (cmd.verb == "quit") {
      shutdown(2.0);
    }
  }

  LineBuilder report() const {
    const StormCounters& c = fleet_.counters();
    std::string listed;
    const auto incomplete = fleet_.incomplete();
    for (std::size_t i = 0; i < incomplete.size() && i < kIncompleteListed; ++i) {
      if (!listed.empty()) listed += ',';
      listed += 'u' + std::to_string(incomplete[i].index) + ':' + std::to_string(incomplete[i].keys) +
                (incomplete[i].has_state ? "" : ":nostate");
    }
    std::size_t fewest = incomplete.empty() ? 0 : incomplete.front().keys;
    for (const auto& i : incomplete) fewest = std::min(fewest, i.keys);
    auto b = with_counters("report");
    b.add("diffs_buffered", c.diffs_buffered)
        .add("join_metas", c.join_metas)
        .add("redundant_join_metas", c.redundant_join_metas)
        .add("leave_metas", c.leave_metas)
        .add("malformed", c.malformed)
        .add("extra_states", c.extra_states)
        .add("regressions", c.regressions)
        .add("multi_meta_clients", fleet_.multi_meta_clients())
        .add("digest", fleet_.reference_digest())
        .add("digest_mismatches", fleet_.digest_mismatches())
        .add("incomplete", static_cast<std::uint64_t>(incomplete.size()))
        .add("fewest_keys", static_cast<std::uint64_t>(fewest))
        .add_signed("first_join_sent_ns", c.first_join_sent_ns)
        .add_signed("last_join_sent_ns", c.last_join_sent_ns)
        .add_signed("last_join_reply_ns", c.last_join_reply_ns)
        .add_signed("last_complete_ns", c.last_complete_ns)
        .add_signed("last_presence_ns", c.last_presence_ns)
        .add("hist", fleet_.complete_after_go().encode());
    if (!listed.empty()) b.add("incomplete_list", listed);
    return b;
  }

  // Closes every connection politely, waiting at most `grace` seconds, then stops.
  void shutdown(double grace) {
    quitting_ = true;
    deadline_.cancel();
    fleet_.close_all();
    close_deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(grace * 1000));
    poll_closed();
  }

  void poll_closed() {
    if (fleet_.live() == 0 || std::chrono::steady_clock::now() >= close_deadline_) {
      fleet_.abort_all();
      io_.stop();
      return;
    }
    deadline_.expires_after(std::chrono::milliseconds(20));
    deadline_.async_wait([this](const boost::system::error_code&) { poll_closed(); });
  }

  asio::io_context& io_;
  asio::posix::stream_descriptor in_;
  asio::streambuf buf_;
  asio::steady_timer deadline_;
  std::chrono::steady_clock::duration timeout_{};
  std::chrono::steady_clock::time_point close_deadline_{};
  PresenceFleet fleet_;
  bool ready_sent_ = false;
  bool quitting_ = false;
};

}  // namespace

int run_presence_worker(const Options& o) {
  raise_open_file_limit();
  std::string error;
  auto target = make_target(o, error);
  if (!target) {
    std::fprintf(stderr, "roost-bench presence-worker: %s\n", error.c_str());
    return 1;
  }
  asio::io_context io(1);
  {
    PresenceWorker worker(io, o, std::move(*target));
    worker.start();
    io.run();
  }
  return 0;
}

}  // namespace roost::bench
