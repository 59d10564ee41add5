// Role: the client side of Phoenix Presence as the presence-storm benchmark needs it: a
// reader for `presence_state` / `presence_diff` payloads that extracts only (key, phx_ref)
// pairs, string interning so a process stores each key and ref once, and one client's view
// of the presence list with the JS client's semantics (spec/presence.md §5) reduced to what
// decides completeness: which keys are present and which refs each holds. Meta fields other
// than phx_ref, and meta order, are not kept.
// Strings are compared in their raw JSON form (escapes not decoded): the server writes a
// given key or ref the same way every time, so equality is preserved.
// Thread affinity: one thread (the worker's io_context). Ownership: the Interner owns the
// strings; a PresenceView holds only ids from the Interners it is used with.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace roost::bench {

// Maps strings to dense ids starting at 1 (0 stays free to mean "none"). Every key and ref
// of every received frame goes through here, so it is an open-addressing table with a
// power-of-two size (no division, one probe in the common case).
class Interner {
 public:
  Interner() : names_(1), hashes_(1), table_(1024, 0) {}
  std::uint32_t id(std::string_view s);
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const noexcept { return names_.size() - 1; }

 private:
  void grow();

  std::vector<std::string> names_;     // by id
  std::vector<std::uint64_t> hashes_;  // by id
  std::vector<std::uint32_t> table_;   // ids, 0 = empty slot
};

struct PresenceEntry {
  std::uint32_t key = 0, ref = 0;
};

// A diff as a flat list of metas: the joined ones and the left ones, in payload order.
struct PresenceDiff {
  std::vector<PresenceEntry> joins, leaves;
  void clear() {
    joins.clear();
    leaves.clear();
  }
};

// Reads a `presence_state` payload ({key: {"metas": [...]}, ...}) into `out` (appended).
// False on a payload that is not of that shape.
bool read_presence_state(std::string_view payload, Interner& keys, Interner& refs, std::vector<PresenceEntry>& out);
// Reads a `presence_diff` payload ({"joins": {...}, "leaves": {...}}) into `out` (cleared
// first). False on a payload that is not of that shape.
bool read_presence_diff(std::string_view payload, Interner& keys, Interner& refs, PresenceDiff& out);

// One client's presence list as a set of (key, ref). Most keys hold exactly one meta, so a
// key's refs live in a flat slot array indexed by key id, and only keys with several metas
// spill into a map.
class PresenceView {
 public:
  // Adds a joined meta; false if the key already held that ref (the JS client keeps a single
  // copy: a join for a known ref replaces it).
  bool join(std::uint32_t key, std::uint32_t ref);
  // Removes a left meta; a leave for an absent key or an unknown ref changes nothing.
  void leave(std::uint32_t key, std::uint32_t ref);
  void clear();
  // Applies a diff as syncDiff does: all joins, then all leaves. Returns the joins whose ref
  // the view already held.
  std::uint64_t apply(const PresenceDiff& diff);

  std::size_t keys() const noexcept { return keys_; }
  // Keys holding more than one meta.
  std::size_t multi_meta_keys() const noexcept { return many_.size(); }
  // Order-independent hash of the (key, ref) set, by string value, so views built in
  // different processes (with different ids) compare equal when their contents do.
  std::uint64_t digest(const Interner& keys, const Interner& refs) const;

 private:
  static constexpr std::uint32_t kMany = 0xFFFFFFFFu;
  std::vector<std::uint32_t> slot_;  // by key id: 0 = absent, kMany = see many_, else the ref
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> many_;
  std::size_t keys_ = 0;
};

}  // namespace roost::bench
