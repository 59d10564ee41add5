// Role: ChangeSet, a C++ model of @codemirror/state's ChangeSet in its JSON form
// (ChangeSet.toJSON / fromJSON), and its strict decoder. The JSON is an array of
// sections read left to right against the old document:
//   n                      keep the next n units;
//   [d]                    delete the next d units;
//   [d, "l0", "l1", ...]   replace the next d units with the lines joined by "\n"
//                          (d may be 0: a pure insertion; [0, "", ""] inserts one "\n").
// All lengths are UTF-16 code units (see utf16.h). The decoder accepts exactly what
// fromJSON accepts, minus what valid client output never contains and the server must
// not store: negative or fractional numbers, line breaks or NUL inside a line, invalid
// UTF-8 (lone surrogates never get this far: the JSON parser refuses them). It is a pure
// function over untrusted input: anything else is CollabErrc::malformed / invalid_text /
// too_large, never an exception or a crash.
// Thread affinity: none (values and pure functions). Ownership: a ChangeSet owns its text.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "roost/core/result.h"

namespace pair::collab {

// Larger than any document Pair keeps, small enough that sums of lengths never overflow.
inline constexpr std::size_t kMaxSectionLength = std::size_t{1} << 30;

struct ChangeSection {
  std::size_t length = 0;          // UTF-16 units of the old document this section covers
  bool replace = false;            // false: kept unchanged; true: deleted, `lines` inserted
  std::vector<std::string> lines;  // inserted text, one entry per line; empty = deletion only
  std::size_t inserted_length = 0; // UTF-16 units of the lines joined by "\n"

  friend bool operator==(const ChangeSection&, const ChangeSection&) = default;
};

class ChangeSet {
 public:
  ChangeSet() = default;
  explicit ChangeSet(std::vector<ChangeSection> sections);

  const std::vector<ChangeSection>& sections() const noexcept { return sections_; }
  // The length of the document these changes apply to, and of the result (UTF-16 units).
  std::size_t old_length() const noexcept { return old_length_; }
  std::size_t new_length() const noexcept { return new_length_; }

  // The same JSON as `ChangeSet.fromJSON(x).toJSON()` gives in JavaScript for the input
  // this set was decoded from: a replacement inserting nothing is written as [d].
  boost::json::array to_json() const;
  std::string to_json_text() const;

  // Replaces a whole document of `old_units` units with `text` (split into lines on
  // "\n"; `text` must already be normalised, see normalize_line_breaks).
  static roost::Result<ChangeSet> replace_all(std::size_t old_units, std::string_view text);

  friend bool operator==(const ChangeSet&, const ChangeSet&) = default;

 private:
  std::vector<ChangeSection> sections_;
  std::size_t old_length_ = 0;
  std::size_t new_length_ = 0;
};

// The strict decoder of one ChangeSet.toJSON() value.
roost::Result<ChangeSet> decode_change_set(const boost::json::value& json);
// The same from JSON text (parsed first; bad JSON is CollabErrc::malformed).
roost::Result<ChangeSet> parse_change_set(std::string_view json_text);

}  // namespace pair::collab
