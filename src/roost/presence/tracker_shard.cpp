#include "roost/presence/tracker_shard.h"

#include <chrono>
#include <functional>

#include "roost/core/log.h"
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

TrackerShard::TrackerShard(net::Loop& loop, std::size_t index, const TrackerOptions& options, pubsub::PubSub& pubsub)
    : loop_(loop),
      options_(options),
      pubsub_(pubsub),
      ref_salt_(static_cast<std::uint16_t>(std::hash<std::string>{}(options.node + "/" + std::to_string(index)))),
      state_(ReplicaName{options.node, incarnation(index)}, [this] { return next_ref(); }),
      flush_timer_(loop.io()),
      tick_timer_(loop.io()) {
  arm_tick();
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
  auto diff = state_.join(owner, topic, key, std::move(meta));
  if (!diff) return diff.error();
  std::string ref = diff->joins.empty() ? std::string() : diff->joins.back().meta.phx_ref;
  absorb(*diff);
  return ref;
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

void TrackerShard::arm_tick() {
  tick_timer_.expires_after(options_.broadcast_period);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    // A single node has nobody to send the delta to; resetting it keeps it from growing.
    if (state_.has_delta()) state_.reset_delta();
    state_.compact();
    arm_tick();
  });
}

}  // namespace roost::presence
