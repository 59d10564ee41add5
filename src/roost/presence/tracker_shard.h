// Role: TrackerShard, the shell around one replica State (tracker.md §1): it owns the
// topics hashed to it, applies local track/update/untrack, turns every visible change into
// per-topic DiffBuffers and publishes them as one presence_diff per topic per window
// through PubSub's encode-once broadcast, and resets the outgoing delta every broadcast
// period (the cluster layer publishes it to other nodes at that point).
// Thread affinity: everything runs on the shard's loop; other loops reach it through
// Tracker (mailbox + net::call_on).
// Ownership: owned by Tracker; borrows PubSub and its Loop.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <map>
#include <memory>

#include "roost/core/result.h"
#include "roost/net/loop.h"
#include "roost/presence/diff_buffer.h"
#include "roost/presence/state.h"
#include "roost/presence/tracker_options.h"
#include "roost/pubsub/pubsub.h"

namespace roost::presence {

class TrackerShard {
 public:
  TrackerShard(net::Loop& loop, std::size_t index, const TrackerOptions& options, pubsub::PubSub& pubsub);
  ~TrackerShard();

  net::Loop& loop() noexcept { return loop_; }
  State& state() noexcept { return state_; }

  // Each returns the new phx_ref, or already_tracked / nopresence.
  Result<std::string> track(const Owner& owner, std::string_view topic, std::string_view key, std::string meta);
  Result<std::string> update(const Owner& owner, std::string_view topic, std::string_view key, std::string meta);
  void untrack(const Owner& owner, std::string_view topic, std::string_view key);
  void untrack_all(const Owner& owner);
  // Cached per topic until the topic changes: in a join storm every joiner asks for the
  // snapshot right after its own track, and requests arrive in mailbox batches, so one
  // build serves many. The fetch hook must therefore be a function of its input only.
  std::string list_json(std::string_view topic);
  std::string get_by_key_json(std::string_view topic, std::string_view key) const;

  // Visible changes from any source (local ops, merges, replica liveness).
  void absorb(const Diff& diff);

 private:
  std::string next_ref();
  void flush();
  void flush_topic(const std::string& topic, DiffBuffer& buffer);
  void arm_tick();

  net::Loop& loop_;
  const TrackerOptions& options_;
  pubsub::PubSub& pubsub_;
  std::uint16_t ref_salt_;
  std::uint16_t ref_counter_ = 0;
  State state_;
  std::map<std::string, DiffBuffer, std::less<>> pending_;
  std::map<std::string, std::string, std::less<>> list_cache_;  // ordered: deterministic flush order
  boost::asio::steady_timer flush_timer_;
  bool flush_armed_ = false;
  boost::asio::steady_timer tick_timer_;
};

}  // namespace roost::presence
