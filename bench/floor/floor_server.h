// Role: the floor of the fan-out benchmark: the least a server must do to deliver Roost's
// broadcasts, against which Roost's CPU per delivery is measured in the same run. It accepts
// the same WebSocket connections as Roost (a raw Asio acceptor and the upgrade handshake),
// answers the Phoenix messages roost-bench sends (phx_join, heartbeat, shout) with ok replies,
// and on each `shout` frames the broadcast `[null,null,topic,"shout",payload]` once and writes
// those very bytes to every socket joined to the topic: one write per socket per message, or
// with `batched`, one gathered write per socket for whatever queued meanwhile (what Roost does).
// No channels, no per-message routing beyond the topic, no budgets or timeouts: a floor.
// Each connection joins at most one topic (all roost-bench clients do).
// Thread affinity: one io_context per thread ("loop"), like Roost; a connection lives on one
// loop; a broadcast is posted once to every loop, which writes to its own connections.
// Ownership: owns the loops, their threads and the acceptor; connections own themselves
// (shared_ptr held by their pending operations) and are listed, unowned, in their loop's topics.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace roost::bench::floor {

class FloorConnection;
using Frame = std::shared_ptr<const std::string>;

// One loop's connections by topic; touched by the loop's thread only.
class FloorLoop {
 public:
  boost::asio::io_context io{1};

  void subscribe(const std::string& topic, FloorConnection* c);
  void unsubscribe(const std::string& topic, FloorConnection* c);
  void broadcast(const std::string& topic, const Frame& frame);

 private:
  std::unordered_map<std::string, std::vector<FloorConnection*>> topics_;
};

class FloorServer {
 public:
  struct Config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::size_t threads = 0;  // 0: one per hardware thread
    bool batched = false;
  };

  explicit FloorServer(const Config& config);
  ~FloorServer();

  // The port actually bound (useful with port 0).
  std::uint16_t port() const noexcept { return port_; }
  bool batched() const noexcept { return batched_; }
  // Runs loop 0 on the calling thread and the others on their own, until stop().
  void run();
  void stop();
  // Frames `[null,null,topic,"shout",payload]` once and posts it to every loop (any thread).
  void publish(std::string_view topic, std::string_view payload);

 private:
  void accept();

  bool batched_;
  std::vector<std::unique_ptr<FloorLoop>> loops_;
  std::vector<std::thread> threads_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::size_t next_loop_ = 0;
};

}  // namespace roost::bench::floor
