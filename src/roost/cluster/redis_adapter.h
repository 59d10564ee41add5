// Role: RedisAdapter, the pubsub::Adapter of a cluster: every broadcast published on this
// node goes once onto the bus as a broadcast frame (broadcast_frame.h) carrying its
// origin; a frame from another node becomes one Broadcast handed to
// PubSub::deliver_remote, so it is encoded once per serializer here like a local one.
// Frames this node published come back from Redis too and are ignored (the local
// fan-out already delivered them). broadcast_from's excluded sender is a local
// subscriber, so other nodes deliver to all of theirs.
// Why one channel ("roost:broadcast") and not one per topic hash: every node must see
// every broadcast unless it subscribed by local interest, which would make the
// subscription set change with every join and leave and race with reconnects; Redis
// delivers one copy per subscribed node either way. Two clusters sharing one Redis pick
// different channel names.
// It works over any Bus; RedisBus is the one production uses.
// Thread affinity: publish() on any loop (it encodes there, then the bus posts to its
// home loop); frames are received and decoded on `home`.
// Ownership: owned by the ClusterNode (PubSub holds it by shared_ptr); borrows the bus,
// PubSub and metrics, which outlive it.
#pragma once

#include <atomic>
#include <string>

#include "roost/cluster/bus.h"
#include "roost/cluster/cluster_metrics.h"
#include "roost/cluster/node_id.h"
#include "roost/pubsub/adapter.h"
#include "roost/pubsub/pubsub.h"

namespace roost::cluster {

inline constexpr std::string_view kBroadcastChannel = "roost:broadcast";

class RedisAdapter final : public pubsub::Adapter {
 public:
  // Subscribes to `channel` on `bus`: construct before the bus starts.
  RedisAdapter(Bus& bus, pubsub::PubSub& pubsub, NodeId self, net::Loop& home, ClusterMetrics& metrics,
               std::string channel = std::string(kBroadcastChannel));

  void publish(const pubsub::BroadcastPtr& broadcast) override;

  // One frame from the bus, on `home`: strict decode, own frames ignored, others fanned
  // out here. Malformed frames are counted and dropped.
  void on_frame(std::string_view bytes);

  const NodeId& self() const noexcept { return self_; }

 private:
  Bus& bus_;
  pubsub::PubSub& pubsub_;
  NodeId self_;
  net::Loop& home_;
  ClusterMetrics& metrics_;
  std::string channel_;
  std::atomic<bool> unencodable_logged_{false};
  bool malformed_logged_ = false;  // home loop only
};

}  // namespace roost::cluster
