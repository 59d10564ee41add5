#include "roost/presence/replicator.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace roost::presence {

ReplicationTiming ReplicationTiming::from(const TrackerOptions& options) {
  ReplicationTiming t;
  t.broadcast_period = options.broadcast_period;
  t.down_period = options.down_period;
  t.permdown_period = options.permdown_period;
  auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; };
  if (t.broadcast_period.count() <= 0) {
    throw std::invalid_argument("presence broadcast_period must be positive, got " + ms(t.broadcast_period));
  }
  if (t.down_period < 2 * t.broadcast_period) {
    throw std::invalid_argument("presence down_period (" + ms(t.down_period) +
                                ") must be at least twice broadcast_period (" + ms(t.broadcast_period) + ")");
  }
  if (t.permdown_period <= t.down_period) {
    throw std::invalid_argument("presence permdown_period (" + ms(t.permdown_period) +
                                ") must be longer than down_period (" + ms(t.down_period) + ")");
  }
  const auto fits = t.down_period / (2 * t.broadcast_period) - 1;
  t.max_silent_periods = static_cast<int>(std::clamp<decltype(fits)>(fits, 0, 10));
  return t;
}

Replicator::Replicator(State& state, ReplicationTiming timing, Hooks hooks, ReplicationStats& stats)
    : state_(state),
      timing_(timing),
      hooks_(std::move(hooks)),
      stats_(stats),
      silent_periods_(timing.max_silent_periods) {}

// ---------------------------------------------------------------------------------------
// Timer

void Replicator::tick(Time now) {
  broadcast_heartbeat();
  if (++ticks_since_sample_ >= timing_.clock_sample_periods) {
    ticks_since_sample_ = 0;
    sample_clocks(now);
  }
  detect_down(now);
}

void Replicator::broadcast_heartbeat() {
  if (state_.has_delta()) {
    Heartbeat h{state_.replica(), state_.clocks(), state_.delta()};
    state_.reset_delta();
    state_.compact();
    hooks_.broadcast(h);
    stats_.heartbeats_sent.add();
    stats_.deltas_sent.add();
    generations_.push(state_.delta(), *h.delta);
    silent_periods_ = 0;
  } else if (silent_periods_ >= timing_.max_silent_periods) {
    hooks_.broadcast(Heartbeat{state_.replica(), state_.clocks(), std::nullopt});
    stats_.heartbeats_sent.add();
    silent_periods_ = 0;
  } else {
    ++silent_periods_;
  }
}

void Replicator::sample_clocks(Time now) {
  pending_clocks_.add(state_.replica(), state_.clocks());
  for (const ReplicaName& r : pending_clocks_.replicas()) {
    // Only the current incarnation of a known node: a retired one has nothing to give.
    auto peer = peers_.find(r.node);
    if (r != state_.replica() && peer != peers_.end() && peer->second.vsn == r.vsn) request_transfer(r, now);
  }
  pending_clocks_.clear();
}

void Replicator::detect_down(Time now) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    PeerState& peer = it->second;
    const auto silence = now - peer.last_heard;
    if (silence > timing_.permdown_period) {
      retire(it->first, peer);
      it = peers_.erase(it);
      continue;
    }
    if (silence > timing_.down_period && peer.status == ReplicaStatus::up) {
      peer.status = ReplicaStatus::down;
      report(state_.replica_down(ReplicaName{it->first, peer.vsn}));
      stats_.replica_down_events.add();
      stats_.replicas_up.sub();
      stats_.replicas_down.add();
      if (hooks_.peer) hooks_.peer(ReplicaName{it->first, peer.vsn}, ReplicaStatus::down);
    }
    ++it;
  }
}

// ---------------------------------------------------------------------------------------
// Messages

Replicator::Outcome Replicator::receive(const ReplicationMessage& message, Time now) {
  const ReplicaName& from = sender(message);
  if (from == state_.replica()) return Outcome::own;
  if (from.node == state_.replica().node) return Outcome::name_clash;
  if (const auto* h = std::get_if<Heartbeat>(&message)) {
    on_heartbeat(*h, now);
  } else if (const auto* q = std::get_if<TransferRequest>(&message)) {
    on_request(*q);
  } else {
    on_ack(std::get<TransferAck>(message));
  }
  return Outcome::applied;
}

void Replicator::on_heartbeat(const Heartbeat& h, Time now) {
  stats_.heartbeats_received.add();
  const bool fresh = note_heartbeat(h.from, now);
  if (h.delta) {
    report(state_.merge(*h.delta));
    generations_.push(state_.delta(), *h.delta);
    stats_.deltas_received.add();
  }
  pending_clocks_.add(h.from, h.clock);
  // The sender's own clock ahead of what we hold of it after the merge: some of its
  // deltas never reached us (lost while the bus was away, or sent before we started).
  const bool missed = clock_of(h.clock, h.from) > clock_of(state_.context(), h.from);
  if (fresh || missed) request_transfer(h.from, now);
}

bool Replicator::note_heartbeat(const ReplicaName& from, Time now) {
  auto it = peers_.find(from.node);
  if (it != peers_.end() && it->second.vsn == from.vsn) {
    PeerState& peer = it->second;
    peer.last_heard = now;
    if (peer.status == ReplicaStatus::up) return false;
    peer.status = ReplicaStatus::up;
    stats_.replicas_down.sub();
  } else {
    // A node restarted under the same name is a new replica: the old incarnation's
    // entries leave at once instead of lingering until its down period (tracker.md §6).
    if (it != peers_.end()) retire(it->first, it->second);
    peers_.insert_or_assign(from.node, PeerState{from.vsn, ReplicaStatus::up, now});
  }
  report(state_.replica_up(from));
  stats_.replica_up_events.add();
  stats_.replicas_up.add();
  if (hooks_.peer) hooks_.peer(from, ReplicaStatus::up);
  // Answer a newcomer with our own heartbeat at the next tick instead of after up to
  // max_silent_periods: it learns of us (and asks for our state) within one period.
  silent_periods_ = timing_.max_silent_periods;
  return true;
}

void Replicator::retire(const std::string& node, const PeerState& peer) {
  const ReplicaName old{node, peer.vsn};
  report(state_.permdown(old));
  generations_.remove_replica(old);
  pending_clocks_.remove(old);
  outstanding_.erase(node);
  stats_.replica_permdown_events.add();
  (peer.status == ReplicaStatus::up ? stats_.replicas_up : stats_.replicas_down).sub();
  if (hooks_.peer) hooks_.peer(old, std::nullopt);
}

void Replicator::on_request(const TransferRequest& q) {
  stats_.transfer_requests_received.add();
  TransferAck ack{q.id, state_.replica(), false, {}};
  if (auto delta = generations_.extract(q.from, q.clock)) {
    ack.state = std::move(*delta);
  } else {
    ack.full_state = true;
    ack.state = state_.extract(q.from, q.clock);
    stats_.full_transfers_sent.add();
  }
  hooks_.send(q.from.node, ack);
  stats_.transfers_sent.add();
}

void Replicator::on_ack(const TransferAck& a) {
  stats_.transfers_received.add();
  if (auto it = outstanding_.find(a.from.node); it != outstanding_.end() && it->second.id == a.id) {
    outstanding_.erase(it);
  }
  report(state_.merge(a.state));
  // A full state no longer lines up with the accumulated deltas; a delta extends them.
  if (a.full_state) {
    generations_.clear();
    return;
  }
  // The ack was pruned for us: it leaves out our own values but not our own dots, which
  // would read as "removed" to a peer later served from the generations. Our own history
  // is in the generations already, from our own broadcasts.
  Delta others = a.state;
  others.clouds.erase(state_.replica());
  others.range_start.erase(state_.replica());
  others.range_end.erase(state_.replica());
  generations_.push(state_.delta(), others);
}

void Replicator::request_transfer(const ReplicaName& to, Time now, bool force) {
  // One request in flight per node; an answer later than two periods counts as lost.
  if (auto it = outstanding_.find(to.node);
      !force && it != outstanding_.end() && now - it->second.sent < 2 * timing_.broadcast_period) {
    return;
  }
  const std::uint64_t id = ++next_request_id_;
  outstanding_.insert_or_assign(to.node, Outstanding{id, now});
  hooks_.send(to.node, TransferRequest{id, state_.replica(), state_.clocks()});
  stats_.transfer_requests_sent.add();
}

void Replicator::link_up(Time now) {
  for (const auto& [node, peer] : peers_) request_transfer(ReplicaName{node, peer.vsn}, now, true);
  silent_periods_ = timing_.max_silent_periods;
}

std::vector<Replicator::Peer> Replicator::peers() const {
  std::vector<Peer> out;
  out.reserve(peers_.size());
  for (const auto& [node, peer] : peers_) out.push_back(Peer{ReplicaName{node, peer.vsn}, peer.status, peer.last_heard});
  return out;
}

void Replicator::report(const Diff& diff) {
  if (!diff.empty() && hooks_.diff) hooks_.diff(diff);
}

}  // namespace roost::presence
