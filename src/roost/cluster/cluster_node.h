// Role: ClusterNode, this node's membership in a cluster: its identity (name +
// incarnation), the RedisBus to the other nodes, the RedisAdapter that carries
// broadcasts over it, the cluster counters, and the status document of GET /cluster.
// The Endpoint builds one when a Redis URL is configured; other layers (the Tracker
// replication) reach the bus through it before the server runs.
// Thread affinity: construct and register on the bus before start(), on the thread that
// will run the home loop; start() blocks; status() from any thread.
// Ownership: owns the bus, the adapter (shared with PubSub) and the metrics; borrows the
// home loop and PubSub, which outlive it.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "roost/cluster/cluster_metrics.h"
#include "roost/cluster/node_id.h"
#include "roost/cluster/redis_adapter.h"
#include "roost/cluster/redis_bus.h"

namespace roost::cluster {

class ClusterNode {
 public:
  // Creates the bus and the adapter and installs the adapter in `pubsub`.
  ClusterNode(net::Loop& home, pubsub::PubSub& pubsub, NodeId self, RedisUrl url, RedisBusOptions options = {});

  const NodeId& self() const noexcept { return self_; }
  Bus& bus() noexcept { return *bus_; }
  ClusterMetrics& metrics() noexcept { return metrics_; }

  // RedisBus::start(): fails when Redis cannot be reached now.
  std::error_code start(std::string* detail = nullptr) { return bus_->start(detail); }

  // {"node", "incarnation", "redis": {"url", "connected", "reconnects"}, "replicas"}.
  boost::json::object status(boost::json::array replicas) const;

 private:
  NodeId self_;
  ClusterMetrics metrics_;
  std::unique_ptr<RedisBus> bus_;
  std::shared_ptr<RedisAdapter> adapter_;
};

}  // namespace roost::cluster
