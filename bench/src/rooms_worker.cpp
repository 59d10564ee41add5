#include "rooms_worker.h"

#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <istream>

#include "control_lines.h"
#include "proc_stats.h"
#include "rooms_fleet.h"
#include "target.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

void write_line(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // parent gone; stdin EOF will end us
    done += static_cast<std::size_t>(n);
  }
}

LineBuilder with_counters(std::string_view verb, const RoomsFleet& fleet) {
  const FleetCounters c = fleet.counters();
  const RoomsSendStats& s = fleet.sends();
  const DeliveryStats& d = fleet.deliveries();
  LineBuilder b(verb);
  b.add("joined", c.joined)
      .add("live", fleet.live())
      .add("join_refused", c.join_refused)
      .add("failed_connect", c.failed_connect)
      .add("failed_handshake", c.failed_handshake)
      .add("failed_other", c.failed_other)
      .add("dropped_after_join", c.dropped_after_join)
      .add("server_closes", c.server_closes)
      .add("channel_errors", c.channel_errors)
      .add("sends", s.sent)
      .add("sends_in", s.sent_in)
      .add("sends_skipped", s.skipped)
      .add("max_burst", s.max_burst)
      .add("max_lag_ns", s.max_lag_ns)
      .add("acks_ok", s.acks_ok)
      .add("acks_error", s.acks_error)
      .add("total", d.total)
      .add("sent_in", d.sent_in)
      .add("recv_in", d.recv_in)
      .add("no_time", d.no_time);
  return b;
}

class RoomsWorker {
 public:
  RoomsWorker(asio::io_context& io, const Options& o, UpgradeTarget target)
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
  static RoomsFleet::Config fleet_config(const Options& o, UpgradeTarget target) {
    RoomsFleet::Config c;
    c.target = std::move(target);
    c.sources = o.sources;
    c.topic_prefix = o.topic;
    c.rooms = o.connections / o.room_size;
    c.total = o.connections;
    c.first_index = o.connections * o.worker_index / o.worker_count;
    c.count = o.connections * (o.worker_index + 1) / o.worker_count - c.first_index;
    c.concurrency = o.concurrency;
    return c;
  }

  void report_ready(bool timed_out) {
    if (ready_sent_) return;
    ready_sent_ = true;
    deadline_.cancel();
    write_line(with_counters("ready", fleet_).add("timed_out", timed_out ? 1u : 0u).text());
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
    if (cmd.verb == "schedule") {
      fleet_.schedule(cmd.i64("send_start"), cmd.i64("send_end"), cmd.i64("start"), cmd.i64("end"));
    } else if (cmd.verb == "count") {
      write_line(LineBuilder("count")
                     .add("sent_in", fleet_.deliveries().sent_in)
                     .add("sends_in", fleet_.sends().sent_in)
                     .text());
    } else if (cmd.verb == "report") {
      write_line(with_counters("report", fleet_).add("hist", fleet_.deliveries().latency_ns.encode()).text());
    } else if (cmd.verb == "quit") {
      shutdown(2.0);
    }
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
  RoomsFleet fleet_;
  bool ready_sent_ = false;
  bool quitting_ = false;
};

}  // namespace

int run_rooms_worker(const Options& o) {
  raise_open_file_limit();
  std::string error;
  auto target = make_target(o, error);
  if (!target) {
    std::fprintf(stderr, "roost-bench rooms-worker: %s\n", error.c_str());
    return 1;
  }
  asio::io_context io(1);
  {
    RoomsWorker worker(io, o, std::move(*target));
    worker.start();
    io.run();
  }
  return 0;
}

}  // namespace roost::bench
