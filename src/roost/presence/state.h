// Role: State, one replica of the Tracker CRDT (phoenix_pubsub's Tracker.State): an
// observed-remove set of presence entries keyed by (topic, owner, key), with a causal
// context, a pending outgoing delta, and the replica table (which remote replicas are up
// or down). Local operations and merges return the Diff of what became visible or hidden.
// Pure: no I/O, no clock, no threads; identities, refs and liveness decisions come in as
// parameters, so a tracker shard (the timer/heartbeat shell) owns exactly one State.
// A single node is a cluster of one: nothing here assumes or skips replication.
//
// Thread affinity: none of its own; a State is used by one thread at a time (its shard's
// loop). Several States coexist (one per shard) and share nothing.
// Ownership: owns its entries; pointers returned by list()/get_by_key()/find() stay valid
// until the next non-const call.
// Invariants:
//  * only this replica creates or removes entries tagged with its own name; merges never
//    add or remove them, local leaves never touch entries of other replicas;
//  * every stored entry's tag is seen by (context, clouds), and a seen dot stays seen
//    (until its replica is permanently removed), so a removed entry can never come back;
//  * context holds every replica whose data this State accepts; values, clouds and the
//    replica table only ever name replicas in the context; own context = own clock;
//  * entries of replicas marked down are stored but invisible to reads and diffs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roost/core/result.h"
#include "roost/presence/clock.h"
#include "roost/presence/delta.h"
#include "roost/presence/diff.h"
#include "roost/presence/entry.h"
#include "roost/presence/entry_store.h"
#include "roost/presence/errors.h"
#include "roost/presence/replica.h"

namespace roost::presence {

class State {
 public:
  // Produces a fresh phx_ref for every new entry version. Injected so tests are
  // deterministic and the shard decides the format (presence.md §1).
  using RefGenerator = std::function<std::string()>;

  State(ReplicaName self, RefGenerator next_ref);

  const ReplicaName& replica() const noexcept { return self_; }
  std::uint64_t clock() const noexcept { return clock_; }

  // --- local changes (owners hosted on this replica) ---

  // track: a new entry with a fresh ref. Error already_tracked (and no change) when the
  // (topic, owner, key) exists.
  Result<Diff> join(const Owner& owner, std::string_view topic, std::string_view key, std::string fields);
  // untrack one key; an empty Diff when absent.
  Diff leave(const Owner& owner, std::string_view topic, std::string_view key);
  // update: replaces the meta in one atomic change; the new meta gets a fresh phx_ref and
  // phx_ref_prev = the old phx_ref. Error nopresence when not tracked.
  Result<Diff> leave_join(const Owner& owner, std::string_view topic, std::string_view key, std::string fields);
  // Process exit / socket close: removes every entry of the owner, in every topic.
  Diff leave_all(const Owner& owner);

  // --- replication ---

  // Merges a remote delta (heartbeat, delta transfer) or full state (transfer).
  Diff merge(const Delta& remote);
  // The full state pruned for `requester`, whose advertised clock is `requester_clock`.
  Delta extract(const ReplicaName& requester, const Context& requester_clock) const;
  // This replica's advertised clock: the context without replicas marked down, so a peer
  // is never asked to catch up on data nobody reachable can supply.
  Context clocks() const;

  // The pending outgoing delta: changes since the last reset_delta().
  const Delta& delta() const noexcept { return delta_; }
  bool has_delta() const noexcept { return !delta_.empty(); }
  // After the delta was broadcast: start a new one at the current clock.
  void reset_delta();
  // Folds contiguous cloud dots into the context. merge() already compacts what it
  // touched; this is for the shell's periodic housekeeping.
  void compact();

  // --- replica liveness (decided by the shell from heartbeats and its clock) ---

  // Known from now on (context entry 0 if new) and up; a replica coming back from down has
  // its stored entries reported as joins. No-op for self or an already-up replica.
  Diff replica_up(const ReplicaName& replica);
  // Hidden: its entries are reported as leaves but kept. No-op for self, unknown or
  // already-down replicas.
  Diff replica_down(const ReplicaName& replica);
  // Forgotten for good: entries, context, clouds and pending-delta data purged. Leaves
  // are reported only if it was still up (a down replica's leaves were already reported).
  Diff permdown(const ReplicaName& replica);
  std::optional<ReplicaStatus> status(const ReplicaName& replica) const;

  // --- reads (visible entries only) ---

  // Entries of the topic ordered by key, then owner (so a key's metas are adjacent).
  // O(log n + entries of the topic).
  std::vector<const Entry*> list(std::string_view topic) const;
  std::vector<const Entry*> get_by_key(std::string_view topic, std::string_view key) const;
  // The entry, visible or not; nullptr when absent.
  const Entry* find(const Owner& owner, std::string_view topic, std::string_view key) const;

  // Introspection for the shell and tests.
  const Context& context() const noexcept { return context_; }
  const Clouds& clouds() const noexcept { return clouds_; }
  const EntryStore& entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  using TagIndex = EntryStore::index<ByTag>::type;

  bool visible(const Entry& entry) const;
  bool is_down(const ReplicaName& replica) const;
  Dot bump();
  // Removes an own entry: drops it from the delta's values and records its dot as removed.
  void remove_own(TagIndex::iterator it);
  // [first, last) of the tag index for one replica.
  std::pair<TagIndex::iterator, TagIndex::iterator> replica_range(const ReplicaName& replica) const;
  void purge_from_delta(const ReplicaName& replica);

  ReplicaName self_;
  RefGenerator next_ref_;
  std::uint64_t clock_ = 0;
  Context context_;
  Clouds clouds_;
  EntryStore entries_;
  std::map<ReplicaName, ReplicaStatus> replicas_;
  std::size_t down_count_ = 0;  // lets reads skip the status lookup in the usual case
  Delta delta_;
};

}  // namespace roost::presence
