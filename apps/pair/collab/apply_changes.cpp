// Role: applying a ChangeSet to UTF-8 text (see apply_changes.h).
// Thread affinity: none (pure function). Ownership: returns a new string.
#include "collab/apply_changes.h"

#include "collab/collab_errors.h"
#include "collab/utf16.h"

namespace pair::collab {

// tutorial:begin apply
roost::Result<std::string> apply_changes(std::string_view text, const ChangeSet& changes) {
  std::string out;
  out.reserve(text.size() + changes.new_length());
  std::size_t pos = 0;  // byte offset in `text`, always on a character boundary
  for (const ChangeSection& section : changes.sections()) {
    auto end = skip_units(text, pos, section.length);
    if (!end) return end.error();
    if (!section.replace) {
      out.append(text.substr(pos, *end - pos));
    } else {
      for (std::size_t i = 0; i < section.lines.size(); ++i) {
        if (i > 0) out.push_back('\n');
        out.append(section.lines[i]);
      }
    }
    pos = *end;
  }
  if (pos != text.size()) return make_error_code(CollabErrc::length_mismatch);
  return out;
}
// tutorial:end apply

}  // namespace pair::collab
