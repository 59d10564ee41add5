// Test support for the presence property tests: a model of the phoenix.js client's
// Presence.syncDiff (presence.md §5.5) and a small in-memory cluster of State replicas
// whose every emitted Diff is fed to one client model per replica and topic.
// Thread affinity: single-threaded test code. Ownership: the cluster owns its States.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "roost/presence/meta.h"
#include "roost/presence/state.h"

namespace roost::presence::testing {

// One meta as the client holds it: only the ref matters to the algorithm.
struct ClientMeta {
  std::string ref;
  std::string json;
  friend bool operator==(const ClientMeta&, const ClientMeta&) = default;
  friend auto operator<=>(const ClientMeta&, const ClientMeta&) = default;
};

// key -> metas, the JS `state` object (key order is irrelevant to the algorithm).
using ClientState = std::map<std::string, std::vector<ClientMeta>>;
using ClientSide = std::map<std::string, std::vector<ClientMeta>>;  // joins or leaves of one diff

// Presence.syncDiff: joins first (existing metas not re-joined stay in front of the joined
// ones), then leaves (remove by ref; a key with no metas left disappears; a leave for an
// unknown key is ignored).
inline void sync_diff(ClientState& state, const ClientSide& joins, const ClientSide& leaves) {
  for (const auto& [key, joined] : joins) {
    std::vector<ClientMeta> metas;
    if (auto current = state.find(key); current != state.end()) {
      for (const ClientMeta& m : current->second) {
        const bool rejoined =
            std::any_of(joined.begin(), joined.end(), [&](const ClientMeta& j) { return j.ref == m.ref; });
        if (!rejoined) metas.push_back(m);
      }
    }
    metas.insert(metas.end(), joined.begin(), joined.end());
    state[key] = std::move(metas);
  }
  for (const auto& [key, left] : leaves) {
    auto current = state.find(key);
    if (current == state.end()) continue;
    auto& metas = current->second;
    std::erase_if(metas, [&](const ClientMeta& m) {
      return std::any_of(left.begin(), left.end(), [&](const ClientMeta& l) { return l.ref == m.ref; });
    });
    if (metas.empty()) state.erase(current);
  }
}

inline ClientMeta client_meta(const Entry& e) { return ClientMeta{e.meta.phx_ref, to_json(e.meta)}; }

// One replica's Diff as its clients receive it: one presence_diff per topic, applied to
// each topic's client model.
inline void apply_diff(std::map<std::string, ClientState>& views, const Diff& diff) {
  for (const auto& [topic, td] : diff.by_topic()) {
    ClientSide joins;
    ClientSide leaves;
    for (const Entry* e : td.joins) joins[e->key].push_back(client_meta(*e));
    for (const Entry* e : td.leaves) leaves[e->key].push_back(client_meta(*e));
    sync_diff(views[topic], joins, leaves);
  }
}

// The topic's list as the client would receive it in presence_state, with each key's
// metas sorted so it compares against a client state regardless of learning order.
inline ClientState snapshot_of(const State& state, const std::string& topic) {
  ClientState out;
  for (const Entry* e : state.list(topic)) out[e->key].push_back(client_meta(*e));
  for (auto& [key, metas] : out) std::sort(metas.begin(), metas.end());
  return out;
}

inline ClientState sorted(ClientState state) {
  for (auto& [key, metas] : state) std::sort(metas.begin(), metas.end());
  return state;
}

// Everything a replica stores, hidden entries included, plus its causal context and
// replica table: two replicas with equal snapshots hold the same CRDT state.
struct Snapshot {
  std::vector<Entry> entries;  // by tag
  Context context;
  Clouds clouds;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

inline Snapshot snapshot(const State& state) {
  Snapshot s;
  for (const Entry& e : state.entries().get<ByTag>()) s.entries.push_back(e);
  s.context = state.context();
  s.clouds = state.clouds();
  return s;
}

// The visible entries of every topic, for cross-replica comparison.
inline std::map<std::string, std::vector<Entry>> visible_lists(const State& state,
                                                               const std::vector<std::string>& topics) {
  std::map<std::string, std::vector<Entry>> out;
  for (const auto& topic : topics) {
    for (const Entry* e : state.list(topic)) out[topic].push_back(*e);
  }
  return out;
}

inline State::RefGenerator counter_refs(std::string prefix) {
  return [prefix = std::move(prefix), n = 0]() mutable { return prefix + "-" + std::to_string(++n); };
}

class Cluster {
 public:
  Cluster(int size, std::vector<std::string> topics) : topics_(std::move(topics)) {
    for (int i = 0; i < size; ++i) {
      names_.push_back(ReplicaName{"n" + std::to_string(i) + "@host", 100u + static_cast<unsigned>(i)});
    }
    for (int i = 0; i < size; ++i) {
      nodes_.emplace_back(names_[i], counter_refs(names_[i].node));
      views_.emplace_back();
    }
    // Everyone has heard everyone's first heartbeat.
    for (int i = 0; i < size; ++i) {
      for (int j = 0; j < size; ++j) {
        if (i != j) feed(i, nodes_[i].replica_up(names_[j]));
      }
    }
  }

  int size() const { return static_cast<int>(nodes_.size()); }
  State& node(int i) { return nodes_[i]; }
  const ReplicaName& name(int i) const { return names_[i]; }
  const std::vector<std::string>& topics() const { return topics_; }

  // Every Diff a replica reports goes to its clients' models, as presence_diff does.
  void feed(int i, const Diff& diff) { apply_diff(views_[i], diff); }

  // Broadcast i's pending delta; `delivered(j)` says whether j receives it.
  template <class Delivered>
  void broadcast(int i, Delivered delivered) {
    if (!nodes_[i].has_delta()) return;
    const Delta delta = nodes_[i].delta();
    nodes_[i].reset_delta();
    nodes_[i].compact();
    for (int j = 0; j < size(); ++j) {
      if (j != i && delivered(j)) feed(j, nodes_[j].merge(delta));
    }
  }

  // j answers i's transfer request with its full state pruned for i.
  void transfer(int i, int j) {
    if (i == j) return;
    feed(i, nodes_[i].merge(nodes_[j].extract(names_[i], nodes_[i].clocks())));
  }

  // Heals everything: every replica up everywhere, then two rounds of full transfers.
  void full_exchange() {
    for (int i = 0; i < size(); ++i) {
      for (int j = 0; j < size(); ++j) {
        if (i != j) feed(i, nodes_[i].replica_up(names_[j]));
      }
    }
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < size(); ++i) {
        for (int j = 0; j < size(); ++j) transfer(i, j);
      }
    }
  }

  // Empty when every replica's client models equal its lists; otherwise what differs.
  std::string view_mismatch() const {
    for (int i = 0; i < static_cast<int>(nodes_.size()); ++i) {
      for (const auto& topic : topics_) {
        auto it = views_[i].find(topic);
        ClientState view = it == views_[i].end() ? ClientState{} : sorted(it->second);
        if (view != snapshot_of(nodes_[i], topic)) {
          return "replica " + std::to_string(i) + " topic " + topic + ": client view differs from list";
        }
      }
    }
    return {};
  }

 private:
  std::vector<std::string> topics_;
  std::vector<ReplicaName> names_;
  std::vector<State> nodes_;
  std::vector<std::map<std::string, ClientState>> views_;
};

}  // namespace roost::presence::testing
