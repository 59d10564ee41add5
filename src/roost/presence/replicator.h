// Role: Replicator, the replica-level protocol of one tracker shard (tracker.md §3–§6)
// as a pure state machine driven by (event, now): heartbeats with the pending delta every
// broadcast period, replica bookkeeping (new, back up, new incarnation, down after
// down_period, permdown after permdown_period), anti-entropy by transfer request when a
// heartbeat shows missed deltas or at clock-sampling rounds, transfer answers from the
// delta generations or the full state, and a transfer round when the link comes back.
// It reads no clock and does no I/O: time arrives as a parameter, messages leave through
// the `broadcast`/`send` hooks and visible changes through `diff` (TrackerShard::absorb),
// so the same code runs on a shard's loop and in unit tests with a manual clock.
// Thread affinity: as its State (the shard's loop). Ownership: borrows the State and the
// stats; owns the replica table, delta generations and pending clockset.
// Invariants: the replica table has at most one incarnation per node name, and each
// entry is known to the State with the same status; this replica is never in the table.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "roost/presence/clock_set.h"
#include "roost/presence/delta_generations.h"
#include "roost/presence/replication_message.h"
#include "roost/presence/replication_stats.h"
#include "roost/presence/state.h"
#include "roost/presence/tracker_options.h"

namespace roost::presence {

// The periods of the protocol, validated as tracker.md §6 asks.
struct ReplicationTiming {
  std::chrono::milliseconds broadcast_period{1500};
  std::chrono::milliseconds down_period{30000};
  std::chrono::milliseconds permdown_period{20 * 60 * 1000};
  // Ticks without changes before an empty heartbeat still announces the replica.
  // Phoenix uses 10 (an idle heartbeat every 16.5 s against a 30 s down period); here it
  // is capped so at least two idle heartbeats fall in every down period, which keeps short
  // test periods (e.g. 200 ms / 1.5 s) from flapping idle peers down.
  int max_silent_periods = 10;
  // Transfer sampling every this many ticks (Phoenix's clock_sample_periods).
  int clock_sample_periods = 2;

  // From the tracker's options; throws std::invalid_argument (at start-up) unless
  // down_period >= 2 × broadcast_period and permdown_period > down_period.
  static ReplicationTiming from(const TrackerOptions& options);
};

class Replicator {
 public:
  using Time = std::chrono::steady_clock::time_point;

  // Called synchronously from tick/receive/link_up; they must not call back into the
  // Replicator (messages are delivered later, as the bus does).
  struct Hooks {
    std::function<void(const Diff&)> diff;                                   // visible change
    std::function<void(const ReplicationMessage&)> broadcast;                // to every node
    std::function<void(const std::string& node, const ReplicationMessage&)> send;  // to one node
    // A remote replica became up, down, or (nullopt) was dropped; optional.
    std::function<void(const ReplicaName&, std::optional<ReplicaStatus>)> peer;
  };

  // A remote replica as this one sees it.
  struct Peer {
    ReplicaName replica;
    ReplicaStatus status = ReplicaStatus::up;
    Time last_heard{};
  };

  // What became of a received message.
  enum class Outcome {
    applied,
    own,          // this replica's own message echoed back by the bus
    name_clash,   // another replica claims this node's name: misconfiguration, ignored
  };

  Replicator(State& state, ReplicationTiming timing, Hooks hooks, ReplicationStats& stats);

  // One broadcast period elapsed: heartbeat, transfer sampling, down detection.
  void tick(Time now);
  Outcome receive(const ReplicationMessage& message, Time now);
  // The bus is connected again (after resubscribing): ask every known replica for a
  // transfer, since deltas sent meanwhile were dropped, and announce this replica at the
  // next tick.
  void link_up(Time now);

  std::vector<Peer> peers() const;
  const DeltaGenerations& generations() const noexcept { return generations_; }
  const ReplicationTiming& timing() const noexcept { return timing_; }

 private:
  struct Outstanding {
    std::uint64_t id = 0;
    Time sent{};
  };
  struct PeerState {
    std::uint64_t vsn = 0;
    ReplicaStatus status = ReplicaStatus::up;
    Time last_heard{};
  };

  void broadcast_heartbeat();
  void sample_clocks(Time now);
  void detect_down(Time now);
  // True when the sender is new, a new incarnation, or back from down.
  bool note_heartbeat(const ReplicaName& from, Time now);
  void retire(const std::string& node, const PeerState& peer);
  void request_transfer(const ReplicaName& to, Time now, bool force = false);
  void on_heartbeat(const Heartbeat& h, Time now);
  void on_request(const TransferRequest& q);
  void on_ack(const TransferAck& a);
  void report(const Diff& diff);

  State& state_;
  ReplicationTiming timing_;
  Hooks hooks_;
  ReplicationStats& stats_;
  DeltaGenerations generations_;
  ClockSet pending_clocks_;
  std::map<std::string, PeerState, std::less<>> peers_;  // by node name
  std::map<std::string, Outstanding, std::less<>> outstanding_;  // transfer requests, by node
  std::uint64_t next_request_id_ = 0;
  int silent_periods_;  // starts at the maximum: the first tick announces this replica
  int ticks_since_sample_ = 0;
};

}  // namespace roost::presence
