// Role: the connection-opening bookkeeping every fleet shares. Opens `count` WebSocket
// connections with at most `concurrency` attempts in flight (each to its server and from its
// source address, both round robin by global index), counts the ones that fail before the fleet considers them settled
// (by cause), keeps the live count, sends each open connection a keep-alive every 30 s through
// a callback, and closes or drops them all. What "settled" means (open, or joined) is the
// fleet's call: it reports each attempt's end with settled() or failed(), and the next attempt
// starts then.
// Thread affinity: the single thread running the io_context. Ownership: owns the connections
// (their listener is the fleet); must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ws_client.h"

namespace roost::bench {

// Attempts that ended before they settled, by cause.
struct DialFailures {
  std::uint64_t connect = 0;    // TCP connect
  std::uint64_t handshake = 0;  // HTTP upgrade
  std::uint64_t other = 0;      // anything else (a protocol error, an I/O error, a close)
};

class Dialer {
 public:
  struct Config {
    // The servers (several: the nodes of a cluster); connection g goes to targets[g % size].
    std::vector<UpgradeTarget> targets;
    std::vector<boost::asio::ip::address_v4> sources;  // empty: no bind
    std::size_t first_index = 0;  // global index of this process's first connection
    std::size_t count = 0;
    std::size_t concurrency = 200;
  };

  Dialer(boost::asio::io_context& io, Config config, WsClient::Listener& listener);
  ~Dialer();
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // Starts the first attempts; `on_settled` runs once every attempt has settled or failed.
  void start(std::function<void()> on_settled);
  // Calls `send` for every open connection every 30 s, so long holds stay inside the server's
  // idle timeout.
  void keep_alive(std::function<void(WsClient&)> send);

  // The fleet's verdicts on one attempt (each called at most once per connection).
  void settled();
  void failed(Failure why);
  // Live-count bookkeeping, from the fleet's on_open / on_closed.
  void opened() { ++live_; }
  void closed(const WsClient& c) {
    if (c.was_opened() && live_ > 0) --live_;
  }

  void close_all();
  void abort_all();

  std::size_t size() const noexcept { return clients_.size(); }  // launched so far
  WsClient& client(std::size_t local) { return *clients_[local]; }
  std::size_t global(std::size_t local) const noexcept { return config_.first_index + local; }
  std::size_t count() const noexcept { return config_.count; }
  std::size_t live() const noexcept { return live_; }
  const DialFailures& failures() const noexcept { return failures_; }
  std::uint64_t pings() const;  // WebSocket pings answered, over all connections

 private:
  void launch_next();
  void arm_keep_alive();

  boost::asio::io_context& io_;
  Config config_;
  WsClient::Listener& listener_;
  std::vector<std::unique_ptr<WsClient>> clients_;
  std::size_t in_flight_ = 0, live_ = 0;
  bool all_settled_ = false;
  std::function<void()> on_settled_;
  std::function<void(WsClient&)> keep_alive_;
  boost::asio::steady_timer keep_alive_timer_;
  DialFailures failures_;
};

}  // namespace roost::bench
