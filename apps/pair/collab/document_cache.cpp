// Role: the bounded LRU of (version, text) per document (see document_cache.h).
// Thread affinity: any thread, under one short mutex. Ownership: owns the entries.
#include "collab/document_cache.h"

namespace pair::collab {

std::optional<DocumentCache::Entry> DocumentCache::get(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(id);
  if (it == slots_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second.position);
  return it->second.entry;
}

void DocumentCache::put(std::int64_t id, Entry entry) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(id);
  if (it != slots_.end()) {
    if (entry.version >= it->second.entry.version) it->second.entry = std::move(entry);
    order_.splice(order_.begin(), order_, it->second.position);
    return;
  }
  order_.push_front(id);
  slots_.emplace(id, Slot{std::move(entry), order_.begin()});
  if (slots_.size() > capacity_) {
    slots_.erase(order_.back());
    order_.pop_back();
  }
}

void DocumentCache::erase(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(id);
  if (it == slots_.end()) return;
  order_.erase(it->second.position);
  slots_.erase(it);
}

}  // namespace pair::collab
