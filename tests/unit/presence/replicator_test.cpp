// The replication protocol of tracker shards (Replicator) over an in-memory exchange with
// a manual clock: convergence of joins, updates and leaves across three nodes; a lost
// delta repaired by a transfer; changes relayed by a third node at clock sampling; down
// after down_period, up again, permdown; a restart under the same name retiring the old
// incarnation at once; a bus outage healed by the link-up transfer round; timing
// validation; and the property that random operations, restarts and message loss always
// converge once messages flow again.
#include "roost/presence/replicator.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>

#include "unit/presence/replication_sim.h"

namespace roost::presence {
namespace {

using namespace std::chrono_literals;
using testing::ReplicationSim;

const std::vector<std::string> kTopics = {"presence:lobby", "presence:other"};
const std::string kLobby = kTopics[0];

// Long enough for every node to hear every other's first heartbeat and get its state.
constexpr auto kSettle = 1000ms;

TEST(Replicator, NodesDiscoverEachOtherAndConvergeAfterJoinsUpdatesAndLeaves) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(sim.replicator(i).peers().size(), 2u) << "node " << i;
    for (const auto& peer : sim.replicator(i).peers()) EXPECT_EQ(peer.status, ReplicaStatus::up);
  }
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann", R"({"d":"web"})"));
  ASSERT_TRUE(sim.track(1, 1, kLobby, "bob"));
  ASSERT_TRUE(sim.track(2, 1, kLobby, "ann", R"({"d":"phone"})"));
  ASSERT_TRUE(sim.track(2, 2, kTopics[1], "cat"));
  // One broadcast period (plus the stagger) carries every change everywhere.
  sim.advance(150ms);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_EQ(sim.view(1, kLobby).at("ann").size(), 2u);
  EXPECT_EQ(sim.count(0, kTopics[1]), 1u);

  ASSERT_TRUE(sim.update(0, 1, kLobby, "ann", R"({"d":"web","away":true})"));
  sim.untrack(1, 1, kLobby, "bob");
  sim.untrack_all(2, 2);
  sim.advance(150ms);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_EQ(sim.view(2, kLobby).count("bob"), 0u);
  EXPECT_EQ(sim.count(1, kTopics[1]), 0u);
  bool away_seen = false;
  const auto ann = sim.view(2, kLobby).at("ann");
  for (const auto& m : ann) away_seen |= m.json.find("\"away\":true") != std::string::npos;
  EXPECT_TRUE(away_seen);
  EXPECT_EQ(sim.decode_failures(), 0u);
  EXPECT_GT(sim.stats(0).deltas_sent.get(), 0u);
  EXPECT_GT(sim.stats(1).deltas_received.get(), 0u);
}

TEST(Replicator, AnEntryAddedAndRemovedWithinOnePeriodIsNeverShownElsewhere) {
  ReplicationSim sim(2, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(0, 1, kLobby, "flash"));
  sim.untrack(0, 1, kLobby, "flash");
  sim.advance(300ms);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_TRUE(sim.view(1, kLobby).empty());
}

TEST(Replicator, ALostDeltaIsRepairedByATransferOnTheNextHeartbeat) {
  ReplicationSim sim(2, kTopics);
  sim.advance(kSettle);
  const auto requests_before = sim.stats(1).transfer_requests_sent.get();
  // Node 1 misses node 0's next heartbeat (and its delta).
  sim.link = [](int from, int) { return from != 0; };
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  sim.advance(110ms);
  EXPECT_EQ(sim.count(1, kLobby), 0u);
  // Later changes arrive as deltas that do not reach back to the lost one: node 1 sees
  // the gap in node 0's clock and asks for a transfer.
  sim.link = [](int, int) { return true; };
  ASSERT_TRUE(sim.track(0, 2, kLobby, "bob"));
  sim.advance(110ms);
  EXPECT_GT(sim.stats(1).transfer_requests_sent.get(), requests_before);
  EXPECT_GT(sim.stats(0).transfers_sent.get(), 0u);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_EQ(sim.count(1, kLobby), 2u);
}

TEST(Replicator, ALostDeltaOfAnIdleNodeIsRepairedByItsNextEmptyHeartbeat) {
  ReplicationSim sim(2, kTopics);
  sim.advance(kSettle);
  sim.link = [](int from, int) { return from != 0; };
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  sim.advance(110ms);
  sim.link = [](int, int) { return true; };
  // No further change on node 0: its idle heartbeat (at most down_period / 2 later)
  // carries the clock that shows the gap.
  sim.advance(600ms);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_EQ(sim.count(1, kLobby), 1u);
}

TEST(Replicator, ChangesOfAReplicaWeCannotHearArriveThroughAThirdOneAtClockSampling) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  // Node 1 stops hearing node 2 (one way); node 0 still hears both.
  sim.link = [](int from, int to) { return !(from == 2 && to == 1); };
  const auto transfers_before = sim.stats(1).transfers_received.get();
  ASSERT_TRUE(sim.track(2, 1, kLobby, "carl"));
  // Node 0's heartbeat clocks show it knows more of node 2 than node 1 does; the next
  // sampling round asks node 0 for a transfer, well within the down period.
  sim.advance(400ms);
  EXPECT_EQ(sim.view(1, kLobby).count("carl"), 1u);
  EXPECT_GT(sim.stats(1).transfers_received.get(), transfers_before);
  EXPECT_EQ(sim.divergence(), "");
}

TEST(Replicator, ASilentReplicaGoesDownAfterDownPeriodAndItsPresencesLeave) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(2, 1, kLobby, "carl"));
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  sim.advance(150ms);
  ASSERT_EQ(sim.view(0, kLobby).count("carl"), 1u);
  sim.kill(2);
  // Still shown before the down period has passed (it may be a slow network)...
  sim.advance(800ms);
  EXPECT_EQ(sim.view(0, kLobby).count("carl"), 1u);
  // ...and gone from every client after it.
  sim.advance(400ms);
  for (int i : {0, 1}) {
    EXPECT_EQ(sim.view(i, kLobby).count("carl"), 0u) << "node " << i;
    EXPECT_EQ(sim.view(i, kLobby).count("ann"), 1u) << "node " << i;
    EXPECT_EQ(sim.stats(i).replica_down_events.get(), 1u);
    EXPECT_EQ(sim.stats(i).replicas_down.get(), 1u);
    EXPECT_EQ(sim.stats(i).replicas_up.get(), 1u);
  }
  EXPECT_EQ(sim.divergence(), "");
  // Kept, though: the entry is hidden, not deleted.
  EXPECT_EQ(sim.state(0).size(), 2u);
}

TEST(Replicator, AReplicaHeardAgainComesBackUpWithItsPresencesAndMissedChanges) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(2, 1, kLobby, "carl"));
  ASSERT_TRUE(sim.track(2, 2, kLobby, "dora"));
  sim.advance(150ms);
  // Partition node 2 away for longer than the down period.
  sim.link = [](int from, int to) { return (from == 2) == (to == 2); };
  sim.untrack(2, 2, kLobby, "dora");
  ASSERT_TRUE(sim.track(2, 3, kLobby, "emil"));
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  sim.advance(1500ms);
  EXPECT_EQ(sim.view(0, kLobby).count("carl"), 0u);
  EXPECT_EQ(sim.view(2, kLobby).count("ann"), 0u);
  sim.link = [](int, int) { return true; };
  sim.advance(700ms);
  EXPECT_EQ(sim.divergence(), "");
  for (int i = 0; i < 3; ++i) {
    const auto v = sim.view(i, kLobby);
    EXPECT_EQ(v.count("carl"), 1u) << "node " << i;
    EXPECT_EQ(v.count("dora"), 0u) << "node " << i;
    EXPECT_EQ(v.count("emil"), 1u) << "node " << i;
    EXPECT_EQ(v.count("ann"), 1u) << "node " << i;
  }
  EXPECT_EQ(sim.stats(0).replicas_down.get(), 0u);
}

TEST(Replicator, AReplicaSilentForPermdownPeriodIsDroppedAndRediscoveredFromScratch) {
  ReplicationSim sim(2, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(1, 1, kLobby, "bob"));
  sim.advance(150ms);
  sim.link = [](int from, int to) { return from == to; };
  sim.advance(5200ms);
  EXPECT_TRUE(sim.replicator(0).peers().empty());
  EXPECT_EQ(sim.state(0).size(), 0u);  // purged, not just hidden
  EXPECT_FALSE(sim.state(0).status(sim.replica(1)).has_value());
  EXPECT_EQ(sim.stats(0).replica_permdown_events.get(), 1u);
  EXPECT_EQ(sim.stats(0).replicas_down.get(), 0u);
  // Healing: an unknown replica again, brought up to date by a full transfer.
  sim.link = [](int, int) { return true; };
  sim.advance(700ms);
  EXPECT_EQ(sim.divergence(), "");
  EXPECT_EQ(sim.view(0, kLobby).count("bob"), 1u);
  EXPECT_GT(sim.stats(1).full_transfers_sent.get(), 0u);
}

TEST(Replicator, ARestartUnderTheSameNameRetiresTheOldIncarnationAtItsFirstHeartbeat) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(2, 1, kLobby, "carl"));
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  sim.advance(150ms);
  const std::string old_ref = sim.view(0, kLobby).at("carl").at(0).ref;
  sim.kill(2);
  sim.advance(100ms);
  sim.restart(2);
  // Well before the down period: the first heartbeat of the new incarnation is enough.
  sim.advance(150ms);
  for (int i : {0, 1}) {
    EXPECT_EQ(sim.view(i, kLobby).count("carl"), 0u) << "node " << i;
    EXPECT_EQ(sim.stats(i).replica_permdown_events.get(), 1u);
    ASSERT_EQ(sim.replicator(i).peers().size(), 2u);
  }
  // The restarted node learns the others' state; its client re-tracks with a new ref.
  EXPECT_EQ(sim.view(2, kLobby).count("ann"), 1u);
  ASSERT_TRUE(sim.track(2, 1, kLobby, "carl"));
  sim.advance(150ms);
  EXPECT_EQ(sim.divergence(), "");
  ASSERT_EQ(sim.view(0, kLobby).at("carl").size(), 1u);
  EXPECT_NE(sim.view(0, kLobby).at("carl").at(0).ref, old_ref);
}

TEST(Replicator, ABusOutageShorterThanDownPeriodLosesNothingOnceTheLinkIsBack) {
  ReplicationSim sim(3, kTopics);
  sim.advance(kSettle);
  ASSERT_TRUE(sim.track(0, 1, kLobby, "ann"));
  ASSERT_TRUE(sim.track(1, 1, kLobby, "bob"));
  sim.advance(150ms);
  // Redis is away: everything published is dropped.
  sim.link = [](int from, int to) { return from == to; };
  sim.untrack(0, 1, kLobby, "ann");
  ASSERT_TRUE(sim.track(1, 2, kLobby, "bea"));
  ASSERT_TRUE(sim.track(2, 1, kLobby, "cid"));
  sim.advance(500ms);
  sim.link = [](int, int) { return true; };
  for (int i = 0; i < 3; ++i) sim.link_up(i);
  EXPECT_EQ(sim.divergence(), "");  // the link-up transfers alone converge everyone
  sim.advance(200ms);
  EXPECT_EQ(sim.divergence(), "");
  const auto v = sim.view(2, kLobby);
  EXPECT_EQ(v.count("ann"), 0u);
  EXPECT_EQ(v.count("bob"), 1u);
  EXPECT_EQ(v.count("bea"), 1u);
  EXPECT_EQ(v.count("cid"), 1u);
}

TEST(Replicator, OwnEchoesAndNameClashesAreRecognised) {
  ReplicationSim sim(2, kTopics);
  sim.advance(kSettle);
  State& s = sim.state(0);
  const Heartbeat own{s.replica(), s.clocks(), std::nullopt};
  EXPECT_EQ(sim.replicator(0).receive(own, sim.now()), Replicator::Outcome::own);
  const Heartbeat twin{ReplicaName{s.replica().node, s.replica().vsn + 7}, {}, std::nullopt};
  EXPECT_EQ(sim.replicator(0).receive(twin, sim.now()), Replicator::Outcome::name_clash);
  EXPECT_EQ(sim.replicator(0).peers().size(), 1u);
}

TEST(ReplicationTiming, RefusesInconsistentPeriodsAndKeepsIdleHeartbeatsWithinDownPeriod) {
  TrackerOptions o;
  EXPECT_EQ(ReplicationTiming::from(o).max_silent_periods, 9);  // an idle heartbeat every 15 s
  o.broadcast_period = 200ms;
  o.down_period = 1500ms;
  EXPECT_EQ(ReplicationTiming::from(o).max_silent_periods, 2);  // every 600 ms
  o.down_period = 399ms;
  EXPECT_THROW(ReplicationTiming::from(o), std::invalid_argument);
  o.down_period = 400ms;
  EXPECT_EQ(ReplicationTiming::from(o).max_silent_periods, 0);
  o.permdown_period = 400ms;
  EXPECT_THROW(ReplicationTiming::from(o), std::invalid_argument);
  o.broadcast_period = 0ms;
  EXPECT_THROW(ReplicationTiming::from(o), std::invalid_argument);
}

// Random local operations and restarts on three nodes while a random share of messages
// is lost; then the network heals and, within a few periods, every node's clients show
// the same lists as every other's.
RC_GTEST_PROP(ReplicatorProperty, RandomOperationsWithRandomLossConverge, ()) {
  ReplicationSim sim(3, kTopics);
  const int loss_percent = *rc::gen::inRange(0, 80);
  std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
  auto coin = [&seed](int percent) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int>((seed >> 33) % 100) < percent;
  };
  sim.link = [&](int, int) { return !coin(loss_percent); };
  const int steps = *rc::gen::inRange(1, 60);
  for (int s = 0; s < steps; ++s) {
    const int node = *rc::gen::inRange(0, 3);
    const auto owner = static_cast<std::uint64_t>(*rc::gen::inRange(0, 3));
    const std::string& topic = kTopics[*rc::gen::inRange(0, 2)];
    const std::string key = "k" + std::to_string(*rc::gen::inRange(0, 3));
    const int kind = *rc::gen::inRange(0, 20);
    if (kind < 6) {
      sim.track(node, owner, topic, key, R"({"s":)" + std::to_string(s) + "}");
    } else if (kind < 9) {
      sim.update(node, owner, topic, key, R"({"u":)" + std::to_string(s) + "}");
    } else if (kind < 11) {
      sim.untrack(node, owner, topic, key);
    } else if (kind < 12) {
      sim.untrack_all(node, owner);
    } else if (kind < 13) {
      sim.restart(node);  // a crash and restart: the old incarnation's entries must go
    } else {
      sim.advance(std::chrono::milliseconds(*rc::gen::inRange(10, 400)));
    }
  }
  sim.link = [](int, int) { return true; };
  sim.advance(2000ms);
  RC_ASSERT(sim.divergence() == "");
  RC_ASSERT(sim.decode_failures() == 0u);
}

}  // namespace
}  // namespace roost::presence
