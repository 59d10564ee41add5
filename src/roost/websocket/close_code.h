// Role: the WebSocket close status codes Roost sends or checks (RFC 6455 §7.4).
// Thread affinity: none (constants). Ownership: none.
#pragma once

#include <cstdint>

namespace roost::websocket {

namespace close_code {
inline constexpr uint16_t normal = 1000, going_away = 1001, protocol_error = 1002,
                          unsupported_data = 1003, no_status = 1005, abnormal = 1006,
                          invalid_payload = 1007, policy_violation = 1008, message_too_big = 1009,
                          internal_error = 1011, service_restart = 1012;
}  // namespace close_code

// Whether a peer may put `code` in a close frame. 1005 and 1006 are reserved for reporting
// ("no code", "connection dropped") and must never be on the wire; 1012–1014 are registered
// by IANA (service restart, try again later, bad gateway) and clients echo Roost's own 1012
// drain close; 1004 and 1015–2999 are unassigned or reserved; 3000–3999 are registered by
// libraries and 4000–4999 are private, so both are accepted as opaque.
constexpr bool valid_close_code(uint16_t code) noexcept {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace roost::websocket
