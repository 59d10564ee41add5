// Role: apply_changes(), the server's half of @codemirror/state's ChangeSet.apply: the new text
// of a UTF-8 document after a ChangeSet whose lengths and positions count UTF-16 units.
// One pass over the document, no searching. The changes must cover the document exactly
// (retained + deleted units == its length), and no section boundary may fall inside a
// character: a position between the halves of a surrogate pair has no UTF-8 form.
// Thread affinity: none (pure function). Ownership: returns a new string.
#pragma once

#include <string>
#include <string_view>

#include "collab/change_set.h"
#include "roost/core/result.h"

namespace pair::collab {

// Errors (CollabErrc): length_mismatch, splits_character, invalid_text (the document is
// not valid UTF-8 or holds NUL).
roost::Result<std::string> apply_changes(std::string_view text, const ChangeSet& changes);

}  // namespace pair::collab
