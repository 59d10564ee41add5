// Role: the error codes of Pair's collaborative editing (pair::collab): why a ChangeSet,
// an update list or a push was refused. Each maps onto a Roost condition (malformed
// input is a protocol violation, oversize a limit) so callers can group them.
// Thread affinity: none. Ownership: a static category.
#pragma once

#include <system_error>

namespace pair::collab {

enum class CollabErrc {
  malformed = 1,      // not the JSON shape @codemirror/state produces
  length_mismatch,    // the changes do not cover the document exactly (stale or corrupt)
  splits_character,   // a position falls inside a character (between UTF-16 surrogates)
  invalid_text,       // not UTF-8, or contains NUL, or a line break inside an inserted line
  too_large,          // the document, an update list or a number exceeds its limit
  stale,              // a push based on a version that is no longer current
  desync,             // a client claims a version the server never reached
};

const std::error_category& collab_category() noexcept;
inline std::error_code make_error_code(CollabErrc e) noexcept { return {static_cast<int>(e), collab_category()}; }

// The short reason sent to clients ("invalid", "stale", "too_large", ...).
const char* reason_of(CollabErrc e) noexcept;

}  // namespace pair::collab

template <>
struct std::is_error_code_enum<pair::collab::CollabErrc> : std::true_type {};
