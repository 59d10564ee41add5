#include "roost/presence/replica_directory.h"

#include <algorithm>
#include <boost/json/object.hpp>

namespace roost::presence {

void ReplicaDirectory::update(std::size_t shard, const ReplicaName& replica, std::optional<ReplicaStatus> status) {
  if (status) {
    nodes_[replica.node].insert_or_assign(shard, View{replica.vsn, *status});
    return;
  }
  auto node = nodes_.find(replica.node);
  if (node == nodes_.end()) return;
  // A retired incarnation's drop must not erase the view of the one that replaced it.
  if (auto view = node->second.find(shard); view != node->second.end() && view->second.vsn == replica.vsn) {
    node->second.erase(view);
  }
  if (node->second.empty()) nodes_.erase(node);
}

boost::json::array ReplicaDirectory::to_json() const {
  boost::json::array out;
  for (const auto& [node, shards] : nodes_) {
    std::uint64_t newest = 0;
    for (const auto& [shard, view] : shards) newest = std::max(newest, view.vsn);
    std::size_t up = 0;
    std::size_t down = 0;
    for (const auto& [shard, view] : shards) {
      if (view.vsn != newest) continue;
      (view.status == ReplicaStatus::up ? up : down) += 1;
    }
    const char* status = down == 0 ? "up" : up == 0 ? "down" : "partial";
    out.push_back(boost::json::object{{"node", node},
                                      {"incarnation", std::to_string(newest)},
                                      {"status", status},
                                      {"shards_up", up},
                                      {"shards_down", down}});
  }
  return out;
}

}  // namespace roost::presence
