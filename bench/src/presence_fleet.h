// Role: one process's share of the presence-storm clients. It opens its connections first
// (a bounded number of attempts in flight) without joining; on storm() it sends every join
// at once, each with {"name":"u<global index>"}. Each joined client then keeps its presence
// list as the JS client does (presence.md §5): diffs that arrive before its presence_state
// are buffered and applied after it. A client is complete once its list holds `expected_keys`
// keys; the fleet records when each client got there and counts the presence traffic.
// Opening goes through a Dialer, which also sends the heartbeats that keep the connections
// inside the server's idle timeout. Phoenix only: Socket.IO has no presence.
// Thread affinity: the single thread running the io_context. Ownership: owns its connections
// and their views; must be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dialer.h"
#include "histogram.h"
#include "presence_view.h"
#include "ws_client.h"

namespace roost::bench {

struct StormCounters {
  std::uint64_t opened = 0, joined = 0, join_refused = 0;
  std::uint64_t dropped = 0;         // lost after opening (server close or I/O error)
  std::uint64_t server_closes = 0;   // close frames received
  std::uint64_t channel_errors = 0;  // phx_error / phx_close for the topic
  std::uint64_t diff_frames = 0, diff_bytes = 0;    // bytes: the Phoenix message text
  std::uint64_t state_frames = 0, state_bytes = 0;
  std::uint64_t diffs_buffered = 0;  // diffs that arrived before their client's state
  std::uint64_t join_metas = 0, redundant_join_metas = 0, leave_metas = 0;
  std::uint64_t malformed = 0;       // presence frames whose payload could not be read
  std::uint64_t extra_states = 0;    // a second presence_state for the same join
  std::uint64_t complete = 0;
  std::uint64_t regressions = 0;     // complete clients that later lost a key
  std::int64_t first_join_sent_ns = 0, last_join_sent_ns = 0;
  std::int64_t last_join_reply_ns = 0, last_complete_ns = 0;  // CLOCK_MONOTONIC, 0 = none
  std::int64_t last_presence_ns = 0;  // the last presence_state / presence_diff received
};

class PresenceFleet final : public WsClient::Listener {
 public:
  struct Config {
    Dialer::Config dial;  // where, from where, which slice of the clients, how many at once
    std::string topic;
    std::size_t expected_keys = 0;  // every client of every process
  };

  PresenceFleet(boost::asio::io_context& io, Config config);

  // Opens the connections; `on_opened` runs once every one is open or has failed.
  void start(std::function<void()> on_opened);
  // Joins every open connection now; completion times are measured from `go_ns`.
  // `on_complete` runs once every client of this fleet is complete.
  void storm(std::int64_t go_ns, std::function<void()> on_complete);
  void close_all();
  void abort_all();

  std::size_t live() const noexcept { return dialer_.live(); }
  const StormCounters& counters() const noexcept { return counters_; }
  // Connections that never opened, by cause.
  const DialFailures& failures() const noexcept { return dialer_.failures(); }
  // Time from go to completion, per complete client.
  const Histogram& complete_after_go() const noexcept { return complete_hist_; }

  struct Incomplete {
    std::size_t index;  // global client index
    std::size_t keys;
    bool has_state;
  };
  std::vector<Incomplete> incomplete() const;
  // Clients (complete or not) holding a key with several metas: none are expected here.
  std::uint64_t multi_meta_clients() const;
  // Consistency of the complete views: the digest of the first complete client, and how
  // many complete clients hold a different list.
  std::uint64_t reference_digest() const;
  std::uint64_t digest_mismatches() const;

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  enum class Phase : std::uint8_t { connecting, open, joining, joined, done };
  struct Client {
    Phase phase = Phase::connecting;
    bool has_state = false;
    bool complete = false;
    bool regressed = false;
    PresenceView view;
    std::vector<PresenceDiff> pending;  // diffs received before presence_state
  };

  void check_complete(Client& c, std::int64_t now);
  void check_all_complete();

  Config config_;
  Dialer dialer_;
  std::vector<Client> clients_;
  bool all_complete_ = false;
  std::function<void()> on_complete_;
  std::int64_t go_ns_ = 0;
  std::uint64_t heartbeat_ref_ = 1;  // refs from 2: "1" is the join
  std::string scratch_;
  Interner keys_, refs_;
  PresenceDiff diff_;
  std::vector<PresenceEntry> state_entries_;
  StormCounters counters_;
  Histogram complete_hist_;
};

}  // namespace roost::bench
