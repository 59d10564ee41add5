#include "roost/cluster/cluster_node.h"

namespace roost::cluster {

ClusterNode::ClusterNode(net::Loop& home, pubsub::PubSub& pubsub, NodeId self, RedisUrl url, RedisBusOptions options)
    : self_(std::move(self)), bus_(std::make_unique<RedisBus>(home, std::move(url), metrics_, options)) {
  adapter_ = std::make_shared<RedisAdapter>(*bus_, pubsub, self_, home, metrics_);
  pubsub.set_adapter(adapter_);
}

boost::json::object ClusterNode::status(boost::json::array replicas) const {
  return boost::json::object{
      {"node", self_.name},
      {"incarnation", self_.incarnation_hex()},
      {"redis",
       boost::json::object{{"url", bus_->url().to_string()},
                           {"connected", bus_->connected()},
                           {"reconnects", metrics_.reconnects.get()}}},
      {"replicas", std::move(replicas)},
  };
}

}  // namespace roost::cluster
