// Role: the WebSocket frame opcodes (RFC 6455 §5.2) shared by the frame writer and parser.
// Thread affinity: none (constants). Ownership: none.
#pragma once

#include <cstdint>

namespace roost::websocket {

enum class Opcode : uint8_t {
  continuation = 0,
  text = 1,
  binary = 2,
  close = 8,
  ping = 9,
  pong = 10,
};

// Control opcodes have the high bit of the 4-bit opcode set (§5.5); they may arrive between
// the fragments of a data message and are never fragmented themselves.
constexpr bool is_control(Opcode op) noexcept { return (static_cast<uint8_t>(op) & 0x8) != 0; }

// The opcodes RFC 6455 defines; the rest are reserved and, with no extension negotiated,
// a protocol error.
constexpr bool is_known(uint8_t op) noexcept { return op <= 2 || (op >= 8 && op <= 10); }

}  // namespace roost::websocket
