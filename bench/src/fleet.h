// Role: one process's share of the benchmark's joined clients (connections, fanout
// subscribers, rooms members). Opens them through a Dialer, joins each to its topic in the
// fleet's protocol (Phoenix or Socket.IO, behind WireProtocol), keeps them alive, and counts
// what they receive: join results, disconnects by cause, replies to their own shouts, and shout
// deliveries (latency = receive time − the "t" send time in the payload) inside the current
// measurement window. Senders (the rooms scenario) send through shout().
// Thread affinity: the single thread running the io_context. Ownership: owns its connections
// and its protocol; must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dialer.h"
#include "histogram.h"
#include "wire_protocol.h"
#include "ws_client.h"

namespace roost::bench {

struct FleetCounters {
  std::uint64_t joined = 0;
  std::uint64_t join_refused = 0;       // a refused join (phx_reply error, Socket.IO connect error)
  std::uint64_t failed_connect = 0;     // before the join reply: TCP connect
  std::uint64_t failed_handshake = 0;   // before the join reply: HTTP upgrade
  std::uint64_t failed_other = 0;       // before the join reply: anything else
  std::uint64_t dropped_after_join = 0; // joined, then closed by the server or an I/O error
  std::uint64_t server_closes = 0;      // close frames received (any time)
  std::uint64_t channel_errors = 0;     // the server dropped a joined channel
  std::uint64_t pings = 0;              // server pings answered
  std::uint64_t acks_ok = 0, acks_error = 0;  // replies to our own shouts
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
    Dialer::Config dial;  // where, from where, which slice of the clients, how many at once
    ProtocolKind protocol = ProtocolKind::phoenix;
    std::string topic;
    std::size_t topics = 0;        // 0: every client joins `topic`; else topic + separator + (global index % topics)
    std::string separator = ":";
  };

  Fleet(boost::asio::io_context& io, Config config);

  // Starts connecting; `on_settled` runs once every connection has joined or failed.
  void start(std::function<void()> on_settled);
  // Starts a new measurement window, clearing the delivery statistics.
  void set_window(std::int64_t start_ns, std::int64_t end_ns);
  // Closing handshake on every open connection.
  void close_all() { dialer_.close_all(); }
  // Drops whatever is still connected.
  void abort_all() { dialer_.abort_all(); }

  // Sends a shout stamped `send_ns` from client `local` to its topic; false if it is not joined.
  bool shout(std::size_t local, std::int64_t send_ns);
  std::size_t count() const noexcept { return dialer_.count(); }
  std::size_t global(std::size_t local) const noexcept { return dialer_.global(local); }
  std::string topic_of(std::size_t local) const;

  std::size_t live() const noexcept { return dialer_.live(); }
  FleetCounters counters() const;
  const DeliveryStats& deliveries() const noexcept { return stats_; }

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  enum : std::uint8_t { kPending, kJoined, kDone };

  Config config_;
  std::unique_ptr<WireProtocol> wire_;
  Dialer dialer_;
  std::vector<std::uint8_t> state_;  // per local index
  std::vector<std::uint64_t> refs_;  // per local index: the last message ref used ("1" is the join)
  std::uint64_t keep_alive_ref_ = 1;
  FleetCounters counters_;
  DeliveryStats stats_;
};

}  // namespace roost::bench
