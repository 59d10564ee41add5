// Role: the argument rules both backends apply before writing, so they refuse the same
// things: no text with a NUL character (libpq passes parameters as C strings, so
// PostgreSQL would silently cut a text at its first NUL), and no empty or negative
// append.
// Thread affinity: none. Ownership: none.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace pair::store {

inline bool storable_text(std::initializer_list<std::string_view> texts) noexcept {
  for (std::string_view t : texts)
    if (t.find('\0') != std::string_view::npos) return false;
  return true;
}

// append_updates' arguments: at least one update, a version that exists, storable text.
inline bool appendable(std::int64_t base_version, const std::vector<CollabUpdate>& updates,
                       std::string_view new_response) noexcept {
  if (updates.empty() || base_version < 0 || !storable_text({new_response})) return false;
  for (const CollabUpdate& u : updates)
    if (!storable_text({u.client_id, u.changes_json})) return false;
  return true;
}

}  // namespace pair::store
