// Role: the error conditions shared by every layer. Each layer has its own error enum
// (e.g. proto::DecodeError) whose category maps its values onto one of these conditions,
// so callers can ask "is this a protocol violation?" without knowing the layer.
// Thread affinity: none. Ownership: static categories.
#pragma once

#include <system_error>

namespace roost {

enum class Condition {
  protocol_violation = 1,  // the peer sent something the protocol forbids
  limit = 2,               // a configured limit was exceeded
  auth = 3,                // refused: origin, token, connect callback
  closed = 4,              // the peer or the server is going away
};

const std::error_category& condition_category() noexcept;

inline std::error_condition make_error_condition(Condition c) noexcept {
  return {static_cast<int>(c), condition_category()};
}

}  // namespace roost

template <>
struct std::is_error_condition_enum<roost::Condition> : std::true_type {};
