// Role: the parent's side of its worker processes: starts each one (fork + exec of this very
// program with the internal `worker` subcommand, stdin/stdout as pipes), reads their answer
// lines asynchronously, broadcasts commands, and ends them (politely with "quit", then
// SIGKILL by pid for a straggler).
// Thread affinity: the thread running the parent's io_context. Ownership: owns the pipes and
// reaps the child processes it started.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/streambuf.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control_lines.h"

namespace roost::bench {

class ChildSet {
 public:
  explicit ChildSet(boost::asio::io_context& io) : io_(io) {}
  ~ChildSet();
  ChildSet(const ChildSet&) = delete;
  ChildSet& operator=(const ChildSet&) = delete;

  // Starts `/proc/self/exe args...`; false (with `error`) if the fork or pipes fail.
  bool spawn(const std::vector<std::string>& args, std::string& error);
  void send_all(std::string_view line);
  // Pumps the io_context until every child has sent a line with this verb (the lines are
  // returned in child order) or the deadline passes / a child dies (nothing, with `error`).
  std::optional<std::vector<ControlLine>> collect(std::string_view verb, std::int64_t deadline_ns,
                                                  std::string& error);
  // "quit" to all, waits up to `grace_s` for them to exit, kills the rest.
  void stop_all(double grace_s);

  std::vector<pid_t> pids() const;
  std::size_t size() const noexcept { return children_.size(); }

 private:
  struct Child {
    pid_t pid = -1;
    int to_child = -1;
    std::unique_ptr<boost::asio::posix::stream_descriptor> from_child;
    boost::asio::streambuf buf;
    std::deque<std::string> lines;
    bool eof = false;
    bool reaped = false;
  };
  void read_from(Child& c);

  boost::asio::io_context& io_;
  std::vector<std::unique_ptr<Child>> children_;
};

}  // namespace roost::bench
