// Role: ClusterMetrics, the counters of this node's cluster traffic, rendered into
// /metrics (Prometheus text) next to the per-loop families.
// Thread affinity: every counter is written by the bus's home loop only (the bus and the
// adapter's receive side run there; other loops post to it), so the single-writer
// Counter of core/metrics.h applies; render() may run on any thread.
// Ownership: owned by the ClusterNode; the bus and the adapter hold references.
#pragma once

#include <string>

#include "roost/core/metrics.h"

namespace roost::cluster {

struct ClusterMetrics {
  Counter messages_published;  // PUBLISH commands queued to Redis
  Counter bytes_published;     // their payload bytes
  Counter messages_received;   // messages from Redis on subscribed channels (own echoes included)
  Counter bytes_received;      // their payload bytes
  Counter messages_dropped;    // publishes dropped: link down, or the outgoing byte budget full
  Counter link_losses;         // established links to Redis that failed
  Counter reconnects;          // links re-established after a loss
  Counter link_up;             // gauge: 1 while connected and subscribed
  Counter remote_broadcasts;   // broadcasts from other nodes delivered on this node
  Counter malformed_frames;    // broadcast frames from Redis that failed strict decoding
  Counter unencodable;         // local broadcasts too large for the frame format (not sent)

  // Appends the roost_cluster_* families.
  void render(std::string& out) const;
};

}  // namespace roost::cluster
