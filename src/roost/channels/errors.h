// Role: the errors the channel API returns to application code (Channel::broadcast and
// friends), as std::error_code, grouped under roost::Condition.
// Thread affinity: none.
#pragma once

#include <system_error>

namespace roost::channels {

enum class ChannelError {
  payload_too_large = 1,  // a broadcast payload over SocketLimits::max_broadcast_bytes
};

const std::error_category& channel_category() noexcept;

inline std::error_code make_error_code(ChannelError e) noexcept { return {static_cast<int>(e), channel_category()}; }

}  // namespace roost::channels

template <>
struct std::is_error_code_enum<roost::channels::ChannelError> : std::true_type {};
