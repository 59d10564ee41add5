// Role: one process's share of the `soak` clients. Every client holds a WebSocket, joins its
// room (`<prefix><g mod rooms>`, so rooms of about --room-size) and, once told to go, sends a
// `shout` {"t":<ns>} every 1–2 s (random, so the sends do not fall into step) that the room
// broadcasts to every member; it counts each reply and times each delivery. Meanwhile a
// fraction of the clients churn continuously: a joined client with no reply outstanding
// either leaves its room and rejoins it on the same socket (a fresh join ref), or closes its
// connection and opens a new one that joins again. Anything that should not happen in a
// healthy soak is counted: refused or failed joins, closes we did not ask for, phx_error /
// phx_close of a channel we did not leave, error replies, and replies that never came.
// Thread affinity: the single thread running the io_context. Ownership: owns its connections
// (a replaced connection is kept, closed, for a while, until no handler can refer to it) and
// its timer; must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dialer.h"
#include "fleet.h"
#include "ws_client.h"

namespace roost::bench {

struct SoakCounters {
  std::uint64_t joins = 0;              // join replies ok: first joins, rejoins and reconnects
  std::uint64_t rejoins = 0;            // of those, after a leave on the same socket
  std::uint64_t reconnects = 0;         // of those, on a new connection after a disconnect
  std::uint64_t join_failures = 0;      // refused joins, connections that failed before the join reply
  std::uint64_t unexpected_closes = 0;  // closed by the server or an I/O error while in use
  std::uint64_t channel_errors = 0;     // phx_error / phx_close of a channel we did not leave
  std::uint64_t sends = 0, replies_ok = 0, replies_error = 0;
  std::uint64_t missing_replies = 0;    // shouts whose connection ended before their reply came
  std::uint64_t leaves = 0, disconnects = 0;  // churn operations started
};

class SoakFleet final : public WsClient::Listener {
 public:
  struct Config {
    Dialer::Config dial;  // targets, source addresses, this process's slice, connects in flight
    std::string topic_prefix;
    std::size_t rooms = 1;
    double churn_per_second = 0.005;  // fraction of the clients that start a churn each second
  };

  SoakFleet(boost::asio::io_context& io, Config config);
  ~SoakFleet();
  SoakFleet(const SoakFleet&) = delete;
  SoakFleet& operator=(const SoakFleet&) = delete;

  // Connects and joins every client; `on_settled` runs once each has joined or failed.
  void start(std::function<void()> on_settled);
  // Sends and churns from start_ns until end_ns; deliveries of shouts sent from window_ns on
  // are timed.
  void go(std::int64_t start_ns, std::int64_t window_ns, std::int64_t end_ns);
  // No more sends or churn (replies and deliveries still count).
  void stop();
  void close_all();
  void abort_all();

  std::size_t live() const noexcept { return live_; }
  std::size_t joined_now() const;
  // Replies still awaited, plus those lost with their connection.
  std::uint64_t missing_replies() const;
  const SoakCounters& counters() const noexcept { return counters_; }
  const DeliveryStats& deliveries() const noexcept { return stats_; }

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  enum class Phase : std::uint8_t { idle, connecting, joining, joined, leaving, closing, dead };
  struct Slot {
    std::unique_ptr<WsClient> client;
    Phase phase = Phase::idle;
    bool initial = true;     // its first connect has not settled yet
    bool rejoin = false;     // the join in flight follows a leave
    bool reconnect = false;  // the join in flight is on a replacement connection
    std::uint64_t next_ref = 0, join_ref = 0, leave_ref = 0;
    std::int64_t next_send_ns = 0, phase_since_ns = 0;
    std::deque<std::uint64_t> pending;  // refs of shouts awaiting their reply, in send order
  };

  WsClient* open_client(std::size_t local);
  void launch_initial();
  void settle(Slot& s);
  void set_phase(Slot& s, Phase p);
  void send_join(std::size_t local);
  void send_shout(std::size_t local, std::int64_t now);
  void churn(double dt_s);
  void replace_connection(std::size_t local);
  void on_reply(std::size_t local, std::uint64_t ref, bool ok);
  void tick();
  void arm();
  std::string topic_of(std::size_t local) const;
  std::int64_t random_ns(std::int64_t lo, std::int64_t hi);

  boost::asio::io_context& io_;
  Config config_;
  std::vector<Slot> slots_;
  std::size_t next_initial_ = 0, initial_in_flight_ = 0, initial_left_ = 0;
  std::function<void()> on_settled_;
  // Replaced connections, closed, with the time they were retired.
  std::vector<std::pair<std::int64_t, std::unique_ptr<WsClient>>> retired_;
  boost::asio::steady_timer timer_;
  std::mt19937_64 rng_;
  std::int64_t start_ns_ = 0, end_ns_ = 0, last_tick_ns_ = 0;
  double churn_credit_ = 0;
  bool running_ = false, stopping_ = false;
  std::size_t live_ = 0;
  std::uint64_t churn_turn_ = 0;  // alternates leave / disconnect
  SoakCounters counters_;
  DeliveryStats stats_;
  std::string scratch_, payload_;
};

}  // namespace roost::bench
