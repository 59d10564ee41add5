// Role: DiffBuffer, one topic's visible presence changes waiting for the next
// presence_diff, kept as their net effect: an entry version that joins and leaves within
// the same window cancels out (clients would add and remove the same phx_ref), and so
// does a leave followed by the join of the same version (a replica down and back up).
// Applying the net joins then leaves to a client's list gives the same list as applying
// every change one by one, because refs identify entry versions uniquely.
// Snapshots break the "nobody saw it" premise: a presence_state taken during the window
// already shows the pending joins (and lacks the pending leaves). mark_snapshot() records
// that; a later leave of a snapshotted join is then kept (join and leave both go out, and
// every client ends without the entry), and a join that would cancel a snapshotted leave
// must not be folded in: the shard flushes the topic first (joins apply before leaves).
// Thread affinity: its shard's loop. Ownership: holds copies of the entries.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <string>
#include <vector>

#include "roost/presence/entry.h"

namespace roost::presence {

class DiffBuffer {
 public:
  void add_join(const Entry& entry);
  void add_leave(const Entry& entry);
  bool empty() const noexcept { return live_joins_ == 0 && live_leaves_ == 0; }
  // A snapshot of the topic was just taken: everything pending so far has been observed.
  void mark_snapshot() noexcept {
    joins_seen_ = joins_.size();
    leaves_seen_ = leaves_.size();
  }
  // True when `entry` would cancel a leave that a snapshot has already reflected.
  bool join_needs_flush(const Entry& entry) const;

  struct Net {
    std::vector<Entry> joins;
    std::vector<Entry> leaves;
  };
  // The net change so far, in arrival order; the buffer is empty afterwards.
  Net take();

 private:
  struct Slot {
    Entry entry;
    bool live = true;
  };
  std::vector<Slot> joins_;
  std::vector<Slot> leaves_;
  boost::unordered_flat_map<std::string, std::size_t> join_by_ref_;
  boost::unordered_flat_map<std::string, std::size_t> leave_by_ref_;
  std::size_t live_joins_ = 0;
  std::size_t live_leaves_ = 0;
  std::size_t joins_seen_ = 0;   // joins_[0, joins_seen_) are in a snapshot
  std::size_t leaves_seen_ = 0;  // leaves_[0, leaves_seen_) are reflected by a snapshot
};

}  // namespace roost::presence
