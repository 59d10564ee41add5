// Role: ReplicationStats, the counters of one tracker shard's replication, exposed at
// /metrics (Tracker::render_metrics sums them over shards): messages sent and received
// by kind, replica liveness transitions and the replicas currently up or down.
// Thread affinity: written only by the shard's loop (single-writer Counters), read from
// any thread at scrape time.
// Ownership: owned by the Tracker for its whole life, so a scrape never races a shard's
// creation or destruction; each shard's Replicator borrows its own.
#pragma once

#include "roost/core/metrics.h"

namespace roost::presence {

struct ReplicationStats {
  Counter heartbeats_sent;             // every heartbeat, with or without a delta
  Counter heartbeats_received;
  Counter deltas_sent;                 // heartbeats that carried a delta
  Counter deltas_received;
  Counter transfer_requests_sent;
  Counter transfer_requests_received;
  Counter transfers_sent;              // transfer acks (delta generation or full state)
  Counter transfers_received;
  Counter full_transfers_sent;         // the subset of transfers_sent that carried the full state
  Counter bad_messages;                // undecodable messages, dropped
  Counter replica_up_events;           // a replica seen for the first time or back from down
  Counter replica_down_events;         // not heard from for down_period
  Counter replica_permdown_events;     // dropped for good (permdown_period or a new incarnation)
  Counter replicas_up;                 // gauge
  Counter replicas_down;               // gauge
};

}  // namespace roost::presence
