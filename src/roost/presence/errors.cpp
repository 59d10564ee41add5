#include "roost/presence/errors.h"

#include <string>

namespace roost::presence {
namespace {

// No roost::Condition fits: both are ordinary answers to the caller's own request, not a
// peer's misbehaviour, a limit or a closing connection, so they map to no condition.
class PresenceCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.presence"; }

  std::string message(int value) const override {
    switch (static_cast<TrackerError>(value)) {
      case TrackerError::already_tracked: return "already_tracked";
      case TrackerError::nopresence: return "nopresence";
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
