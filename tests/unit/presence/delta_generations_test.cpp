// Unit tests of DeltaGenerations: accumulation within size limits, choice of the smallest
// generation that covers a requester's gap, fallback to the full state.
#include "roost/presence/delta_generations.h"

#include <gtest/gtest.h>

#include <string>

#include "roost/presence/state.h"

namespace roost::presence {
namespace {

const ReplicaName kA{"a@host", 1};
const ReplicaName kB{"b@host", 2};

State::RefGenerator counter_refs(std::string prefix) {
  return [prefix = std::move(prefix), n = 0]() mutable { return prefix + std::to_string(++n); };
}

struct Fixture {
  State a{kA, counter_refs("A")};
  State b{kB, counter_refs("B")};
  DeltaGenerations gens{{4, 100}};
  Fixture() {
    a.replica_up(kB);
    b.replica_up(kA);
  }
  void broadcast(bool delivered) {
    const Delta d = a.delta();
    a.reset_delta();
    gens.push(a.delta(), d);
    if (delivered) b.merge(d);
  }
};

TEST(PresenceDeltaGenerations, ServesTheSmallestGenerationThatCoversTheGap) {
  Fixture f;
  f.a.join(Owner{kA.node, 1}, "t", "x", "{}").value();
  f.broadcast(true);
  f.a.join(Owner{kA.node, 2}, "t", "y", "{}").value();
  f.broadcast(false);
  const Context b_clock_at_1 = f.b.clocks();  // b has seen clock 1 of a
  f.a.join(Owner{kA.node, 3}, "t", "z", "{}").value();
  f.broadcast(false);

  ASSERT_EQ(f.gens.generations().size(), 2u);
  // Generation 0 overflowed (limit 4) and restarted at clock 2; generation 1 spans 0..3.
  EXPECT_EQ(f.gens.generations()[0].range_start.at(kA), 2u);
  EXPECT_EQ(f.gens.generations()[1].range_start.at(kA), 0u);
  EXPECT_EQ(f.gens.generations()[1].range_end.at(kA), 3u);

  auto delta = f.gens.extract(kB, b_clock_at_1);
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(delta->range_start.at(kA), 0u);
  Diff d = f.b.merge(*delta);
  EXPECT_EQ(d.joins.size(), 2u);
  EXPECT_EQ(f.b.list("t").size(), 3u);
  EXPECT_EQ(f.b.context().at(kA), 3u);

  // A requester that saw clock 2 gets the smaller generation.
  auto small = f.gens.extract(kB, Context{{kA, 2}, {kB, 0}});
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->range_start.at(kA), 2u);
  // Up to date: nothing to send.
  EXPECT_FALSE(f.gens.extract(kB, f.b.clocks()).has_value());
}

TEST(PresenceDeltaGenerations, FallsBackToFullStateWhenHistoryIsTooShort) {
  Fixture f;
  f.gens = DeltaGenerations({2});
  f.a.join(Owner{kA.node, 1}, "t", "x", "{}").value();
  f.broadcast(false);
  f.a.join(Owner{kA.node, 2}, "t", "y", "{}").value();
  f.broadcast(false);
  // The only generation starts at clock 1: a requester at 0 would get a gap.
  EXPECT_FALSE(f.gens.extract(kB, f.b.clocks()).has_value());
  f.b.merge(f.a.extract(kB, f.b.clocks()));
  EXPECT_EQ(f.b.list("t").size(), 2u);
}

TEST(PresenceDeltaGenerations, RemoveReplicaPurgesItsData) {
  Fixture f;
  f.a.join(Owner{kA.node, 1}, "t", "x", "{}").value();
  f.broadcast(true);
  f.gens.remove_replica(kA);
  for (const Delta& g : f.gens.generations()) {
    EXPECT_TRUE(g.values.empty());
    EXPECT_TRUE(g.clouds.empty());
    EXPECT_FALSE(g.range_end.contains(kA));
  }
  f.gens.clear();
  EXPECT_TRUE(f.gens.generations().empty());
}

}  // namespace
}  // namespace roost::presence
