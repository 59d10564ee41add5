// Role: encodes server→client WebSocket frames (RFC 6455 §5.2). Server frames are never
// masked, so the bytes of a frame depend only on its payload: a broadcast is framed once and
// the same bytes are written to every subscriber.
// Thread affinity: none (pure functions). Ownership: results are returned by value or
// appended to the caller's string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "roost/websocket/opcode.h"

namespace roost::websocket {

// The largest close reason that fits a control frame: 125 payload bytes minus the 2-byte code.
inline constexpr std::size_t kMaxCloseReason = 123;

// Size of the (unmasked) header for a payload of `payload_len` bytes: 2, 4 or 10.
constexpr std::size_t frame_header_size(std::size_t payload_len) noexcept {
  return payload_len < 126 ? 2 : payload_len <= 0xFFFF ? 4 : 10;
}

// Appends a frame header for a payload of `payload_len` bytes. With fin = false the frame is
// the first or a middle fragment of a message.
void append_frame_header(std::string& out, Opcode op, std::size_t payload_len, bool fin = true);

// A complete frame, header then payload, in one allocation.
std::string make_frame(Opcode op, std::string_view payload);

// A close frame carrying `code` and `reason`. The reason is cut to at most 123 bytes, and
// never in the middle of a UTF-8 sequence, because the peer fails the connection on an
// invalid reason. `no_status` (1005) must not appear on the wire, so it yields a close frame
// with an empty payload, the way "no code" is expressed.
std::string make_close_frame(uint16_t code, std::string_view reason = {});

}  // namespace roost::websocket
