// DiffBuffer: one topic's pending presence changes kept as their net effect. An entry
// version (phx_ref) that joins and leaves within a window cancels out, so does a leave
// followed by the join of the same version; distinct versions are kept in arrival order.
#include "roost/presence/diff_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace roost::presence {
namespace {

Entry entry(std::string key, std::string ref, std::string prev = {}, std::uint64_t owner = 1) {
  Entry e;
  e.topic = "presence:t";
  e.owner = Owner{"n", owner};
  e.key = std::move(key);
  e.meta.fields = "{\"name\":\"" + e.key + "\"}";
  e.meta.phx_ref = std::move(ref);
  e.meta.phx_ref_prev = std::move(prev);
  e.tag = Dot{ReplicaName{"n", 1}, 1};
  return e;
}

std::vector<std::string> refs(const std::vector<Entry>& entries) {
  std::vector<std::string> out;
  for (const Entry& e : entries) out.push_back(e.meta.phx_ref);
  return out;
}

using Refs = std::vector<std::string>;

TEST(DiffBuffer, StartsEmpty) {
  DiffBuffer b;
  EXPECT_TRUE(b.empty());
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, SingleJoinIsKeptWithItsEntry) {
  DiffBuffer b;
  Entry a = entry("ann", "R1");
  b.add_join(a);
  EXPECT_FALSE(b.empty());
  auto net = b.take();
  ASSERT_EQ(net.joins.size(), 1u);
  EXPECT_EQ(net.joins[0], a);
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, SingleLeaveIsKeptWithItsEntry) {
  DiffBuffer b;
  Entry a = entry("ann", "R1");
  b.add_leave(a);
  EXPECT_FALSE(b.empty());
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  ASSERT_EQ(net.leaves.size(), 1u);
  EXPECT_EQ(net.leaves[0], a);
}

TEST(DiffBuffer, JoinThenLeaveOfTheSameRefCancels) {
  DiffBuffer b;
  b.add_join(entry("ann", "R1"));
  b.add_leave(entry("ann", "R1"));
  EXPECT_TRUE(b.empty());
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, LeaveThenJoinOfTheSameRefCancels) {
  DiffBuffer b;
  b.add_leave(entry("ann", "R1"));
  b.add_join(entry("ann", "R1"));
  EXPECT_TRUE(b.empty());
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, CancellationOnlyTouchesTheMatchingRef) {
  DiffBuffer b;
  b.add_join(entry("ann", "R1"));
  b.add_join(entry("ann", "R2"));
  b.add_join(entry("bob", "R3"));
  b.add_leave(entry("ann", "R2"));
  EXPECT_FALSE(b.empty());
  auto net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"R1", "R3"}));
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, DistinctRefsKeptInArrivalOrder) {
  DiffBuffer b;
  b.add_join(entry("zed", "J3"));
  b.add_leave(entry("ann", "L9"));
  b.add_join(entry("ann", "J1"));
  b.add_leave(entry("bob", "L2"));
  b.add_join(entry("bob", "J2"));
  b.add_leave(entry("zed", "L1"));
  auto net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"J3", "J1", "J2"}));
  EXPECT_EQ(refs(net.leaves), (Refs{"L9", "L2", "L1"}));
}

TEST(DiffBuffer, SameKeyOnBothSidesWithDifferentRefsIsKept) {
  // An update: leave of the old version, join of the new one; both must go out.
  DiffBuffer b;
  b.add_leave(entry("ann", "R1"));
  b.add_join(entry("ann", "R2", "R1"));
  auto net = b.take();
  ASSERT_EQ(net.joins.size(), 1u);
  EXPECT_EQ(net.joins[0].meta.phx_ref, "R2");
  EXPECT_EQ(net.joins[0].meta.phx_ref_prev, "R1");
  EXPECT_EQ(refs(net.leaves), (Refs{"R1"}));
}

TEST(DiffBuffer, TrackThenUpdateWithinOneWindowShowsOnlyTheNewVersion) {
  // track R1, update R1 -> R2: the client never saw R1, so only R2 joins.
  DiffBuffer b;
  b.add_join(entry("ann", "R1"));
  b.add_leave(entry("ann", "R1"));
  b.add_join(entry("ann", "R2", "R1"));
  auto net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"R2"}));
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, UpdateThenUntrackWithinOneWindowLeavesTheOldVersion) {
  // Known R1; update R1 -> R2, then untrack R2: clients must drop R1 and never see R2.
  DiffBuffer b;
  b.add_leave(entry("ann", "R1"));
  b.add_join(entry("ann", "R2", "R1"));
  b.add_leave(entry("ann", "R2", "R1"));
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  EXPECT_EQ(refs(net.leaves), (Refs{"R1"}));
}

TEST(DiffBuffer, RepeatedFlappingNetsToTheLastState) {
  DiffBuffer b;
  // join, leave, join: net join
  b.add_join(entry("ann", "X"));
  b.add_leave(entry("ann", "X"));
  b.add_join(entry("ann", "X"));
  // leave, join, leave: net leave
  b.add_leave(entry("bob", "Y"));
  b.add_join(entry("bob", "Y"));
  b.add_leave(entry("bob", "Y"));
  auto net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"X"}));
  EXPECT_EQ(refs(net.leaves), (Refs{"Y"}));
}

TEST(DiffBuffer, CancelledSlotsDoNotDisturbLaterOrder) {
  DiffBuffer b;
  b.add_join(entry("a", "1"));
  b.add_join(entry("b", "2"));
  b.add_join(entry("c", "3"));
  b.add_leave(entry("a", "1"));
  b.add_join(entry("d", "4"));
  b.add_leave(entry("c", "3"));
  b.add_join(entry("e", "5"));
  auto net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"2", "4", "5"}));
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, TakeEmptiesTheBuffer) {
  DiffBuffer b;
  b.add_join(entry("ann", "R1"));
  b.add_leave(entry("bob", "R2"));
  auto first = b.take();
  EXPECT_EQ(first.joins.size(), 1u);
  EXPECT_EQ(first.leaves.size(), 1u);
  EXPECT_TRUE(b.empty());
  auto second = b.take();
  EXPECT_TRUE(second.joins.empty());
  EXPECT_TRUE(second.leaves.empty());
}

TEST(DiffBuffer, TakeForgetsRefsSoTheNextWindowDoesNotCancelAgainstTheOld) {
  DiffBuffer b;
  b.add_join(entry("ann", "R1"));
  (void)b.take();
  // R1 was already sent as a join: its leave in the next window is a real leave.
  b.add_leave(entry("ann", "R1"));
  auto net = b.take();
  EXPECT_TRUE(net.joins.empty());
  EXPECT_EQ(refs(net.leaves), (Refs{"R1"}));

  b.add_leave(entry("bob", "R5"));
  (void)b.take();
  b.add_join(entry("bob", "R5"));
  net = b.take();
  EXPECT_EQ(refs(net.joins), (Refs{"R5"}));
  EXPECT_TRUE(net.leaves.empty());
}

TEST(DiffBuffer, EmptyAfterAllChangesCancel) {
  DiffBuffer b;
  b.add_join(entry("a", "1"));
  b.add_leave(entry("b", "2"));
  EXPECT_FALSE(b.empty());
  b.add_leave(entry("a", "1"));
  EXPECT_FALSE(b.empty());
  b.add_join(entry("b", "2"));
  EXPECT_TRUE(b.empty());
}

TEST(DiffBuffer, ManyEntriesNetCorrectly) {
  DiffBuffer b;
  for (int i = 0; i < 200; ++i) b.add_join(entry("k" + std::to_string(i % 7), "J" + std::to_string(i)));
  for (int i = 0; i < 200; i += 2) b.add_leave(entry("k" + std::to_string(i % 7), "J" + std::to_string(i)));
  auto net = b.take();
  Refs expected;
  for (int i = 1; i < 200; i += 2) expected.push_back("J" + std::to_string(i));
  EXPECT_EQ(refs(net.joins), expected);
  EXPECT_TRUE(net.leaves.empty());
}

}  // namespace
}  // namespace roost::presence
