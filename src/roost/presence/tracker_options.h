// Role: TrackerOptions, the Presence tracker's settings, each default with its reason.
// Thread affinity: fixed before start, read-only afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "roost/presence/presence_json.h"

namespace roost::presence {

struct TrackerOptions {
  // This node's name in the cluster; replicas are (node, incarnation).
  std::string node = "roost";
  // How long a topic's changes are gathered into one presence_diff. In a join storm of
  // N clients Phoenix sends one diff per change to every subscriber (O(N²) frames); one
  // diff per window bounds that to O(N × storm length / window). Measured with
  // `roost-bench presence-storm` (2,000 clients, bench/results/presence-storm.jsonl):
  // window 0 sent 2.3 M diff frames, 10 ms 5,750, 25 ms and 50 ms 4,000, with every list
  // complete 1.5–1.9 s after the storm began in all three. 25 ms is the knee, and still
  // below what a person notices in a presence list. 0 = one diff per change (Phoenix).
  std::chrono::milliseconds diff_window{25};
  // Tracker shards of this node, spread round-robin over its loops. A topic belongs to
  // shard fnv1a(topic) mod shards on every node, and shard i replicates only with shard i
  // elsewhere, so every node of a cluster must use the same value: it is a fixed number,
  // not the core count. 8 lets up to 8 loops share the presence work of many topics
  // while an idle node pays only 8 timers and, in a cluster, 8 small heartbeats every
  // few broadcast periods.
  std::size_t shards = 8;
  // Phoenix's broadcast_period: how often the pending delta is published to other nodes
  // (and reset, so a single node does not accumulate it).
  std::chrono::milliseconds broadcast_period{1500};
  // Phoenix's down_period: a replica not heard from for this long is marked down and its
  // presences leave this node's view (they come back if it is heard from again).
  std::chrono::milliseconds down_period{30000};
  // Phoenix's permdown_period: a replica down for this long is dropped for good.
  std::chrono::milliseconds permdown_period{20 * 60 * 1000};
  // Metas one key may hold in one topic through local tracks (a user with many tabs or
  // devices: one meta each). Every meta is repeated in each presence_state and in every
  // diff of the key, so a runaway client that tracks in a loop would make the key's
  // entry, and every snapshot of the topic, grow without bound. 100 is far above what a
  // person opens (tabs, devices) and small enough that a snapshot stays a few kB per key.
  // Over it track() fails with too_many_metas. The limit is per node and on local tracks
  // only: presences replicated from other nodes are never refused (each node bounds its
  // own), so a key may show up to this many metas per node. 0 = unlimited.
  std::size_t max_metas_per_key = 100;
  // Decorates presences before they reach clients (presence.md §2.1); identity if empty.
  FetchHook fetch;
};

}  // namespace roost::presence
