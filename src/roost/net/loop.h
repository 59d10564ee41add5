// Role: Loop, one event loop (an Asio io_context run by one thread), and LoopGroup, the
// set of loops of a server (one per core by default).
// Thread affinity: everything a loop owns (connections, sockets, channels, timers, its
// share of the topic registry) is touched only by that loop's thread, so none of it
// needs a lock. The single cross-thread entry point is Loop::post(), a lock-free
// mailbox (moodycamel queue) drained by one Asio handler per wake-up.
// Ownership: LoopGroup owns its loops and their threads; a Loop outlives everything it runs.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "roost/core/metrics.h"

namespace roost::net {

class Loop {
 public:
  using Task = std::function<void()>;

  Loop(std::size_t index, LoopMetrics& metrics);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  boost::asio::io_context& io() noexcept { return io_; }
  boost::asio::io_context::executor_type executor() noexcept { return io_.get_executor(); }
  std::size_t index() const noexcept { return index_; }
  LoopMetrics& metrics() noexcept { return metrics_; }

  // From any thread: run `task` on this loop, after the work already in its mailbox.
  void post(Task task);
  // True when called from this loop's own thread.
  bool is_current() const noexcept { return current() == this; }
  // The loop whose thread is calling, or nullptr on a non-loop thread.
  static Loop* current() noexcept;

  // Runs the loop on the calling thread until stop().
  void run();
  void stop();
  // After the loop has stopped: destroys the handlers still queued or pending (and what
  // they keep alive: connections, sockets, channels) while everything they refer to
  // still exists. The io_context itself stays, so timers owned elsewhere can still be
  // destroyed safely afterwards.
  void shutdown_pending();

 private:
  struct Mailbox;
  void drain_mailbox();

  std::size_t index_;
  LoopMetrics& metrics_;
  // io_context with its protected shutdown() reachable, for shutdown_pending().
  struct IoContext : boost::asio::io_context {
    using boost::asio::io_context::io_context;
    void shutdown_now() { shutdown(); }
  };
  IoContext io_;
  std::unique_ptr<Mailbox> mailbox_;
  std::atomic<bool> wake_pending_{false};
};

class LoopGroup {
 public:
  // threads == 0 means one loop per hardware thread.
  LoopGroup(std::size_t threads, Metrics& metrics);
  ~LoopGroup();

  std::size_t size() const noexcept { return loops_.size(); }
  Loop& at(std::size_t index) noexcept { return *loops_[index]; }
  Loop& next_for_connection() noexcept;  // round-robin placement of new connections

  // Starts one thread per loop except loop 0, which runs on the caller's thread inside run().
  void run();
  void stop();
  void shutdown_pending();  // every loop's Loop::shutdown_pending(), after run() returned

 private:
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace roost::net
