#include "roost/presence/state.h"

#include <algorithm>
#include <boost/tuple/tuple.hpp>
#include <limits>
#include <utility>

namespace roost::presence {
namespace {

using IdKey = boost::tuple<std::string_view, const Owner&, std::string_view>;

constexpr std::uint64_t kMaxClock = std::numeric_limits<std::uint64_t>::max();

}  // namespace

State::State(ReplicaName self, RefGenerator next_ref) : self_(std::move(self)), next_ref_(std::move(next_ref)) {
  context_.emplace(self_, 0);
  replicas_.emplace(self_, ReplicaStatus::up);
  reset_delta();
}

// ---------------------------------------------------------------------------------------
// Local changes

Result<Diff> State::join(const Owner& owner, std::string_view topic, std::string_view key, std::string fields) {
  if (find(owner, topic, key) != nullptr) return make_error_code(TrackerError::already_tracked);
  const Dot tag = bump();
  Entry entry{std::string(topic), owner, std::string(key), Meta{std::move(fields), next_ref_(), {}}, tag};
  delta_.values.emplace(tag, entry);
  Diff diff;
  diff.joins.push_back(*entries_.insert(std::move(entry)).first);
  return diff;
}

Diff State::leave(const Owner& owner, std::string_view topic, std::string_view key) {
  Diff diff;
  auto& by_id = entries_.get<ById>();
  auto it = by_id.find(IdKey(topic, owner, key));
  // Another replica's entry is not ours to remove: only its creator may, or sets diverge.
  if (it == by_id.end() || it->tag.replica != self_) return diff;
  diff.leaves.push_back(*it);
  remove_own(entries_.project<ByTag>(it));
  return diff;
}

Result<Diff> State::leave_join(const Owner& owner, std::string_view topic, std::string_view key,
                               std::string fields) {
  auto& by_id = entries_.get<ById>();
  auto it = by_id.find(IdKey(topic, owner, key));
  if (it == by_id.end() || it->tag.replica != self_) return make_error_code(TrackerError::nopresence);

  Diff diff;
  diff.leaves.push_back(*it);
  const Entry& old = diff.leaves.back();
  // Leave then join as in two separate operations (two bumps), but applied to the entry in
  // place so no reader and no delta ever sees the key without either version.
  delta_.values.erase(old.tag);
  delta_.clouds[self_].insert(old.tag.clock);
  bump();
  const Dot tag = bump();
  Meta meta{std::move(fields), next_ref_(), old.meta.phx_ref};
  by_id.modify(it, [&](Entry& e) {
    e.meta = std::move(meta);
    e.tag = tag;
  });
  delta_.values.emplace(tag, *it);
  diff.joins.push_back(*it);
  return diff;
}

Diff State::leave_all(const Owner& owner) {
  Diff diff;
  auto [first, last] = entries_.get<ByOwner>().equal_range(owner);
  std::vector<TagIndex::iterator> own;
  for (; first != last; ++first) {
    if (first->tag.replica == self_) own.push_back(entries_.project<ByTag>(first));
  }
  // Creation order, so the diff does not depend on hash-bucket order.
  std::sort(own.begin(), own.end(), [](auto a, auto b) { return a->tag.clock < b->tag.clock; });
  diff.leaves.reserve(own.size());
  for (auto it : own) {
    diff.leaves.push_back(*it);
    remove_own(it);
  }
  return diff;
}

Dot State::bump() {
  ++clock_;
  context_[self_] = clock_;
  delta_.clouds[self_].insert(clock_);
  delta_.range_end[self_] = clock_;
  return Dot{self_, clock_};
}

void State::remove_own(TagIndex::iterator it) {
  const std::uint64_t clock = it->tag.clock;
  delta_.values.erase(it->tag);
  // The dot without a value tells every receiver "created, then removed".
  delta_.clouds[self_].insert(clock);
  entries_.get<ByTag>().erase(it);
  bump();
}

// ---------------------------------------------------------------------------------------
// Replication

Diff State::merge(const Delta& remote) {
  Diff diff;
  auto& by_tag = entries_.get<ByTag>();

  // 1. Removes: a local entry of another replica whose dot the remote has seen but does
  //    not hold was removed by its creator. Walking the remote's knowledge (context ranges
  //    for a full state, cloud dots for a delta) instead of every local entry keeps a
  //    delta merge O(k log n).
  std::vector<TagIndex::iterator> removed;
  auto observe = [&](TagIndex::iterator it) {
    if (!remote.values.contains(it->tag)) removed.push_back(it);
  };
  for (const auto& [replica, clock] : remote.context) {
    if (replica == self_ || !context_.contains(replica)) continue;
    auto [first, last] = replica_range(replica);
    for (; first != last && first->tag.clock <= clock; ++first) observe(first);
  }
  for (const auto& [replica, cloud] : remote.clouds) {
    if (replica == self_ || !context_.contains(replica)) continue;
    const std::uint64_t covered = clock_of(remote.context, replica);  // walked above
    Dot probe{replica, 0};
    for (auto it = cloud.upper_bound(covered); it != cloud.end(); ++it) {
      probe.clock = *it;
      if (auto found = by_tag.find(probe); found != by_tag.end()) observe(found);
    }
  }

  // 2. Joins, decided against what was known before this merge: values of replicas we
  //    know (have heard from) whose dot we have not seen. Own values are skipped: this
  //    replica is their only authority.
  std::vector<std::pair<const Dot*, const Entry*>> added;
  for (const auto& [tag, entry] : remote.values) {
    if (tag.replica == self_ || !context_.contains(tag.replica) || seen(context_, clouds_, tag)) continue;
    added.emplace_back(&tag, &entry);
  }

  // 3. Apply removes first, then inserts, so an update (old dot removed, new dot added for
  //    the same identity) swaps the entry without an identity clash.
  for (auto it : removed) {
    if (visible(*it)) diff.leaves.push_back(*it);
    // Re-announced in our own delta, so peers that missed the creator's delta learn it.
    delta_.clouds[it->tag.replica].insert(it->tag.clock);
    by_tag.erase(it);
  }
  auto& by_id = entries_.get<ById>();
  for (const auto& [tag, source] : added) {
    clouds_[tag->replica].insert(tag->clock);  // seen from now on, whatever happens below
    if (auto existing = by_id.find(by_id.key_extractor()(*source)); existing != by_id.end()) {
      // Two live versions of one (topic, owner, key) only arise if an owner id was reused
      // (see owner.h). Resolve deterministically so replicas still converge: own entries
      // win, otherwise the newer dot.
      if (existing->tag.replica == self_ || !(existing->tag < *tag)) continue;
      if (visible(*existing)) diff.leaves.push_back(*existing);
      by_id.erase(existing);
    }
    Entry entry = *source;
    entry.tag = *tag;
    auto [it, inserted] = entries_.insert(std::move(entry));
    if (inserted && visible(*it)) diff.joins.push_back(*it);
  }

  // 4. Causal context: union clouds and max contexts over replicas known here, then fold.
  for (const auto& [replica, cloud] : remote.clouds) {
    if (replica == self_) continue;
    auto ctx = context_.find(replica);
    if (ctx == context_.end()) continue;
    auto first = cloud.upper_bound(ctx->second);
    if (first != cloud.end()) clouds_[replica].insert(first, cloud.end());
  }
  for (const auto& [replica, clock] : remote.context) {
    if (replica == self_) continue;
    if (auto ctx = context_.find(replica); ctx != context_.end() && ctx->second < clock) ctx->second = clock;
  }
  presence::compact(context_, clouds_);
  return diff;
}

Delta State::extract(const ReplicaName& requester, const Context& requester_clock) const {
  Delta out;
  for (const auto& [replica, clock] : context_) {
    if (requester_clock.contains(replica)) out.context.emplace(replica, clock);
  }
  for (const auto& [replica, cloud] : clouds_) {
    if (requester_clock.contains(replica)) out.clouds.emplace(replica, cloud);
  }
  for (const auto& [replica, clock] : out.context) {
    if (replica == requester) continue;  // it has its own entries and ignores them anyway
    auto [first, last] = replica_range(replica);
    for (; first != last; ++first) out.values.emplace_hint(out.values.end(), first->tag, *first);
  }
  return out;
}

Context State::clocks() const {
  if (down_count_ == 0) return context_;
  Context out;
  for (const auto& [replica, clock] : context_) {
    if (!is_down(replica)) out.emplace(replica, clock);
  }
  return out;
}

void State::reset_delta() {
  delta_ = Delta{};
  delta_.range_start.emplace(self_, clock_);
  delta_.range_end.emplace(self_, clock_);
}

void State::compact() { presence::compact(context_, clouds_); }

// ---------------------------------------------------------------------------------------
// Replica liveness

Diff State::replica_up(const ReplicaName& replica) {
  Diff diff;
  if (replica == self_) return diff;
  context_.try_emplace(replica, 0);
  auto [status, inserted] = replicas_.try_emplace(replica, ReplicaStatus::up);
  if (!inserted) {
    if (status->second == ReplicaStatus::up) return diff;
    status->second = ReplicaStatus::up;
    --down_count_;
  }
  auto [first, last] = replica_range(replica);
  for (; first != last; ++first) diff.joins.push_back(*first);
  return diff;
}

Diff State::replica_down(const ReplicaName& replica) {
  Diff diff;
  auto status = replicas_.find(replica);
  if (replica == self_ || status == replicas_.end() || status->second == ReplicaStatus::down) return diff;
  auto [first, last] = replica_range(replica);
  for (; first != last; ++first) diff.leaves.push_back(*first);
  status->second = ReplicaStatus::down;
  ++down_count_;
  return diff;
}

Diff State::permdown(const ReplicaName& replica) {
  if (replica == self_) return {};
  Diff diff = replica_down(replica);
  auto [first, last] = replica_range(replica);
  entries_.get<ByTag>().erase(first, last);
  context_.erase(replica);
  clouds_.erase(replica);
  if (auto status = replicas_.find(replica); status != replicas_.end()) {
    if (status->second == ReplicaStatus::down) --down_count_;
    replicas_.erase(status);
  }
  purge_from_delta(replica);
  return diff;
}

std::optional<ReplicaStatus> State::status(const ReplicaName& replica) const {
  auto it = replicas_.find(replica);
  if (it == replicas_.end()) return std::nullopt;
  return it->second;
}

void State::purge_from_delta(const ReplicaName& replica) {
  delta_.values.erase(delta_.values.lower_bound(Dot{replica, 0}), delta_.values.upper_bound(Dot{replica, kMaxClock}));
  delta_.clouds.erase(replica);
  delta_.range_start.erase(replica);
  delta_.range_end.erase(replica);
}

// ---------------------------------------------------------------------------------------
// Reads

std::vector<const Entry*> State::list(std::string_view topic) const {
  std::vector<const Entry*> out;
  auto [first, last] = entries_.get<ByTopic>().equal_range(boost::make_tuple(topic));
  for (; first != last; ++first) {
    if (visible(*first)) out.push_back(&*first);
  }
  return out;
}

std::vector<const Entry*> State::get_by_key(std::string_view topic, std::string_view key) const {
  std::vector<const Entry*> out;
  auto [first, last] = entries_.get<ByTopic>().equal_range(boost::make_tuple(topic, key));
  for (; first != last; ++first) {
    if (visible(*first)) out.push_back(&*first);
  }
  return out;
}

const Entry* State::find(const Owner& owner, std::string_view topic, std::string_view key) const {
  const auto& by_id = entries_.get<ById>();
  auto it = by_id.find(IdKey(topic, owner, key));
  return it == by_id.end() ? nullptr : &*it;
}

bool State::is_down(const ReplicaName& replica) const {
  auto it = replicas_.find(replica);
  return it != replicas_.end() && it->second == ReplicaStatus::down;
}

bool State::visible(const Entry& entry) const { return down_count_ == 0 || !is_down(entry.tag.replica); }

std::pair<State::TagIndex::iterator, State::TagIndex::iterator> State::replica_range(
    const ReplicaName& replica) const {
  const auto& by_tag = entries_.get<ByTag>();
  return {by_tag.lower_bound(Dot{replica, 0}), by_tag.upper_bound(Dot{replica, kMaxClock})};
}

}  // namespace roost::presence
