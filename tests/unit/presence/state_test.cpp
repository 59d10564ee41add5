// Unit tests of the Tracker CRDT state: each local operation and the diff it reports,
// replica liveness, merges, extraction and the helpers around them.
#include "roost/presence/state.h"

#include <gtest/gtest.h>

#include <string>

#include "roost/presence/meta.h"

namespace roost::presence {
namespace {

State::RefGenerator counter_refs(std::string prefix) {
  return [prefix = std::move(prefix), n = 0]() mutable { return prefix + std::to_string(++n); };
}

const ReplicaName kA{"a@host", 1};
const ReplicaName kB{"b@host", 7};
const ReplicaName kC{"c@host", 3};

Owner owner_on(const ReplicaName& r, std::uint64_t id) { return Owner{r.node, id}; }

// Two replicas that know each other, as after their first heartbeats.
struct Pair {
  State a{kA, counter_refs("A")};
  State b{kB, counter_refs("B")};
  Pair() {
    a.replica_up(kB);
    b.replica_up(kA);
  }
  Diff deliver_a_to_b() {
    Diff d = b.merge(a.delta());
    a.reset_delta();
    return d;
  }
};

TEST(PresenceState, JoinReportsTheNewEntryWithAFreshRef) {
  State s(kA, counter_refs("r"));
  auto diff = s.join(owner_on(kA, 1), "room:1", "alice", R"({"device":"web"})");
  ASSERT_TRUE(diff.has_value());
  ASSERT_EQ(diff->joins.size(), 1u);
  EXPECT_TRUE(diff->leaves.empty());
  const Entry& e = diff->joins[0];
  EXPECT_EQ(e.topic, "room:1");
  EXPECT_EQ(e.key, "alice");
  EXPECT_EQ(e.meta.phx_ref, "r1");
  EXPECT_TRUE(e.meta.phx_ref_prev.empty());
  EXPECT_EQ(e.tag, (Dot{kA, 1}));
  EXPECT_EQ(to_json(e.meta), R"({"device":"web","phx_ref":"r1"})");
  ASSERT_EQ(s.list("room:1").size(), 1u);
  EXPECT_EQ(*s.list("room:1")[0], e);
  EXPECT_TRUE(s.has_delta());
  EXPECT_EQ(s.delta().values.size(), 1u);
}

TEST(PresenceState, JoinOfATrackedIdentityIsAlreadyTrackedAndChangesNothing) {
  State s(kA, counter_refs("r"));
  ASSERT_TRUE(s.join(owner_on(kA, 1), "t", "k", "{}").has_value());
  const auto clock = s.clock();
  auto again = s.join(owner_on(kA, 1), "t", "k", R"({"x":1})");
  ASSERT_TRUE(again.has_error());
  EXPECT_EQ(again.error(), make_error_code(TrackerError::already_tracked));
  EXPECT_EQ(again.error().message(), "already_tracked");
  EXPECT_EQ(s.clock(), clock);
  EXPECT_EQ(s.list("t")[0]->meta.fields, "{}");
  // Same owner, other key or topic; same key, other owner: all distinct entries.
  EXPECT_TRUE(s.join(owner_on(kA, 1), "t", "k2", "{}").has_value());
  EXPECT_TRUE(s.join(owner_on(kA, 1), "t2", "k", "{}").has_value());
  EXPECT_TRUE(s.join(owner_on(kA, 2), "t", "k", "{}").has_value());
  EXPECT_EQ(s.list("t").size(), 3u);
  EXPECT_EQ(s.get_by_key("t", "k").size(), 2u);
}

TEST(PresenceState, LeaveReportsTheOldMetaAndIsANoOpWhenAbsent) {
  State s(kA, counter_refs("r"));
  s.join(owner_on(kA, 1), "t", "k", R"({"a":1})").value();
  s.reset_delta();
  Diff diff = s.leave(owner_on(kA, 1), "t", "k");
  ASSERT_EQ(diff.leaves.size(), 1u);
  EXPECT_EQ(diff.leaves[0].meta.phx_ref, "r1");
  EXPECT_TRUE(diff.joins.empty());
  EXPECT_TRUE(s.list("t").empty());
  // The delta says "dot 1 seen, no value": a removal.
  EXPECT_TRUE(s.delta().values.empty());
  EXPECT_TRUE(s.delta().clouds.at(kA).contains(1));

  const auto clock = s.clock();
  EXPECT_TRUE(s.leave(owner_on(kA, 1), "t", "k").empty());
  EXPECT_TRUE(s.leave(owner_on(kA, 9), "nope", "k").empty());
  EXPECT_EQ(s.clock(), clock);
}

TEST(PresenceState, UpdateIsOneDiffWithNewRefAndPrevRef) {
  State s(kA, counter_refs("r"));
  s.join(owner_on(kA, 1), "t", "k", R"({"s":"a"})").value();
  auto diff = s.leave_join(owner_on(kA, 1), "t", "k", R"({"s":"b"})");
  ASSERT_TRUE(diff.has_value());
  ASSERT_EQ(diff->joins.size(), 1u);
  ASSERT_EQ(diff->leaves.size(), 1u);
  EXPECT_EQ(diff->leaves[0].meta.phx_ref, "r1");
  EXPECT_EQ(diff->leaves[0].meta.fields, R"({"s":"a"})");
  EXPECT_EQ(diff->joins[0].meta.phx_ref, "r2");
  EXPECT_EQ(diff->joins[0].meta.phx_ref_prev, "r1");
  EXPECT_EQ(to_json(diff->joins[0].meta), R"({"s":"b","phx_ref":"r2","phx_ref_prev":"r1"})");
  auto listed = s.list("t");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]->meta.phx_ref, "r2");
  // A second update chains: prev is the ref it replaced, not the original.
  auto again = s.leave_join(owner_on(kA, 1), "t", "k", "{}");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->joins[0].meta.phx_ref_prev, "r2");
}

TEST(PresenceState, UpdateOfAnUntrackedIdentityIsNoPresence) {
  State s(kA, counter_refs("r"));
  auto diff = s.leave_join(owner_on(kA, 1), "t", "k", "{}");
  ASSERT_TRUE(diff.has_error());
  EXPECT_EQ(diff.error(), make_error_code(TrackerError::nopresence));
  EXPECT_EQ(diff.error().message(), "nopresence");
  EXPECT_FALSE(s.has_delta());
}

TEST(PresenceState, UpdateReachesAPeerAsOneAtomicDiff) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "k", "{}").value();
  p.deliver_a_to_b();
  p.a.leave_join(owner_on(kA, 1), "t", "k", R"({"away":true})").value();
  Diff d = p.deliver_a_to_b();
  ASSERT_EQ(d.joins.size(), 1u);
  ASSERT_EQ(d.leaves.size(), 1u);
  EXPECT_EQ(d.leaves[0].meta.phx_ref, "A1");
  EXPECT_EQ(d.joins[0].meta.phx_ref, "A2");
  EXPECT_EQ(d.joins[0].meta.phx_ref_prev, "A1");
  ASSERT_EQ(p.b.list("t").size(), 1u);
  EXPECT_EQ(p.b.list("t")[0]->meta.fields, R"({"away":true})");
}

TEST(PresenceState, LeaveAllRemovesEveryEntryOfTheOwnerOnly) {
  State s(kA, counter_refs("r"));
  const Owner o1 = owner_on(kA, 1);
  const Owner o2 = owner_on(kA, 2);
  s.join(o1, "t1", "k", "{}").value();
  s.join(o1, "t2", "k", "{}").value();
  s.join(o1, "t2", "k2", "{}").value();
  s.join(o2, "t1", "k", "{}").value();
  Diff diff = s.leave_all(o1);
  ASSERT_EQ(diff.leaves.size(), 3u);
  EXPECT_TRUE(diff.joins.empty());
  EXPECT_EQ(diff.leaves[0].meta.phx_ref, "r1");  // creation order
  EXPECT_EQ(diff.leaves[2].meta.phx_ref, "r3");
  auto grouped = diff.by_topic();
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped["t1"].leaves.size(), 1u);
  EXPECT_EQ(grouped["t2"].leaves.size(), 2u);
  ASSERT_EQ(s.list("t1").size(), 1u);
  EXPECT_EQ(s.list("t1")[0]->owner, o2);
  EXPECT_TRUE(s.list("t2").empty());
  EXPECT_TRUE(s.leave_all(o1).empty());
}

TEST(PresenceState, LocalOperationsNeverTouchAnotherReplicasEntries) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "k", "{}").value();
  p.deliver_a_to_b();
  EXPECT_TRUE(p.b.leave(owner_on(kA, 1), "t", "k").empty());
  EXPECT_TRUE(p.b.leave_all(owner_on(kA, 1)).empty());
  EXPECT_EQ(p.b.leave_join(owner_on(kA, 1), "t", "k", "{}").error(), make_error_code(TrackerError::nopresence));
  EXPECT_EQ(p.b.join(owner_on(kA, 1), "t", "k", "{}").error(), make_error_code(TrackerError::already_tracked));
  EXPECT_EQ(p.b.list("t").size(), 1u);
}

TEST(PresenceState, DeltaMergeReportsJoinsAndLeavesAndIsIdempotent) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "alice", "{}").value();
  p.a.join(owner_on(kA, 2), "t", "bob", "{}").value();
  const Delta first = p.a.delta();
  Diff d = p.deliver_a_to_b();
  EXPECT_EQ(d.joins.size(), 2u);
  EXPECT_TRUE(p.b.merge(first).empty());
  EXPECT_EQ(p.b.list("t").size(), 2u);

  p.a.leave(owner_on(kA, 1), "t", "alice");
  Diff d2 = p.deliver_a_to_b();
  ASSERT_EQ(d2.leaves.size(), 1u);
  EXPECT_EQ(d2.leaves[0].key, "alice");
  // The observed removal is re-announced in b's own delta.
  EXPECT_TRUE(p.b.delta().clouds.at(kA).contains(1));
  EXPECT_EQ(p.b.context(), p.a.context());
}

TEST(PresenceState, JoinAndLeaveBetweenTwoBroadcastsIsInvisibleToPeers) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "k", "{}").value();
  p.a.leave(owner_on(kA, 1), "t", "k");
  EXPECT_TRUE(p.a.has_delta());
  EXPECT_TRUE(p.deliver_a_to_b().empty());
  EXPECT_TRUE(p.b.list("t").empty());
  EXPECT_EQ(p.b.context().at(kA), p.a.clock());
}

TEST(PresenceState, ValuesOfUnknownReplicasAreIgnored) {
  State a(kA, counter_refs("A"));
  State b(kB, counter_refs("B"));  // has not heard from a
  a.join(owner_on(kA, 1), "t", "k", "{}").value();
  EXPECT_TRUE(b.merge(a.delta()).empty());
  EXPECT_TRUE(b.list("t").empty());
  EXPECT_FALSE(b.context().contains(kA));
  // Once up, a full-state transfer brings the entry.
  b.replica_up(kA);
  Diff d = b.merge(a.extract(kB, b.clocks()));
  EXPECT_EQ(d.joins.size(), 1u);
  EXPECT_EQ(b.list("t").size(), 1u);
}

TEST(PresenceState, LostDeltaIsRepairedByFullStateTransfer) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "alice", "{}").value();
  p.a.join(owner_on(kA, 2), "t", "bob", "{}").value();
  p.deliver_a_to_b();
  p.a.leave(owner_on(kA, 1), "t", "alice");
  p.a.reset_delta();  // lost
  p.a.join(owner_on(kA, 3), "t", "carol", "{}").value();
  Diff d = p.deliver_a_to_b();
  EXPECT_EQ(d.joins.size(), 1u);
  EXPECT_TRUE(d.leaves.empty());
  EXPECT_FALSE(p.b.clouds().empty());  // a gap where the lost dots are

  Diff repair = p.b.merge(p.a.extract(kB, p.b.clocks()));
  ASSERT_EQ(repair.leaves.size(), 1u);
  EXPECT_EQ(repair.leaves[0].key, "alice");
  EXPECT_TRUE(repair.joins.empty());
  EXPECT_TRUE(p.b.clouds().empty());
  EXPECT_EQ(p.b.context().at(kA), p.a.clock());
  EXPECT_EQ(p.b.list("t").size(), 2u);
}

TEST(PresenceState, ExtractIsPrunedForTheRequester) {
  Pair p;
  State c(kC, counter_refs("C"));
  p.a.replica_up(kC);
  c.replica_up(kA);
  c.join(owner_on(kC, 1), "t", "c", "{}").value();
  p.a.merge(c.extract(kA, p.a.clocks()));
  p.b.join(owner_on(kB, 1), "t", "b", "{}").value();
  p.a.merge(p.b.extract(kA, p.a.clocks()));
  p.a.join(owner_on(kA, 1), "t", "a", "{}").value();
  ASSERT_EQ(p.a.list("t").size(), 3u);

  // b does not know c: nothing of c, and none of b's own entries.
  Delta for_b = p.a.extract(kB, p.b.clocks());
  EXPECT_FALSE(for_b.context.contains(kC));
  ASSERT_EQ(for_b.values.size(), 1u);
  EXPECT_EQ(for_b.values.begin()->second.key, "a");
}

TEST(PresenceState, ReplicaDownHidesAndUpReveals) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "alice", "{}").value();
  p.a.join(owner_on(kA, 2), "u", "bob", "{}").value();
  p.deliver_a_to_b();
  p.b.join(owner_on(kB, 1), "t", "carol", "{}").value();

  Diff down = p.b.replica_down(kA);
  EXPECT_EQ(down.leaves.size(), 2u);
  EXPECT_TRUE(down.joins.empty());
  EXPECT_EQ(p.b.status(kA), ReplicaStatus::down);
  ASSERT_EQ(p.b.list("t").size(), 1u);
  EXPECT_EQ(p.b.list("t")[0]->key, "carol");
  EXPECT_TRUE(p.b.get_by_key("u", "bob").empty());
  EXPECT_NE(p.b.find(owner_on(kA, 2), "u", "bob"), nullptr);  // kept
  EXPECT_FALSE(p.b.clocks().contains(kA));
  EXPECT_TRUE(p.b.replica_down(kA).empty());  // already down

  // While down, its changes are stored silently.
  p.a.join(owner_on(kA, 3), "t", "dave", "{}").value();
  EXPECT_TRUE(p.deliver_a_to_b().empty());

  Diff up = p.b.replica_up(kA);
  EXPECT_EQ(up.joins.size(), 3u);
  EXPECT_TRUE(up.leaves.empty());
  EXPECT_EQ(p.b.list("t").size(), 3u);
  EXPECT_TRUE(p.b.replica_up(kA).empty());  // already up
}

TEST(PresenceState, PermdownPurgesForGood) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "alice", "{}").value();
  p.deliver_a_to_b();
  p.a.leave(owner_on(kA, 1), "t", "alice");
  p.b.merge(p.a.delta());  // b's delta now carries a's dot as observed removal
  p.a.join(owner_on(kA, 2), "t", "bob", "{}").value();
  p.deliver_a_to_b();
  ASSERT_EQ(p.b.list("t").size(), 1u);

  Diff gone = p.b.permdown(kA);
  ASSERT_EQ(gone.leaves.size(), 1u);  // it was up: leaves first
  EXPECT_EQ(gone.leaves[0].key, "bob");
  EXPECT_EQ(p.b.size(), 0u);
  EXPECT_FALSE(p.b.context().contains(kA));
  EXPECT_FALSE(p.b.status(kA).has_value());
  EXPECT_FALSE(p.b.delta().clouds.contains(kA));
  // Unknown again: its deltas are ignored.
  p.a.join(owner_on(kA, 3), "t", "carol", "{}").value();
  EXPECT_TRUE(p.deliver_a_to_b().empty());

  // Permdown of a replica already down reports nothing more.
  State c(kC, counter_refs("C"));
  c.replica_up(kA);
  c.merge(p.a.extract(kC, c.clocks()));
  ASSERT_EQ(c.list("t").size(), 2u);
  EXPECT_EQ(c.replica_down(kA).leaves.size(), 2u);
  EXPECT_TRUE(c.permdown(kA).empty());
  EXPECT_EQ(c.size(), 0u);
}

TEST(PresenceState, OwnReplicaIsNeverDownedNorItsEntriesMergedAway) {
  Pair p;
  p.a.join(owner_on(kA, 1), "t", "k", "{}").value();
  EXPECT_TRUE(p.a.replica_down(kA).empty());
  EXPECT_TRUE(p.a.permdown(kA).empty());
  EXPECT_EQ(p.a.list("t").size(), 1u);
  p.deliver_a_to_b();
  // b's full state, which omits a's own entries, does not remove them from a.
  EXPECT_TRUE(p.a.merge(p.b.extract(kA, p.a.clocks())).empty());
  EXPECT_EQ(p.a.list("t").size(), 1u);
}

TEST(PresenceState, ResetDeltaStartsAtTheCurrentClock) {
  State s(kA, counter_refs("r"));
  EXPECT_FALSE(s.has_delta());
  s.join(owner_on(kA, 1), "t", "k", "{}").value();
  s.leave(owner_on(kA, 1), "t", "k");
  EXPECT_EQ(s.delta().range_start.at(kA), 0u);
  EXPECT_EQ(s.delta().range_end.at(kA), 2u);
  EXPECT_EQ(s.delta().size(), 2u);  // two dots, no value
  s.reset_delta();
  EXPECT_FALSE(s.has_delta());
  EXPECT_EQ(s.delta().range_start.at(kA), 2u);
  EXPECT_EQ(s.delta().range_end.at(kA), 2u);
}

TEST(PresenceState, ListIsPerTopicAndGroupedByKey) {
  State s(kA, counter_refs("r"));
  s.join(owner_on(kA, 2), "room:1", "bob", "{}").value();
  s.join(owner_on(kA, 1), "room:1", "alice", "{}").value();
  s.join(owner_on(kA, 3), "room:1", "alice", "{}").value();
  s.join(owner_on(kA, 1), "room:10", "alice", "{}").value();
  s.join(owner_on(kA, 1), "room:", "alice", "{}").value();
  auto l = s.list("room:1");
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0]->key, "alice");
  EXPECT_EQ(l[1]->key, "alice");
  EXPECT_EQ(l[2]->key, "bob");
  EXPECT_EQ(s.get_by_key("room:1", "alice").size(), 2u);
  EXPECT_TRUE(s.get_by_key("room:1", "carol").empty());
  EXPECT_TRUE(s.list("room:2").empty());
}

TEST(PresenceState, BigRoomStaysCheap) {
  // 2,000 joins on one topic, replicated by delta; each step is O(log n), so this runs
  // in milliseconds even in a debug build. A quadratic step would take seconds.
  Pair p;
  for (std::uint64_t i = 1; i <= 2000; ++i) {
    p.a.join(owner_on(kA, i), "room:big", "user" + std::to_string(i), R"({"n":1})").value();
    Diff d = p.b.merge(p.a.delta());
    ASSERT_EQ(d.joins.size(), 1u);
    p.a.reset_delta();
  }
  EXPECT_EQ(p.b.list("room:big").size(), 2000u);
  EXPECT_TRUE(p.b.clouds().empty());
  for (std::uint64_t i = 1; i <= 2000; i += 2) p.a.leave_all(owner_on(kA, i));
  EXPECT_EQ(p.deliver_a_to_b().leaves.size(), 1000u);
  EXPECT_EQ(p.b.list("room:big").size(), 1000u);
}

TEST(PresenceMeta, ToJsonAppendsRefs) {
  EXPECT_EQ(to_json(Meta{"{}", "r1", ""}), R"({"phx_ref":"r1"})");
  EXPECT_EQ(to_json(Meta{" { } ", "r1", ""}), R"({"phx_ref":"r1"})");
  EXPECT_EQ(to_json(Meta{R"({"a":{"b":[1]}})", "r2", "r1"}), R"({"a":{"b":[1]},"phx_ref":"r2","phx_ref_prev":"r1"})");
  EXPECT_EQ(to_json(Meta{"not json", "r\"1", ""}), R"({"phx_ref":"r\"1"})");
}

TEST(PresenceClock, CompactFoldsContiguousDotsAndKeepsGaps) {
  Context ctx{{kA, 2}};
  Clouds clouds{{kA, {1, 3, 4, 6}}, {kB, {1, 2, 5}}};
  compact(ctx, clouds);
  EXPECT_EQ(ctx.at(kA), 4u);
  EXPECT_EQ(clouds.at(kA), (Cloud{6}));
  EXPECT_EQ(ctx.at(kB), 2u);  // clock 1 of an absent replica starts it
  EXPECT_EQ(clouds.at(kB), (Cloud{5}));
  clouds[kA].insert(5);
  compact(ctx, clouds, kA);
  EXPECT_EQ(ctx.at(kA), 6u);
  EXPECT_FALSE(clouds.contains(kA));
}

TEST(PresenceClock, DominatesAndBounds) {
  EXPECT_TRUE(dominates({{kA, 2}, {kB, 1}}, {{kA, 2}}));
  EXPECT_FALSE(dominates({{kA, 2}}, {{kA, 2}, {kB, 1}}));
  EXPECT_FALSE(dominates({{kA, 1}, {kB, 1}}, {{kA, 2}}));
  EXPECT_TRUE(dominates({{kA, 0}}, {}));
  EXPECT_EQ(upperbound({{kA, 2}}, {{kA, 1}, {kB, 3}}), (Context{{kA, 2}, {kB, 3}}));
  EXPECT_EQ(lowerbound({{kA, 2}}, {{kA, 1}, {kB, 3}}), (Context{{kA, 1}, {kB, 3}}));
  EXPECT_TRUE(seen({{kA, 2}}, {{kA, {5}}}, Dot{kA, 5}));
  EXPECT_FALSE(seen({{kA, 2}}, {{kA, {5}}}, Dot{kA, 4}));
}

TEST(PresenceDelta, MergeDeltaAccumulatesAndRefusesGaps) {
  State a(kA, counter_refs("A"));
  a.join(owner_on(kA, 1), "t", "x", "{}").value();
  Delta first = a.delta();
  a.reset_delta();
  a.leave(owner_on(kA, 1), "t", "x");
  a.join(owner_on(kA, 2), "t", "y", "{}").value();
  Delta second = a.delta();
  a.reset_delta();
  a.join(owner_on(kA, 3), "t", "z", "{}").value();
  Delta third = a.delta();

  Delta gen = first;
  Delta gap = first;
  EXPECT_FALSE(merge_delta(gap, third));
  EXPECT_EQ(gap, first);
  ASSERT_TRUE(merge_delta(gen, second));
  ASSERT_TRUE(merge_delta(gen, third));
  EXPECT_EQ(gen.range_start.at(kA), 0u);
  EXPECT_EQ(gen.range_end.at(kA), a.clock());
  ASSERT_EQ(gen.values.size(), 2u);  // x was removed by `second`

  State b(kB, counter_refs("B"));
  b.replica_up(kA);
  b.merge(gen);
  ASSERT_EQ(b.list("t").size(), 2u);
  EXPECT_EQ(b.context().at(kA), a.clock());

  Delta pruned = prune(gen, kA, Context{{kA, 0}});
  EXPECT_TRUE(pruned.values.empty());  // a's own values are not sent back to it
  EXPECT_EQ(prune(gen, kC, Context{{kC, 0}}).clouds.size(), 0u);
}

}  // namespace
}  // namespace roost::presence
