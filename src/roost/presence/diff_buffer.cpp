#include "roost/presence/diff_buffer.h"

namespace roost::presence {

void DiffBuffer::add_join(const Entry& entry) {
  if (auto it = leave_by_ref_.find(entry.meta.phx_ref); it != leave_by_ref_.end()) {
    leaves_[it->second].live = false;  // left and came back: clients saw neither
    leave_by_ref_.erase(it);
    --live_leaves_;
    return;
  }
  join_by_ref_[entry.meta.phx_ref] = joins_.size();
  joins_.push_back(Slot{entry, true});
  ++live_joins_;
}

bool DiffBuffer::join_needs_flush(const Entry& entry) const {
  auto it = leave_by_ref_.find(entry.meta.phx_ref);
  return it != leave_by_ref_.end() && it->second < leaves_seen_;
}

void DiffBuffer::add_leave(const Entry& entry) {
  if (auto it = join_by_ref_.find(entry.meta.phx_ref); it != join_by_ref_.end() && it->second >= joins_seen_) {
    joins_[it->second].live = false;  // joined and left within the window
    join_by_ref_.erase(it);
    --live_joins_;
    return;
  }
  leave_by_ref_[entry.meta.phx_ref] = leaves_.size();
  leaves_.push_back(Slot{entry, true});
  ++live_leaves_;
}

DiffBuffer::Net DiffBuffer::take() {
  Net net;
  net.joins.reserve(live_joins_);
  net.leaves.reserve(live_leaves_);
  for (auto& s : joins_)
    if (s.live) net.joins.push_back(std::move(s.entry));
  for (auto& s : leaves_)
    if (s.live) net.leaves.push_back(std::move(s.entry));
  joins_.clear();
  leaves_.clear();
  join_by_ref_.clear();
  leave_by_ref_.clear();
  live_joins_ = live_leaves_ = 0;
  joins_seen_ = leaves_seen_ = 0;
  return net;
}

}  // namespace roost::presence
