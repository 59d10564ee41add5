// Role: DocumentCache, this node's memory of the latest (version, text) of recently
// edited responses, so a push needs no database read, and a push based on an older
// version than one already seen is refused as stale without waiting for the document's
// lock or the database. It is only a hint: the store's conditional append still decides
// (another node may be ahead), and a conflict drops the entry. Entries are immutable
// shared strings, so a reader never copies a document while holding the lock.
// Thread affinity: any thread (WorkerPool threads in practice); one short mutex, never
// held during I/O and never taken on an event loop.
// Ownership: owns the entries; bounded to `capacity` documents, least recently used go.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace pair::collab {

class DocumentCache {
 public:
  struct Entry {
    std::int64_t version = 0;
    std::shared_ptr<const std::string> text;  // normalised ("\n" only), as pushes count it
  };

  explicit DocumentCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<Entry> get(std::int64_t id);
  // Keeps the newer of what is cached and `entry` (versions only grow).
  void put(std::int64_t id, Entry entry);
  void erase(std::int64_t id);

 private:
  using Order = std::list<std::int64_t>;  // most recently used first
  struct Slot {
    Entry entry;
    Order::iterator position;
  };

  std::size_t capacity_;
  std::mutex mutex_;
  Order order_;
  std::unordered_map<std::int64_t, Slot> slots_;
};

}  // namespace pair::collab
