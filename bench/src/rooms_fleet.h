// Role: one process's share of the `rooms` clients: a Fleet whose client g (global index) joins
// room `<prefix><g mod rooms>`, plus the send schedule. Once told to, every client sends `shout`
// {"t":<send ns>} once per second; client g sends at phase g/total of each second, so the
// clients of all processes together spread their shouts evenly over the second instead of
// sending in bursts. Every client counts every shout it receives (its room's, its own
// included) into the fleet's delivery statistics.
// Thread affinity: the single thread running the io_context. Ownership: owns its fleet and its
// send timer; must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fleet.h"

namespace roost::bench {

struct RoomsSendStats {
  std::uint64_t sent = 0;       // shouts sent since the schedule was set
  std::uint64_t sent_in = 0;    // of those, stamped inside the measurement window
  std::uint64_t skipped = 0;    // due sends of clients that were not joined (or no longer open)
  std::uint64_t max_burst = 0;  // most shouts sent in one timer tick (small = kept up)
  std::uint64_t max_lag_ns = 0; // worst lateness of a send against its schedule
};

class RoomsFleet {
 public:
  struct Config {
    Dialer::Config dial;  // where, from where, which slice of the clients, how many at once
    ProtocolKind protocol = ProtocolKind::phoenix;
    std::string topic_prefix;  // room k is topic_prefix + k
    std::size_t rooms = 1;
    std::size_t total = 0;  // clients over all processes (sets the send phases)
  };

  RoomsFleet(boost::asio::io_context& io, Config config);
  ~RoomsFleet();

  // Starts connecting; `on_settled` runs once every client has joined or failed.
  void start(std::function<void()> on_settled) { fleet_.start(std::move(on_settled)); }
  // Clears the statistics and sends from send_start_ns until send_end_ns; deliveries and
  // sends stamped in [window_start_ns, window_end_ns) are the measured ones.
  void schedule(std::int64_t send_start_ns, std::int64_t send_end_ns, std::int64_t window_start_ns,
                std::int64_t window_end_ns);
  void close_all();
  void abort_all();

  std::size_t live() const noexcept { return fleet_.live(); }
  FleetCounters counters() const { return fleet_.counters(); }
  const DeliveryStats& deliveries() const noexcept { return fleet_.deliveries(); }
  const RoomsSendStats& sends() const noexcept { return sends_; }

 private:
  static Fleet::Config fleet_config(const Config& c);
  std::int64_t due_ns() const;  // when the send at the cursor falls due
  void tick();
  void arm();

  std::size_t total_;
  Fleet fleet_;
  boost::asio::steady_timer send_timer_;
  std::int64_t send_start_ = 0, send_end_ = 0, window_start_ = 0, window_end_ = 0;
  std::uint64_t round_ = 0;   // the second of the schedule the cursor is in
  std::size_t cursor_ = 0;    // the local client whose send is next
  RoomsSendStats sends_;
};

}  // namespace roost::bench
