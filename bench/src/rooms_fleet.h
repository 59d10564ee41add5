// Role: one process's share of the `rooms` clients. Opens them (a bounded number of attempts
// in flight), joins client g (global index) to room `<prefix><g mod rooms>`, and once told to,
// has every client send `shout` {"t":<send ns>} once per second. Client g sends at phase
// g/total of each second, so the clients of all processes together spread their shouts evenly
// over the second instead of sending in bursts. Every client counts every shout it receives
// (its room's, its own included) into the same delivery statistics as the fanout fleet.
// Thread affinity: the single thread running the io_context. Ownership: owns its connections
// and its send timer; must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fleet.h"
#include "ws_client.h"

namespace roost::bench {

struct RoomsSendStats {
  std::uint64_t sent = 0;       // shouts sent since the schedule was set
  std::uint64_t sent_in = 0;    // of those, stamped inside the measurement window
  std::uint64_t skipped = 0;    // due sends of clients that were not joined (or no longer open)
  std::uint64_t max_burst = 0;  // most shouts sent in one timer tick (small = kept up)
  std::uint64_t max_lag_ns = 0; // worst lateness of a send against its schedule
  std::uint64_t acks_ok = 0, acks_error = 0;
};

class RoomsFleet final : public WsClient::Listener {
 public:
  struct Config {
    UpgradeTarget target;
    std::vector<boost::asio::ip::address_v4> sources;  // empty: no bind
    std::string topic_prefix;  // room k is topic_prefix + k
    std::size_t rooms = 1;
    std::size_t total = 0;        // clients over all processes (sets the send phases)
    std::size_t first_index = 0;  // global index of this fleet's first client
    std::size_t count = 0;
    std::size_t concurrency = 200;
  };

  RoomsFleet(boost::asio::io_context& io, Config config);
  ~RoomsFleet();

  // Starts connecting; `on_settled` runs once every client has joined or failed.
  void start(std::function<void()> on_settled);
  // Clears the statistics and sends from send_start_ns until send_end_ns; deliveries and
  // sends stamped in [window_start_ns, window_end_ns) are the measured ones.
  void schedule(std::int64_t send_start_ns, std::int64_t send_end_ns, std::int64_t window_start_ns,
                std::int64_t window_end_ns);
  void close_all();
  void abort_all();

  std::size_t live() const noexcept { return live_; }
  FleetCounters counters() const;
  const DeliveryStats& deliveries() const noexcept { return stats_; }
  const RoomsSendStats& sends() const noexcept { return sends_; }

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  std::string topic_of(std::size_t local) const;
  std::int64_t due_ns() const;  // when the send at the cursor falls due
  void launch_next();
  void settle_one();
  void tick();
  void arm();

  boost::asio::io_context& io_;
  Config config_;
  std::vector<std::unique_ptr<WsClient>> clients_;
  enum : std::uint8_t { kPending, kJoined, kDone };
  std::vector<std::uint8_t> state_;  // per local index
  std::vector<std::uint64_t> refs_;  // per local index: last message ref used
  std::size_t launched_ = 0, in_flight_ = 0, live_ = 0;
  bool settled_ = false;
  std::function<void()> on_settled_;
  boost::asio::steady_timer send_timer_;
  std::int64_t send_start_ = 0, send_end_ = 0;
  std::uint64_t round_ = 0;   // the second of the schedule the cursor is in
  std::size_t cursor_ = 0;    // the local client whose send is next
  std::string scratch_;
  FleetCounters counters_;
  DeliveryStats stats_;
  RoomsSendStats sends_;
};

}  // namespace roost::bench
