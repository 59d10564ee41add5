// Role: LoopTransport, the per-loop state every connection of a loop shares: the list of
// live WebSocket connections (for the idle/budget sweep and for drain), the connections
// waiting to flush this turn, the read scratch buffer, and the coarse clock.
// Why: a connection holds no read buffer and no timer of its own; one sweep timer per
// loop and one scratch buffer per loop keep an idle connection small.
// Thread affinity: one per loop, used only on that loop's thread; reached through
// LoopTransport::current().
// Ownership: created on its loop by install(), lives as long as the loop runs; the
// connection list is intrusive (auto-unlinking), so it owns nothing.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "roost/net/loop.h"

namespace roost::transport {

class WsConnection;
class LongPollRegistry;

using ConnectionHook = boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

// What the loop's sweep and drain need of a live connection.
class SweptConnection : public ConnectionHook {
 public:
  virtual ~SweptConnection() = default;
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
  // Closes the connection for a server drain. One whose socket is still handling a message
  // may wait for its reply until `deadline`.
  virtual void drain(std::uint16_t code_with_channels, std::uint16_t code_without,
                     std::chrono::steady_clock::time_point deadline) = 0;
};

class LoopTransport {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoopTransport(net::Loop& loop);
  ~LoopTransport();

  // Creates the LoopTransport of the calling loop thread.
  static void install(net::Loop& loop);
  // Destroys the calling thread's LoopTransport (loop 0's lives on the main thread, which
  // outlives the io_contexts; the others go with their threads).
  static void uninstall();
  static LoopTransport& current();

  net::Loop& loop() noexcept { return loop_; }
  Clock::time_point now() const noexcept { return now_; }  // refreshed every sweep tick
  std::span<char> scratch() noexcept { return {scratch_.data(), scratch_.size()}; }

  void add(SweptConnection& connection);
  // Queue a connection's flush for the end of this loop turn (many frames → one write).
  void schedule_flush(std::shared_ptr<WsConnection> connection);

  // Closes every connection: those with joined channels with `code_with_channels`
  // (1012 on drain), the others with `code_without`. A WebSocket still handling a message
  // stops reading and closes once its reply is out, at the latest at `deadline`.
  void close_all(std::uint16_t code_with_channels, std::uint16_t code_without,
                 std::chrono::steady_clock::time_point deadline);

  LongPollRegistry& longpoll() noexcept { return *longpoll_; }

 private:
  void arm_sweep();
  void sweep();
  void flush_all();

  net::Loop& loop_;
  Clock::time_point now_;
  std::vector<char> scratch_;
  boost::intrusive::list<SweptConnection, boost::intrusive::constant_time_size<false>> connections_;
  std::vector<std::shared_ptr<WsConnection>> dirty_;
  bool flush_posted_ = false;
  boost::asio::steady_timer sweep_timer_;
  std::unique_ptr<LongPollRegistry> longpoll_;
};

}  // namespace roost::transport
