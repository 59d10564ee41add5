// Test support for the replication tests: several simulated nodes, each one tracker shard
// (State + Replicator) with a manual clock, exchanging encoded messages through an
// in-memory queue with per-link loss, node kills and restarts. Every diff a node reports
// is applied to a model of the JS client per topic (cluster_model.h), so tests can check
// what clients on each node would show. This drives the replication logic only; the
// real transport (Redis) is exercised by tests/cluster.
// Thread affinity: single-threaded test code. Ownership: the sim owns its nodes.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "roost/presence/replication_codec.h"
#include "roost/presence/replicator.h"
#include "roost/presence/state.h"
#include "unit/presence/cluster_model.h"

namespace roost::presence::testing {

using namespace std::chrono_literals;

inline ReplicationTiming short_timing() {
  TrackerOptions o;
  o.broadcast_period = 100ms;
  o.down_period = 1000ms;
  o.permdown_period = 5000ms;
  return ReplicationTiming::from(o);
}

class ReplicationSim {
 public:
  using Time = Replicator::Time;

  struct Node {
    std::string name;
    std::uint64_t vsn = 0;
    std::unique_ptr<State> state;
    ReplicationStats stats;
    std::unique_ptr<Replicator> replicator;
    std::map<std::string, ClientState> views;  // topic -> what a client there shows
    bool alive = true;
    Time next_tick{};
    int refs = 0;
  };

  ReplicationSim(int n, std::vector<std::string> topics, ReplicationTiming timing = short_timing())
      : topics_(std::move(topics)), timing_(timing) {
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<Node>());
      nodes_.back()->name = "n" + std::to_string(i);
      start(i, 1000 + static_cast<std::uint64_t>(i));
    }
  }

  // Hooks capture the sim: it stays where it was built.
  ReplicationSim(const ReplicationSim&) = delete;
  ReplicationSim& operator=(const ReplicationSim&) = delete;

  int size() const { return static_cast<int>(nodes_.size()); }
  Node& node(int i) { return *nodes_[i]; }
  State& state(int i) { return *nodes_[i]->state; }
  Replicator& replicator(int i) { return *nodes_[i]->replicator; }
  ReplicationStats& stats(int i) { return nodes_[i]->stats; }
  ReplicaName replica(int i) const { return ReplicaName{nodes_[i]->name, nodes_[i]->vsn}; }
  Time now() const { return now_; }
  const std::vector<std::string>& topics() const { return topics_; }

  // Whether a message from node `from` reaches node `to` (loss, partitions).
  std::function<bool(int from, int to)> link = [](int, int) { return true; };

  // --- local operations on node i, reported to its clients as the shard would ---
  Owner owner(int i, std::uint64_t id) const { return Owner{nodes_[i]->name, id}; }
  bool track(int i, std::uint64_t owner_id, const std::string& topic, const std::string& key,
             const std::string& fields = "{}") {
    auto d = state(i).join(owner(i, owner_id), topic, key, fields);
    if (d) feed(i, *d);
    return d.has_value();
  }
  bool update(int i, std::uint64_t owner_id, const std::string& topic, const std::string& key,
              const std::string& fields) {
    auto d = state(i).leave_join(owner(i, owner_id), topic, key, fields);
    if (d) feed(i, *d);
    return d.has_value();
  }
  void untrack(int i, std::uint64_t owner_id, const std::string& topic, const std::string& key) {
    feed(i, state(i).leave(owner(i, owner_id), topic, key));
  }
  void untrack_all(int i, std::uint64_t owner_id) { feed(i, state(i).leave_all(owner(i, owner_id))); }

  // --- time and the network ---

  // Moves the clock in small steps; nodes tick when their period is due, and every
  // message queued meanwhile is delivered (loopback transit is instantaneous here).
  void advance(std::chrono::milliseconds d, std::chrono::milliseconds step = 10ms) {
    const Time end = now_ + d;
    while (now_ < end) {
      now_ = std::min(end, now_ + step);
      for (int i = 0; i < size(); ++i) {
        Node& n = node(i);
        while (n.alive && n.next_tick <= now_) {
          n.replicator->tick(n.next_tick);
          n.next_tick += timing_.broadcast_period;
          pump();
        }
      }
      pump();
    }
  }

  // kill -9: no more ticks, messages to it vanish.
  void kill(int i) { node(i).alive = false; }
  // Starts a killed (or running) node again under the same name with a new incarnation and
  // empty state, as a restarted process; its clients' views start empty too.
  void restart(int i) {
    start(i, node(i).vsn + 1000);
  }
  // The bus came back on node i.
  void link_up(int i) {
    replicator(i).link_up(now_);
    pump();
  }

  // --- observations ---

  std::map<std::string, std::vector<Entry>> lists(int i) const { return visible_lists(*nodes_[i]->state, topics_); }
  // What node i's clients show for `topic`, metas sorted.
  ClientState view(int i, const std::string& topic) const {
    auto it = nodes_[i]->views.find(topic);
    return it == nodes_[i]->views.end() ? ClientState{} : sorted(it->second);
  }
  // Empty when every live node's clients show exactly its lists and all live nodes'
  // lists are identical; otherwise a description of the first difference.
  std::string divergence() const {
    int first = -1;
    for (int i = 0; i < size(); ++i) {
      if (!nodes_[i]->alive) continue;
      for (const auto& topic : topics_) {
        if (view(i, topic) != snapshot_of(*nodes_[i]->state, topic))
          return "node " + std::to_string(i) + " topic " + topic + ": client view differs from list";
      }
      if (first < 0) {
        first = i;
      } else if (lists(i) != lists(first)) {
        return "node " + std::to_string(i) + " lists differ from node " + std::to_string(first);
      }
    }
    return {};
  }
  std::size_t count(int i, const std::string& topic) const { return nodes_[i]->state->list(topic).size(); }
  std::size_t decode_failures() const { return decode_failures_; }

 private:
  struct Message {
    int from;
    int to;  // -1: every node (the bus echoes to the sender too)
    std::string bytes;
  };

  void start(int i, std::uint64_t vsn) {
    Node& n = node(i);
    n.vsn = vsn;
    n.alive = true;
    n.views.clear();
    n.refs = 0;
    n.replicator.reset();
    n.state = std::make_unique<State>(replica(i), [&n] { return n.name + "." + std::to_string(n.vsn) + "-" + std::to_string(++n.refs); });
    Replicator::Hooks hooks;
    hooks.diff = [this, i](const Diff& d) { feed(i, d); };
    hooks.broadcast = [this, i](const ReplicationMessage& m) { queue_.push_back({i, -1, encode(m)}); };
    hooks.send = [this, i](const std::string& to, const ReplicationMessage& m) {
      for (int j = 0; j < size(); ++j) {
        if (nodes_[j]->name == to) queue_.push_back({i, j, encode(m)});
      }
    };
    n.replicator = std::make_unique<Replicator>(*n.state, timing_, std::move(hooks), n.stats);
    // Staggered first ticks, as the shard's random initial delay does.
    n.next_tick = now_ + (timing_.broadcast_period / 4) * i / std::max(1, size());
  }

  void deliver(const Message& m, int to) {
    Node& n = node(to);
    if (!n.alive || (m.from != to && !link(m.from, to))) return;
    auto decoded = decode(m.bytes);
    if (!decoded) {
      ++decode_failures_;
      ADD_FAILURE() << "undecodable message: " << decoded.error().message();
      return;
    }
    n.replicator->receive(*decoded, now_);
  }

  void pump() {
    while (!queue_.empty()) {
      Message m = std::move(queue_.front());
      queue_.pop_front();
      if (!node(m.from).alive) continue;  // a killed node's last words never left it
      if (m.to >= 0) {
        deliver(m, m.to);
      } else {
        for (int j = 0; j < size(); ++j) deliver(m, j);
      }
    }
  }

  void feed(int i, const Diff& diff) { apply_diff(nodes_[i]->views, diff); }

  std::vector<std::string> topics_;
  ReplicationTiming timing_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::deque<Message> queue_;
  Time now_ = Time{} + std::chrono::hours(1);
  std::size_t decode_failures_ = 0;
};

}  // namespace roost::presence::testing
