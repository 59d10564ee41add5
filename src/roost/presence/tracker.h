// Role: Tracker, this node's Presence tracker: a fixed number of TrackerShards
// (TrackerOptions::shards) spread round-robin over the loops, each owning the topics that
// hash to it, and an awaitable API that any loop can call — the request goes to the
// shard's loop through its mailbox and the caller resumes on its own loop.
// Requests from one loop to one shard keep their order (FIFO mailbox), so a track
// followed by an untrack_all of the same owner can never be reordered.
// In a cluster (replicate() before start()), shard i replicates with shard i of every
// other node over the bus; a topic maps to the same shard index on every node because the
// hash is fixed (FNV-1a) and the shard count is a setting, not the core count.
// Thread affinity: the API may be used from any loop thread; shards live on their loops;
// replicas_json() on loop 0; render_metrics() from any thread.
// Ownership: owns the shards, each created on its own loop, and their replication
// counters; shards are destroyed with the Tracker, after the loops have stopped.
#pragma once

#include <atomic>
#include <boost/json/array.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "roost/core/task.h"
#include "roost/net/loop.h"
#include "roost/presence/replica_directory.h"
#include "roost/presence/replication_link.h"
#include "roost/presence/replication_stats.h"
#include "roost/presence/tracker_shard.h"

namespace roost::presence {

class Tracker {
 public:
  // Throws std::invalid_argument when options.shards is 0.
  Tracker(net::LoopGroup& loops, pubsub::PubSub& pubsub, TrackerOptions options);
  ~Tracker();

  // Replicates every shard with the other nodes over `link`. Call before start() and
  // before the bus starts (it subscribes). Throws std::invalid_argument when the periods
  // are inconsistent (tracker.md §6) or the link is incomplete.
  void replicate(ReplicationLink link);
  bool replicating() const noexcept { return static_cast<bool>(link_); }

  // Creates each shard on its own loop; call before the loops run.
  void start();
  const TrackerOptions& options() const noexcept { return options_; }

  // A fresh, never reused identity for something that tracks (a channel).
  Owner next_owner() { return Owner{options_.node, next_owner_id_.fetch_add(1, std::memory_order_relaxed)}; }

  std::size_t shard_count() const noexcept { return shards_.size(); }
  std::size_t shard_index(std::string_view topic) const noexcept;
  net::Loop& shard_loop(std::size_t index) noexcept { return loops_.at(index % loops_.size()); }
  net::Loop& loop_for(std::string_view topic) noexcept { return shard_loop(shard_index(topic)); }

  Task<Result<std::string>> track(Owner owner, std::string topic, std::string key, std::string meta);
  Task<Result<std::string>> update(Owner owner, std::string topic, std::string key, std::string meta);
  Task<void> untrack(Owner owner, std::string topic, std::string key);
  // Every entry of `owner` in the shard of `topic`, awaited.
  Task<void> untrack_owner(Owner owner, std::string topic);
  // Fire and forget: the owner is gone (channel left, crashed, socket closed).
  void untrack_all(const Owner& owner, std::string_view topic);
  Task<std::string> list(std::string topic);
  Task<std::string> get_by_key(std::string topic, std::string key);

  // For the shard's own loop (tests, cluster layer).
  TrackerShard& shard(std::size_t index) { return *shards_[index]; }

  // The remote replicas as GET /cluster lists them (ReplicaDirectory::to_json); on loop 0.
  boost::json::array replicas_json() const { return directory_.to_json(); }
  // Appends roost_presence_metas_refused_total and, in a cluster, the roost_presence_*
  // replication families.
  void render_metrics(std::string& out) const;

 private:
  net::LoopGroup& loops_;
  pubsub::PubSub& pubsub_;
  TrackerOptions options_;
  std::vector<std::unique_ptr<TrackerShard>> shards_;
  std::atomic<std::uint64_t> next_owner_id_{1};
  ReplicationLink link_;
  ReplicationTiming timing_;
  // One per shard, created here (before any loop runs) so a scrape never races a shard.
  std::vector<std::unique_ptr<ReplicationStats>> stats_;
  ReplicaDirectory directory_;  // loop 0
  // Tracks refused with too_many_metas, by any shard; rare, so one shared atomic.
  std::atomic<std::uint64_t> metas_refused_{0};
};

}  // namespace roost::presence
