// Role: TrackerShard, the shell around one replica State (tracker.md §1): it owns the
// topics hashed to it, applies local track/update/untrack, turns every visible change into
// per-topic DiffBuffers and publishes them as one presence_diff per topic per window
// through PubSub's encode-once broadcast. In a cluster it also runs the replication of
// its State with the same shard on other nodes: a Replicator ticked every broadcast
// period (the first tick after a random 0–25 % of a period, so nodes started together do
// not heartbeat in lockstep), fed with the decoded messages of its two bus channels, its
// messages encoded once and published; remote changes reach clients through absorb(),
// like local ones. On a single node the tick only resets the delta nobody will read.
// Thread affinity: everything runs on the shard's loop; other loops reach it through
// Tracker (mailbox + net::call_on), the bus delivers to it on that loop.
// Ownership: owned by Tracker; borrows PubSub, its Loop and the replication wiring.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "roost/core/result.h"
#include "roost/net/loop.h"
#include "roost/presence/diff_buffer.h"
#include "roost/presence/replicator.h"
#include "roost/presence/state.h"
#include "roost/presence/tracker_options.h"
#include "roost/pubsub/pubsub.h"

namespace roost::presence {

class TrackerShard {
 public:
  // How a replicating shard reaches the other nodes.
  struct Replication {
    // Publishes on a bus channel (replication_link.h names them), from this loop.
    std::function<void(std::string channel, std::string payload)> publish;
    // This start's incarnation (unique per process start), shared by the node's shards:
    // shard i only ever meets shard i elsewhere, so they need not differ.
    std::uint64_t vsn = 0;
    ReplicationTiming timing;           // validated by the Tracker at start-up
    ReplicationStats* stats = nullptr;  // required; outlives the shard
    // Replica transitions, for the cluster status page; optional.
    std::function<void(const ReplicaName&, std::optional<ReplicaStatus>)> on_peer;
  };

  TrackerShard(net::Loop& loop, std::size_t index, const TrackerOptions& options, pubsub::PubSub& pubsub,
               std::optional<Replication> replication = std::nullopt);
  ~TrackerShard();

  net::Loop& loop() noexcept { return loop_; }
  std::size_t index() const noexcept { return index_; }
  State& state() noexcept { return state_; }
  // nullptr on a single node.
  const Replicator* replicator() const noexcept { return replicator_.get(); }

  // A message from one of this shard's bus channels; undecodable ones are counted,
  // logged and dropped.
  void on_replication_message(std::string_view payload);
  // The bus link went down or came back (after resubscribing).
  void on_link(bool up);

  // Each returns the new phx_ref, or already_tracked / nopresence; track also
  // too_many_metas over TrackerOptions::max_metas_per_key.
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
  bool over_meta_limit(const Owner& owner, std::string_view topic, std::string_view key) const;
  void flush();
  void flush_topic(const std::string& topic, DiffBuffer& buffer);
  void arm_tick(std::chrono::milliseconds delay);
  void on_tick();
  void publish(std::string channel, const ReplicationMessage& message);

  net::Loop& loop_;
  std::size_t index_;
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
  std::optional<Replication> replication_;
  std::unique_ptr<Replicator> replicator_;
  bool warned_this_tick_ = false;  // bounds log lines about bad or clashing messages
};

}  // namespace roost::presence
