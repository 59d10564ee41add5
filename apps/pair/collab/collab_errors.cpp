// Role: the error category of pair::collab (messages and Roost conditions).
// Thread affinity: none. Ownership: a function-local static category.
#include "collab/collab_errors.h"

#include <string>

#include "roost/core/errors.h"

namespace pair::collab {

namespace {

class CollabCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pair.collab"; }
  std::string message(int value) const override {
    switch (static_cast<CollabErrc>(value)) {
      case CollabErrc::malformed: return "not a ChangeSet or update in @codemirror/state's JSON form";
      case CollabErrc::length_mismatch: return "the changes do not match the document's length";
      case CollabErrc::splits_character: return "a position falls inside a character";
      case CollabErrc::invalid_text: return "text is not valid UTF-8, holds NUL or a line break inside a line";
      case CollabErrc::too_large: return "over a size limit";
      case CollabErrc::stale: return "based on a version that is no longer current";
      case CollabErrc::desync: return "version ahead of the server";
    }
    return "unknown collab error";
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<CollabErrc>(value)) {
      case CollabErrc::too_large: return roost::Condition::limit;
      case CollabErrc::stale: return {value, *this};
      default: return roost::Condition::protocol_violation;
    }
  }
};

}  // namespace

const std::error_category& collab_category() noexcept {
  static const CollabCategory category;
  return category;
}

const char* reason_of(CollabErrc e) noexcept {
  switch (e) {
    case CollabErrc::stale: return "stale";
    case CollabErrc::desync: return "desync";
    case CollabErrc::too_large: return "too_large";
    default: return "invalid";
  }
}

}  // namespace pair::collab
