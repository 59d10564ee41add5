// Role: ReplicationLink, what presence replication needs from the node-to-node transport:
// publish to a channel, subscribe a channel on a given loop, and hear the link go up and
// down. It mirrors cluster::Bus (cluster/bus.h) as three functions so this layer does not
// depend on the cluster layer (which depends on it); link_over(bus) builds one from any
// object with that interface. Also the channel names the tracker shards use: shard i of
// every node listens to "phx_presence:roost_shard<i>" (heartbeats, to all) and
// "phx_presence:roost_shard<i>:<node>" (transfers, to one node), as Phoenix names them.
// Thread affinity: publish from any thread; subscribe/on_link before the bus starts.
// Ownership: the functions capture the bus by reference; it outlives the Tracker's use.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "roost/net/loop.h"

namespace roost::presence {

struct ReplicationLink {
  std::function<void(std::string channel, std::string payload)> publish;
  std::function<void(std::string channel, net::Loop& deliver_on, std::function<void(std::string_view)> handler)>
      subscribe;
  std::function<void(net::Loop& deliver_on, std::function<void(bool up)> fn)> on_link;

  explicit operator bool() const noexcept { return publish && subscribe && on_link; }
};

template <class Bus>
ReplicationLink link_over(Bus& bus) {
  return ReplicationLink{
      [&bus](std::string channel, std::string payload) { bus.publish(std::move(channel), std::move(payload)); },
      [&bus](std::string channel, net::Loop& loop, std::function<void(std::string_view)> handler) {
        bus.subscribe(std::move(channel), loop, std::move(handler));
      },
      [&bus](net::Loop& loop, std::function<void(bool)> fn) { bus.on_link(loop, std::move(fn)); },
  };
}

// Heartbeats of shard `shard` of every node.
inline std::string replication_channel(std::size_t shard) {
  return "phx_presence:roost_shard" + std::to_string(shard);
}
// Transfer requests and acks addressed to shard `shard` of node `node`.
inline std::string replication_channel(std::size_t shard, std::string_view node) {
  return replication_channel(shard) + ":" + std::string(node);
}

}  // namespace roost::presence
