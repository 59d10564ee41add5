// Role: XOR masking of client→server payloads (RFC 6455 §5.3), done in place.
// Thread affinity: none (pure function). Ownership: works on caller-owned bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace roost::websocket {

using MaskKey = std::array<uint8_t, 4>;

// XORs `data` with `key`, starting at key[0]. Afterwards `key` is rotated by data.size() % 4,
// so a payload that arrives in several pieces can be unmasked piece by piece by passing the
// same key again. Works 8 bytes at a time: masking is the per-byte cost of every inbound frame.
void apply_mask(std::span<char> data, MaskKey& key) noexcept;

}  // namespace roost::websocket
