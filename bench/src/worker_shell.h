// Role: WorkerShell, what every child worker process of roost-bench does the same way,
// whatever its fleet: open the fleet, say "ready" (or time out), read control lines from
// the parent on stdin, answer on stdout, and on "quit" (or the parent going away) close
// every connection politely within a grace period, then stop. A worker supplies only its
// fleet's configuration, its counter line and the verbs of its scenario.
// Thread affinity: single-threaded; everything runs on the io_context passed in.
// Ownership: owns the fleet and the stdin descriptor (a dup, closed with the shell).
#pragma once

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <istream>
#include <string>

#include "control_lines.h"
#include "options.h"
#include "proc_stats.h"
#include "target.h"

namespace roost::bench {

// One line to the parent; a vanished parent is noticed as stdin EOF, not here.
inline void write_line(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// Derived provides: `LineBuilder counters(std::string_view verb) const` and
// `void handle(const ControlLine&)` for its own verbs ("quit" is handled here).
template <class Derived, class FleetT>
class WorkerShell {
 public:
  void start() {
    deadline_.expires_after(timeout_);
    deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) report_ready(true);
    });
    fleet_.start([this] { report_ready(false); });
    read_command();
  }

 protected:
  WorkerShell(boost::asio::io_context& io, const Options& o, typename FleetT::Config config)
      : io_(io),
        in_(io, ::dup(STDIN_FILENO)),
        deadline_(io),
        timeout_(std::chrono::milliseconds(static_cast<long>(o.timeout_seconds * 1000))),
        fleet_(io, std::move(config)) {}

 private:
  void report_ready(bool timed_out) {
    if (ready_sent_) return;
    ready_sent_ = true;
    deadline_.cancel();
    write_line(self().counters("ready").add("timed_out", timed_out ? 1u : 0u).text());
  }

  void read_command() {
    boost::asio::async_read_until(in_, buf_, '\n', [this](const boost::system::error_code& ec, std::size_t) {
      if (ec) return shutdown(0.0);  // the parent went away
      std::string line;
      std::istream is(&buf_);
      std::getline(is, line);
      const ControlLine cmd = parse_control_line(line);
      if (cmd.verb == "quit") {
        shutdown(2.0);
      } else {
        self().handle(cmd);
      }
      if (!quitting_) read_command();
    });
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

  Derived& self() { return static_cast<Derived&>(*this); }

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor in_;
  boost::asio::streambuf buf_;
  boost::asio::steady_timer deadline_;
  std::chrono::steady_clock::duration timeout_;
  std::chrono::steady_clock::time_point close_deadline_{};
  bool ready_sent_ = false;
  bool quitting_ = false;

 protected:
  FleetT fleet_;  // last: its connections go before the timers and stdin they may use
};

// The body of a worker process: a target from the options, one io_context, run to the end.
template <class W>
int run_worker_process(const Options& o, const char* name) {
  raise_open_file_limit();
  std::string error;
  auto targets = make_targets(o, error);
  if (!targets) {
    std::fprintf(stderr, "roost-bench %s: %s\n", name, error.c_str());
    return 1;
  }
  boost::asio::io_context io(1);
  {
    W worker(io, o, std::move(*targets));
    worker.start();
    io.run();
  }
  return 0;
}

}  // namespace roost::bench
