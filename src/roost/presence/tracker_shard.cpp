#include "roost/presence/tracker_shard.h"

#include <chrono>
#include <functional>
#include <random>
#include <utility>

#include "roost/core/log.h"
#include "roost/presence/replication_codec.h"
#include "roost/presence/replication_link.h"
#include "roost/proto/base64.h"

namespace roost::presence {

namespace {

std::uint64_t incarnation(std::size_t index) {
  // Unique per start of this shard (tracker.md §1.1): wall-clock microseconds, with the
  // shard index in the low bits so shards started in the same microsecond differ.
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch());
  return (static_cast<std::uint64_t>(us.count()) << 8) | (index & 0xff);
}

}  // namespace

TrackerShard::TrackerShard(net::Loop& loop, std::size_t index, const TrackerOptions& options, pubsub::PubSub& pubsub,
                           std::optional<Replication> replication)
    : loop_(loop),
      index_(index),
      options_(options),
      pubsub_(pubsub),
      ref_salt_(static_cast<std::uint16_t>(std::hash<std::string>{}(options.node + "/" + std::to_string(index)))),
      state_(ReplicaName{options.node, replication ? replication->vsn : incarnation(index)},
             [this] { return next_ref(); }),
      flush_timer_(loop.io()),
      tick_timer_(loop.io()),
      replication_(std::move(replication)) {
  if (!replication_) {
    arm_tick(options_.broadcast_period);
    return;
  }
  Replicator::Hooks hooks;
  hooks.diff = [this](const Diff& diff) { absorb(diff); };
  hooks.broadcast = [this](const ReplicationMessage& m) { publish(replication_channel(index_), m); };
  hooks.send = [this](const std::string& node, const ReplicationMessage& m) {
    publish(replication_channel(index_, node), m);
  };
  hooks.peer = replication_->on_peer;
  replicator_ = std::make_unique<Replicator>(state_, replication_->timing, std::move(hooks), *replication_->stats);
  // tracker.md §3.2: the first tick after a random part of a period, so nodes started
  // together (a deploy) spread their heartbeats instead of sending them in lockstep.
  std::uniform_int_distribution<long> jitter(0, options_.broadcast_period.count() / 4);
  std::mt19937 rng{std::random_device{}()};
  arm_tick(std::chrono::milliseconds(jitter(rng)));
}

TrackerShard::~TrackerShard() = default;

std::string TrackerShard::next_ref() {
  // presence.md §1: 12 bytes — wall-clock nanoseconds, a hash of (node, shard) and a
  // shard-local counter — in URL-safe base64 (16 characters), as the reference does.
  auto ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  unsigned char raw[12];
  for (int i = 0; i < 8; ++i) raw[i] = static_cast<unsigned char>(ns >> (56 - 8 * i));
  raw[8] = static_cast<unsigned char>(ref_salt_ >> 8);
  raw[9] = static_cast<unsigned char>(ref_salt_);
  ++ref_counter_;
  raw[10] = static_cast<unsigned char>(ref_counter_ >> 8);
  raw[11] = static_cast<unsigned char>(ref_counter_);
  return proto::base64url_encode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

Result<std::string> TrackerShard::track(const Owner& owner, std::string_view topic, std::string_view key,
                                        std::string meta) {
  if (over_meta_limit(owner, topic, key)) return make_error_code(TrackerError::too_many_metas);
  auto diff = state_.join(owner, topic, key, std::move(meta));
  if (!diff) return diff.error();
  std::string ref = diff->joins.empty() ? std::string() : diff->joins.back().meta.phx_ref;
  absorb(*diff);
  return ref;
}

// Only this node's own entries count (TrackerOptions::max_metas_per_key): replicated
// ones are another node's to bound. A re-track of the same owner is left to State::join,
// which answers already_tracked.
bool TrackerShard::over_meta_limit(const Owner& owner, std::string_view topic, std::string_view key) const {
  const std::size_t limit = options_.max_metas_per_key;
  if (limit == 0 || state_.find(owner, topic, key) != nullptr) return false;
  std::size_t local = 0;
  for (const Entry* e : state_.get_by_key(topic, key))
    if (e->tag.replica == state_.replica()) ++local;
  return local >= limit;
}

Result<std::string> TrackerShard::update(const Owner& owner, std::string_view topic, std::string_view key,
                                         std::string meta) {
  auto diff = state_.leave_join(owner, topic, key, std::move(meta));
  if (!diff) return diff.error();
  std::string ref = diff->joins.empty() ? std::string() : diff->joins.back().meta.phx_ref;
  absorb(*diff);
  return ref;
}

void TrackerShard::untrack(const Owner& owner, std::string_view topic, std::string_view key) {
  absorb(state_.leave(owner, topic, key));
}

void TrackerShard::untrack_all(const Owner& owner) { absorb(state_.leave_all(owner)); }

std::string TrackerShard::list_json(std::string_view topic) {
  if (auto p = pending_.find(topic); p != pending_.end()) p->second.mark_snapshot();
  if (auto it = list_cache_.find(topic); it != list_cache_.end()) return it->second;
  auto entries = state_.list(topic);
  std::string json = grouped_json(topic, entries, options_.fetch);
  list_cache_.emplace(std::string(topic), json);
  return json;
}

std::string TrackerShard::get_by_key_json(std::string_view topic, std::string_view key) const {
  auto entries = state_.get_by_key(topic, key);
  return grouped_json(topic, entries, options_.fetch);
}

void TrackerShard::absorb(const Diff& diff) {
  if (diff.empty()) return;
  for (const Entry& e : diff.joins) {
    if (auto c = list_cache_.find(e.topic); c != list_cache_.end()) list_cache_.erase(c);
    auto it = pending_.find(e.topic);
    if (it == pending_.end()) it = pending_.emplace(e.topic, DiffBuffer{}).first;
    if (it->second.join_needs_flush(e)) flush_topic(it->first, it->second);
    it->second.add_join(e);
  }
  for (const Entry& e : diff.leaves) {
    if (auto c = list_cache_.find(e.topic); c != list_cache_.end()) list_cache_.erase(c);
    auto it = pending_.find(e.topic);
    if (it == pending_.end()) it = pending_.emplace(e.topic, DiffBuffer{}).first;
    it->second.add_leave(e);
  }
  if (options_.diff_window.count() == 0) {
    flush();
    return;
  }
  if (!flush_armed_) {
    flush_armed_ = true;
    flush_timer_.expires_after(options_.diff_window);
    flush_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: the shard may be gone
      flush_armed_ = false;
      flush();
    });
  }
}

void TrackerShard::flush() {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [topic, buffer] : pending) flush_topic(topic, buffer);
}

void TrackerShard::flush_topic(const std::string& topic, DiffBuffer& buffer) {
  if (buffer.empty()) return;
  auto net = buffer.take();
  std::string payload = diff_json(topic, net.joins, net.leaves, options_.fetch);
  // Local only: every node reports its own view to its own clients (tracker.md §7).
  if (auto ec = pubsub_.local_broadcast(topic, "presence_diff", proto::Payload::json(std::move(payload))))
    log().warn("presence_diff for {} not sent: {}", topic, ec.message());
}

void TrackerShard::arm_tick(std::chrono::milliseconds delay) {
  tick_timer_.expires_after(delay);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the shard is going away
    on_tick();
    arm_tick(options_.broadcast_period);
  });
}

void TrackerShard::on_tick() {
  warned_this_tick_ = false;
  if (replicator_) {
    replicator_->tick(std::chrono::steady_clock::now());
    return;
  }
  // A single node has nobody to send the delta to; resetting it keeps it from growing.
  if (state_.has_delta()) state_.reset_delta();
  state_.compact();
}

void TrackerShard::on_replication_message(std::string_view payload) {
  if (!replicator_) return;
  // The bus echoes this node's own heartbeats: recognise them from the header alone
  // instead of decoding (and validating) our own delta again.
  if (auto from = peek_sender(payload); from && *from == state_.replica()) return;
  auto message = decode(payload);
  if (!message) {
    replication_->stats->bad_messages.add();
    if (!std::exchange(warned_this_tick_, true))
      log().warn("presence shard {}: dropped an undecodable replication message ({} bytes): {}", index_,
                 payload.size(), message.error().message());
    return;
  }
  if (replicator_->receive(*message, std::chrono::steady_clock::now()) == Replicator::Outcome::name_clash &&
      !std::exchange(warned_this_tick_, true)) {
    log().warn("presence shard {}: another node also calls itself '{}'; give every node a distinct name", index_,
               state_.replica().node);
  }
}

void TrackerShard::on_link(bool up) {
  if (up && replicator_) replicator_->link_up(std::chrono::steady_clock::now());
}

void TrackerShard::publish(std::string channel, const ReplicationMessage& message) {
  // Encoded once per message, whatever the number of nodes the bus reaches.
  replication_->publish(std::move(channel), encode(message));
}

}  // namespace roost::presence
