// Role: Tracker, this node's Presence tracker: one TrackerShard per loop, each owning the
// topics that hash to it, and an awaitable API that any loop can call — the request goes
// to the shard's loop through its mailbox and the caller resumes on its own loop.
// Requests from one loop to one shard keep their order (FIFO mailbox), so a track
// followed by an untrack_all of the same owner can never be reordered.
// Thread affinity: the API may be used from any loop thread; shards live on their loops.
// Ownership: owns the shards, each created on its own loop; they are destroyed with the
// Tracker, after the loops have stopped.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "roost/core/task.h"
#include "roost/net/loop.h"
#include "roost/presence/tracker_shard.h"

namespace roost::presence {

class Tracker {
 public:
  Tracker(net::LoopGroup& loops, pubsub::PubSub& pubsub, TrackerOptions options);
  ~Tracker();

  // Creates each shard on its own loop; call before the loops run.
  void start();
  const TrackerOptions& options() const noexcept { return options_; }

  // A fresh, never reused identity for something that tracks (a channel).
  Owner next_owner() { return Owner{options_.node, next_owner_id_.fetch_add(1, std::memory_order_relaxed)}; }

  std::size_t shard_index(std::string_view topic) const noexcept;
  net::Loop& loop_for(std::string_view topic) noexcept { return loops_.at(shard_index(topic)); }

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

 private:
  net::LoopGroup& loops_;
  pubsub::PubSub& pubsub_;
  TrackerOptions options_;
  std::vector<std::unique_ptr<TrackerShard>> shards_;
  std::atomic<std::uint64_t> next_owner_id_{1};
};

}  // namespace roost::presence
