// Property tests of the Tracker CRDT: random operation sequences on 2-4 replicas with
// random (lossy) delta exchange, transfers and replica liveness changes. Checked:
// every replica's emitted diffs, applied to a model of the JS client, give its list();
// replicas converge after a full exchange; merge is idempotent, commutative and
// associative; delta merging equals full-state merging.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "roost/presence/state.h"
#include "unit/presence/cluster_model.h"

namespace roost::presence {
namespace {

using testing::Cluster;
using testing::snapshot;
using testing::visible_lists;

enum class Kind { join, leave, update, leave_all, broadcast, transfer, down, up, permdown, compact };

struct Op {
  Kind kind = Kind::join;
  int node = 0;     // acting replica
  int other = 0;    // peer (transfer source, liveness target)
  int owner = 0;    // owner id on the acting node
  int topic = 0;
  int key = 0;
  unsigned mask = 0;  // broadcast: bit j set = delivered to replica j
};

std::ostream& operator<<(std::ostream& os, const Op& op) {
  static const char* const names[] = {"join", "leave", "update", "leave_all", "broadcast",
                                      "transfer", "down", "up", "permdown", "compact"};
  return os << names[static_cast<int>(op.kind)] << "(node=" << op.node << " other=" << op.other
            << " owner=" << op.owner << " topic=" << op.topic << " key=" << op.key << " mask=" << op.mask << ")";
}

const std::vector<std::string> kTopics = {"room:a", "room:b", "room:c"};

rc::Gen<Op> gen_op(int replicas, bool liveness, bool lossy) {
  std::initializer_list<std::pair<std::size_t, Kind>> with_liveness = {
      {10, Kind::join}, {4, Kind::leave}, {4, Kind::update}, {2, Kind::leave_all}, {8, Kind::broadcast},
      {2, Kind::transfer}, {1, Kind::down}, {1, Kind::up}, {1, Kind::permdown}, {1, Kind::compact}};
  std::initializer_list<std::pair<std::size_t, Kind>> without = {
      {10, Kind::join}, {4, Kind::leave}, {4, Kind::update}, {2, Kind::leave_all},
      {8, Kind::broadcast}, {1, Kind::compact}};
  const unsigned all = (1u << replicas) - 1;
  return rc::gen::build<Op>(
      rc::gen::set(&Op::kind, rc::gen::weightedElement<Kind>(liveness ? with_liveness : without)),
      rc::gen::set(&Op::node, rc::gen::inRange(0, replicas)),
      rc::gen::set(&Op::other, rc::gen::inRange(0, replicas)),
      rc::gen::set(&Op::owner, rc::gen::inRange(0, 3)),
      rc::gen::set(&Op::topic, rc::gen::inRange(0, static_cast<int>(kTopics.size()))),
      rc::gen::set(&Op::key, rc::gen::inRange(0, 3)),
      rc::gen::set(&Op::mask, lossy ? rc::gen::inRange(0u, all + 1) : rc::gen::just(all)));
}

rc::Gen<std::vector<Op>> gen_ops(int replicas, bool liveness, bool lossy) {
  return rc::gen::container<std::vector<Op>>(gen_op(replicas, liveness, lossy));
}

// Applies one operation; local operations report their diffs to the acting replica's
// clients, merges to the receiving replicas' clients.
void apply(Cluster& c, const Op& op, int serial) {
  State& s = c.node(op.node);
  const Owner owner{c.name(op.node).node, static_cast<std::uint64_t>(op.owner)};
  const std::string& topic = kTopics[op.topic];
  const std::string key = "user" + std::to_string(op.key);
  const std::string fields = R"({"serial":)" + std::to_string(serial) + "}";
  switch (op.kind) {
    case Kind::join: {
      auto d = s.join(owner, topic, key, fields);
      RC_ASSERT(d.has_value() == (c.node(op.node).find(owner, topic, key)->meta.fields == fields));
      if (d) c.feed(op.node, *d);
      break;
    }
    case Kind::leave: c.feed(op.node, s.leave(owner, topic, key)); break;
    case Kind::update: {
      const Entry* before = s.find(owner, topic, key);
      const std::string old_ref = before ? before->meta.phx_ref : std::string{};
      auto d = s.leave_join(owner, topic, key, fields);
      RC_ASSERT(d.has_value() == (before != nullptr));
      if (d) {
        RC_ASSERT(d->joins.size() == 1u);
        RC_ASSERT(d->joins[0].meta.phx_ref_prev == old_ref);
        c.feed(op.node, *d);
      }
      break;
    }
    case Kind::leave_all: c.feed(op.node, s.leave_all(owner)); break;
    case Kind::broadcast: c.broadcast(op.node, [&](int j) { return (op.mask >> j) & 1u; }); break;
    case Kind::transfer: c.transfer(op.node, op.other); break;
    case Kind::down: c.feed(op.node, s.replica_down(c.name(op.other))); break;
    case Kind::up: c.feed(op.node, s.replica_up(c.name(op.other))); break;
    case Kind::permdown: c.feed(op.node, s.permdown(c.name(op.other))); break;
    case Kind::compact: s.compact(); break;
  }
}

// The main property: client views match lists after every step, and everybody converges.
RC_GTEST_PROP(PresenceStateProperty, DiffsReproduceListsAndReplicasConverge, ()) {
  const int n = *rc::gen::inRange(2, 5);
  const auto ops = *gen_ops(n, /*liveness=*/true, /*lossy=*/true);
  Cluster c(n, kTopics);
  int serial = 0;
  for (const Op& op : ops) {
    apply(c, op, ++serial);
    const std::string mismatch = c.view_mismatch();
    RC_ASSERT(mismatch.empty());
  }
  c.full_exchange();
  RC_ASSERT(c.view_mismatch().empty());
  const auto reference = visible_lists(c.node(0), kTopics);
  for (int i = 1; i < n; ++i) RC_ASSERT(visible_lists(c.node(i), kTopics) == reference);
  // Converged replicas also agree on the causal context.
  for (int i = 1; i < n; ++i) RC_ASSERT(c.node(i).context() == c.node(0).context());
}

// A history after which replicas hold different, partial views of each other.
Cluster diverged_cluster(int n) {
  const auto ops = *gen_ops(n, /*liveness=*/false, /*lossy=*/true);
  Cluster c(n, kTopics);
  int serial = 0;
  for (const Op& op : ops) apply(c, op, ++serial);
  return c;
}

RC_GTEST_PROP(PresenceStateProperty, MergeIsIdempotent, ()) {
  Cluster c = diverged_cluster(3);
  State s = c.node(0);
  const Delta x = c.node(1).extract(c.name(0), s.clocks());
  s.merge(x);
  const auto once = snapshot(s);
  RC_ASSERT(s.merge(x).empty());
  RC_ASSERT(snapshot(s) == once);
  // Deltas too: re-delivering a broadcast delta changes nothing.
  State b = c.node(2);
  const Delta d = c.node(1).delta();
  b.merge(d);
  const auto after = snapshot(b);
  RC_ASSERT(b.merge(d).empty());
  RC_ASSERT(snapshot(b) == after);
}

RC_GTEST_PROP(PresenceStateProperty, MergeIsCommutative, ()) {
  Cluster c = diverged_cluster(3);
  const Delta x = c.node(1).extract(c.name(0), c.node(0).clocks());
  const Delta y = c.node(2).extract(c.name(0), c.node(0).clocks());
  State xy = c.node(0);
  xy.merge(x);
  xy.merge(y);
  State yx = c.node(0);
  yx.merge(y);
  yx.merge(x);
  RC_ASSERT(snapshot(xy) == snapshot(yx));
  // Pending deltas (lossy history: they may overlap or have gaps) commute as well.
  const Delta dx = c.node(1).delta();
  const Delta dy = c.node(2).delta();
  State a = c.node(0);
  a.merge(dx);
  a.merge(dy);
  State b = c.node(0);
  b.merge(dy);
  b.merge(dx);
  RC_ASSERT(snapshot(a) == snapshot(b));
}

RC_GTEST_PROP(PresenceStateProperty, MergeIsAssociative, ()) {
  Cluster c = diverged_cluster(4);
  const ReplicaName& s_name = c.name(0);
  const Context s_clock = c.node(0).clocks();
  // (S ⊔ X) ⊔ Y
  State left = c.node(0);
  left.merge(c.node(1).extract(s_name, s_clock));
  left.merge(c.node(2).extract(s_name, s_clock));
  // S ⊔ (X ⊔ Y): X ⊔ Y is replica 1 after merging replica 2's state.
  State x_join_y = c.node(1);
  x_join_y.merge(c.node(2).extract(c.name(1), x_join_y.clocks()));
  State right = c.node(0);
  right.merge(x_join_y.extract(s_name, s_clock));
  RC_ASSERT(snapshot(left) == snapshot(right));
}

// Two worlds run the same local operations; at every broadcast, world D delivers the
// delta and world F the sender's full state. Every replica must hold the same entries.
RC_GTEST_PROP(PresenceStateProperty, DeltaMergeEqualsFullStateMerge, ()) {
  const int n = *rc::gen::inRange(2, 5);
  const auto ops = *gen_ops(n, /*liveness=*/false, /*lossy=*/false);
  Cluster deltas(n, kTopics);
  Cluster full(n, kTopics);
  int serial = 0;
  for (const Op& op : ops) {
    ++serial;
    apply(deltas, op, serial);
    if (op.kind == Kind::broadcast) {
      if (full.node(op.node).has_delta()) {
        full.node(op.node).reset_delta();
        for (int j = 0; j < n; ++j) full.transfer(j, op.node);
      }
    } else {
      apply(full, op, serial);
    }
    for (int i = 0; i < n; ++i) RC_ASSERT(snapshot(deltas.node(i)).entries == snapshot(full.node(i)).entries);
  }
  RC_ASSERT(deltas.view_mismatch().empty());
  RC_ASSERT(full.view_mismatch().empty());
}

}  // namespace
}  // namespace roost::presence
