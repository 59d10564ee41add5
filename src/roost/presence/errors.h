// Role: the error enum of the presence layer. Values keep Phoenix's spelling because the
// Presence API reports them to applications as `{:error, reason}` does in Phoenix.
// Thread affinity: none. Ownership: the category is a function-local static.
#pragma once

#include <system_error>

namespace roost::presence {

enum class TrackerError {
  already_tracked = 1,  // track of a (topic, owner, key) that is already tracked
  nopresence,           // update of a (topic, owner, key) that is not tracked here
  too_many_metas,       // track over TrackerOptions::max_metas_per_key (not a Phoenix error)
};

const std::error_category& presence_category() noexcept;

std::error_code make_error_code(TrackerError e) noexcept;

}  // namespace roost::presence

template <>
struct std::is_error_code_enum<roost::presence::TrackerError> : std::true_type {};
