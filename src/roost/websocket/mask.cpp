#include "roost/websocket/mask.h"

#include <cstring>

namespace roost::websocket {

void apply_mask(std::span<char> data, MaskKey& key) noexcept {
  const std::size_t n = data.size();
  if (n == 0) return;
  char* p = data.data();
  std::size_t i = 0;
  if (n >= 8) {
    // The key repeated twice, loaded and stored with memcpy so it works at any alignment and
    // in any byte order (both sides are read the same way).
    const uint8_t wide_bytes[8] = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
    uint64_t wide;
    std::memcpy(&wide, wide_bytes, sizeof wide);
    for (; i + 8 <= n; i += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, p + i, sizeof chunk);
      chunk ^= wide;
      std::memcpy(p + i, &chunk, sizeof chunk);
    }
  }
  // 8 is a multiple of 4, so the tail starts at key phase i & 3 == 0.
  for (; i < n; ++i) p[i] = static_cast<char>(p[i] ^ static_cast<char>(key[i & 3]));
  const std::size_t shift = n & 3;
  if (shift != 0) {
    const MaskKey old = key;
    for (std::size_t k = 0; k < 4; ++k) key[k] = old[(k + shift) & 3];
  }
}

}  // namespace roost::websocket
