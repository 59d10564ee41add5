// Role: ReplicaDirectory, this node's summary of the remote replicas its tracker shards
// know, for the "replicas" list of GET /cluster: per node name, each shard's view of that
// node's incarnation and status. Shards report transitions (up, down, dropped); nothing
// is reported per heartbeat.
// Thread affinity: one owning thread (the Tracker keeps it on loop 0; shards post their
// transitions there). Ownership: plain values.
#pragma once

#include <boost/json/array.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "roost/presence/replica.h"

namespace roost::presence {

class ReplicaDirectory {
 public:
  // Shard `shard` now sees `replica` with `status`; nullopt: it dropped the replica.
  void update(std::size_t shard, const ReplicaName& replica, std::optional<ReplicaStatus> status);

  // [{"node", "incarnation" (decimal string: JSON numbers lose precision past 2^53),
  //   "status": "up" | "down" | "partial" (shards disagree), "shards_up", "shards_down"}],
  // by node name. A node with shards on two incarnations (a restart being noticed shard by
  // shard) reports the newest incarnation and counts the shards that already see it.
  boost::json::array to_json() const;

 private:
  struct View {
    std::uint64_t vsn = 0;
    ReplicaStatus status = ReplicaStatus::up;
  };
  std::map<std::string, std::map<std::size_t, View>> nodes_;
};

}  // namespace roost::presence
