#include "presence_view.h"

#include <algorithm>
#include <cctype>

namespace roost::bench {

namespace {

std::uint64_t hash_of(std::string_view s) noexcept {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, then a final mix for the low bits
  for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

}  // namespace

std::uint32_t Interner::id(std::string_view s) {
  const std::uint64_t h = hash_of(s);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint32_t id = table_[i];
    if (id == 0) break;
    if (hashes_[id] == h && names_[id] == s) return id;
  }
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(s);
  hashes_.push_back(h);
  if (names_.size() * 2 > table_.size()) return grow(), id;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (table_[i] == 0) {
      table_[i] = id;
      return id;
    }
  }
}

// Doubles the table (kept at most half full) and reinserts every id.
void Interner::grow() {
  table_.assign(table_.size() * 2, 0);
  const std::size_t mask = table_.size() - 1;
  for (std::uint32_t id = 1; id < names_.size(); ++id) {
    std::size_t i = hashes_[id] & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = id;
  }
}

namespace {

// A forward-only JSON reader over one payload: enough to walk objects and arrays, read
// strings raw and skip anything else.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool consume(char c) {
    ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  bool string(std::string_view& raw) {
    ws();
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = ++p_;
    while (p_ < end_ && *p_ != '"') p_ += *p_ == '\\' ? 2 : 1;
    if (p_ >= end_) return false;
    raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  // Calls member(name) with the cursor on each member's value; member must consume it.
  template <typename F>
  bool object(F&& member) {
    if (!consume('{')) return false;
    if (consume('}')) return true;
    do {
      std::string_view name;
      if (!string(name) || !consume(':') || !member(name)) return false;
    } while (consume(','));
    return consume('}');
  }

  // Calls element() with the cursor on each element; element must consume it.
  template <typename F>
  bool array(F&& element) {
    if (!consume('[')) return false;
    if (consume(']')) return true;
    do {
      if (!element()) return false;
    } while (consume(','));
    return consume(']');
  }

  bool skip_value(int depth = 0) {
    ws();
    if (p_ == end_ || depth > 64) return false;
    switch (*p_) {
      case '{': return object([&](std::string_view) { return skip_value(depth + 1); });
      case '[': return array([&] { return skip_value(depth + 1); });
      case '"': {
        std::string_view ignored;
        return string(ignored);
      }
      default: {
        const char* start = p_;
        while (p_ < end_ && (std::isalnum(static_cast<unsigned char>(*p_)) || *p_ == '-' || *p_ == '+' || *p_ == '.'))
          ++p_;
        return p_ != start;
      }
    }
  }

  bool at_end() {
    ws();
    return p_ == end_;
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  const char* p_;
  const char* end_;
};

// {key: {"metas": [{..., "phx_ref": "..."}, ...], ...other fields}, ...}
bool read_presences(Cursor& c, Interner& keys, Interner& refs, std::vector<PresenceEntry>& out) {
  return c.object([&](std::string_view key) {
    const std::uint32_t key_id = keys.id(key);
    return c.object([&](std::string_view field) {
      if (field != "metas") return c.skip_value();
      return c.array([&] {
        return c.object([&](std::string_view meta_field) {
          if (meta_field != "phx_ref") return c.skip_value();
          std::string_view ref;
          if (!c.string(ref)) return false;
          out.push_back({key_id, refs.id(ref)});
          return true;
        });
      });
    });
  });
}

}  // namespace

bool read_presence_state(std::string_view payload, Interner& keys, Interner& refs, std::vector<PresenceEntry>& out) {
  Cursor c(payload);
  return read_presences(c, keys, refs, out) && c.at_end();
}

bool read_presence_diff(std::string_view payload, Interner& keys, Interner& refs, PresenceDiff& out) {
  out.clear();
  Cursor c(payload);
  bool joins = false, leaves = false;
  const bool ok = c.object([&](std::string_view field) {
    if (field == "joins") return joins = true, read_presences(c, keys, refs, out.joins);
    if (field == "leaves") return leaves = true, read_presences(c, keys, refs, out.leaves);
    return c.skip_value();
  });
  // Both sides are always present on the wire (presence.md §3.2).
  return ok && joins && leaves && c.at_end();
}

bool PresenceView::join(std::uint32_t key, std::uint32_t ref) {
  if (slot_.size() <= key) slot_.resize(std::max<std::size_t>(key + 1, slot_.size() * 2), 0);
  std::uint32_t& s = slot_[key];
  if (s == 0) {
    s = ref;
    ++keys_;
    return true;
  }
  if (s == ref) return false;
  if (s == kMany) {
    auto& refs = many_[key];
    if (std::find(refs.begin(), refs.end(), ref) != refs.end()) return false;
    refs.push_back(ref);
    return true;
  }
  many_[key] = {s, ref};
  s = kMany;
  return true;
}

void PresenceView::leave(std::uint32_t key, std::uint32_t ref) {
  if (slot_.size() <= key) return;
  std::uint32_t& s = slot_[key];
  if (s == ref) {
    s = 0;
    --keys_;
  } else if (s == kMany) {
    auto it = many_.find(key);
    auto& refs = it->second;
    refs.erase(std::remove(refs.begin(), refs.end(), ref), refs.end());
    if (refs.size() == 1) {
      s = refs.front();
      many_.erase(it);
    }
  }
}

void PresenceView::clear() {
  slot_.clear();
  many_.clear();
  keys_ = 0;
}

std::uint64_t PresenceView::apply(const PresenceDiff& diff) {
  std::uint64_t redundant = 0;
  for (const auto& e : diff.joins) redundant += join(e.key, e.ref) ? 0 : 1;
  for (const auto& e : diff.leaves) leave(e.key, e.ref);
  return redundant;
}

std::uint64_t PresenceView::digest(const Interner& keys, const Interner& refs) const {
  auto entry_hash = [&](std::uint32_t key, std::uint32_t ref) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over key '\0' ref
    auto mix = [&h](std::string_view s) {
      for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
    };
    mix(keys.name(key));
    h = (h ^ 0) * 1099511628211ull;
    mix(refs.name(ref));
    return h;
  };
  std::uint64_t sum = 0;
  for (std::uint32_t key = 0; key < slot_.size(); ++key) {
    const std::uint32_t s = slot_[key];
    if (s == 0) continue;
    if (s != kMany) {
      sum += entry_hash(key, s);
    } else {
      for (std::uint32_t ref : many_.at(key)) sum += entry_hash(key, ref);
    }
  }
  return sum;
}

}  // namespace roost::bench
