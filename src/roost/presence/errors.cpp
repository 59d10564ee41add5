#include "roost/presence/errors.h"

#include <string>

#include "roost/core/errors.h"

namespace roost::presence {
namespace {

// already_tracked and nopresence are ordinary answers to the caller's own request, not a
// peer's misbehaviour, a limit or a closing connection, so they map to no condition;
// too_many_metas is a configured limit.
class PresenceCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.presence"; }

  std::error_condition default_error_condition(int value) const noexcept override {
    if (static_cast<TrackerError>(value) == TrackerError::too_many_metas) return Condition::limit;
    return std::error_category::default_error_condition(value);
  }

  std::string message(int value) const override {
    switch (static_cast<TrackerError>(value)) {
      case TrackerError::already_tracked: return "already_tracked";
      case TrackerError::nopresence: return "nopresence";
      case TrackerError::too_many_metas: return "too_many_metas";
    }
    return "unknown presence error";
  }
};

}  // namespace

const std::error_category& presence_category() noexcept {
  static const PresenceCategory category;
  return category;
}

std::error_code make_error_code(TrackerError e) noexcept {
  return {static_cast<int>(e), presence_category()};
}

}  // namespace roost::presence
