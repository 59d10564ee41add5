// Role: one process's share of the benchmark connections. Opens them with a bounded number
// of attempts in flight, joins each to its topic, keeps them alive with Phoenix heartbeats
// every 30 s, and counts what they receive: join results, disconnects by cause, and shout
// deliveries (latency = receive time − the "t" send time in the payload) inside the current
// measurement window.
// Thread affinity: the single thread running the io_context. Ownership: owns its connections;
// must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "histogram.h"
#include "ws_client.h"

namespace roost::bench {

struct FleetCounters {
  std::uint64_t joined = 0;
  std::uint64_t join_refused = 0;       // phx_reply with an error status
  std::uint64_t failed_connect = 0;     // before the join reply: TCP connect
  std::uint64_t failed_handshake = 0;   // before the join reply: HTTP upgrade
  std::uint64_t failed_other = 0;       // before the join reply: anything else
  std::uint64_t dropped_after_join = 0; // joined, then closed by the server or an I/O error
  std::uint64_t server_closes = 0;      // close frames received (any time)
  std::uint64_t channel_errors = 0;     // phx_error / phx_close pushed to a joined channel
  std::uint64_t pings = 0;              // server pings answered
};

class LineBuilder;
// Appends the counters every fleet of plain joined clients reports to its parent.
void add_fleet_counters(LineBuilder& b, const FleetCounters& c, std::size_t live);

struct DeliveryStats {
  std::int64_t window_start = 0, window_end = 0;  // CLOCK_MONOTONIC ns
  std::uint64_t total = 0;      // every shout received since the window was set
  std::uint64_t sent_in = 0;    // shouts sent inside the window (these feed the histogram)
  std::uint64_t recv_in = 0;    // shouts received inside the window
  std::uint64_t no_time = 0;    // shouts without a readable "t"
  Histogram latency_ns;
};

// Counts one received shout carrying a send timestamp: latency for shouts sent inside
// the window, and receptions inside it (deliveries per second).
void record_delivery(DeliveryStats& stats, std::string_view payload, std::int64_t recv_ns);

class Fleet final : public WsClient::Listener {
 public:
  struct Config {
    UpgradeTarget target;
    std::vector<boost::asio::ip::address_v4> sources;  // empty: no bind
    std::string topic;
    std::size_t topics = 1;       // > 1: topic ":" (global index % topics)
    std::size_t first_index = 0;  // global index of this fleet's first connection
    std::size_t count = 0;
    std::size_t concurrency = 200;
  };

  Fleet(boost::asio::io_context& io, Config config);
  ~Fleet();

  // Starts connecting; `on_settled` runs once every connection has joined or failed.
  void start(std::function<void()> on_settled);
  // Starts a new measurement window, clearing the delivery statistics.
  void set_window(std::int64_t start_ns, std::int64_t end_ns);
  // Closing handshake on every open connection.
  void close_all();
  // Drops whatever is still connected.
  void abort_all();

  std::size_t live() const noexcept { return live_; }
  FleetCounters counters() const;
  const DeliveryStats& deliveries() const noexcept { return stats_; }

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  std::string topic_of(std::size_t local) const;
  void launch_next();
  void settle_one();
  void heartbeat();

  boost::asio::io_context& io_;
  Config config_;
  std::vector<std::unique_ptr<WsClient>> clients_;
  enum : std::uint8_t { kPending, kJoined, kDone };
  std::vector<std::uint8_t> state_;  // per local index
  std::size_t launched_ = 0, in_flight_ = 0, live_ = 0;
  bool settled_ = false;
  std::function<void()> on_settled_;
  boost::asio::steady_timer heartbeat_timer_;
  std::uint64_t heartbeat_ref_ = 0;
  std::string scratch_;
  FleetCounters counters_;
  DeliveryStats stats_;
};

}  // namespace roost::bench
