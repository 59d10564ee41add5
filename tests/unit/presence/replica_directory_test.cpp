// ReplicaDirectory: the per-node summary GET /cluster shows, built from the shards'
// replica transitions (up, down, dropped), including a restart noticed shard by shard.
#include "roost/presence/replica_directory.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace roost::presence {
namespace {

std::string json(const ReplicaDirectory& d) { return boost::json::serialize(d.to_json()); }

TEST(ReplicaDirectory, SummarisesEachNodeOverItsShards) {
  ReplicaDirectory d;
  EXPECT_EQ(json(d), "[]");
  const ReplicaName b{"b", 7};
  d.update(0, b, ReplicaStatus::up);
  d.update(1, b, ReplicaStatus::up);
  d.update(0, ReplicaName{"a", 3}, ReplicaStatus::up);
  EXPECT_EQ(json(d), R"([{"node":"a","incarnation":"3","status":"up","shards_up":1,"shards_down":0},)"
                     R"({"node":"b","incarnation":"7","status":"up","shards_up":2,"shards_down":0}])");
  d.update(1, b, ReplicaStatus::down);
  EXPECT_EQ(d.to_json().at(1).at("status"), "partial");
  d.update(0, b, ReplicaStatus::down);
  EXPECT_EQ(d.to_json().at(1).at("status"), "down");
  d.update(0, b, std::nullopt);
  d.update(1, b, std::nullopt);
  EXPECT_EQ(d.to_json().size(), 1u);
}

TEST(ReplicaDirectory, ARestartIsReportedAsTheNewIncarnationAsShardsNoticeIt) {
  ReplicaDirectory d;
  const ReplicaName old_b{"b", 7};
  const ReplicaName new_b{"b", 9};
  d.update(0, old_b, ReplicaStatus::up);
  d.update(1, old_b, ReplicaStatus::up);
  // Shard 0 hears the new incarnation first: it drops the old one, then adds the new.
  d.update(0, old_b, std::nullopt);
  d.update(0, new_b, ReplicaStatus::up);
  auto row = d.to_json().at(0);
  EXPECT_EQ(row.at("incarnation"), "9");
  EXPECT_EQ(row.at("shards_up"), 1);
  // A late drop of the old incarnation never erases the new one's view.
  d.update(1, new_b, ReplicaStatus::up);
  d.update(1, old_b, std::nullopt);
  EXPECT_EQ(d.to_json().at(0).at("shards_up"), 2);
}

}  // namespace
}  // namespace roost::presence
