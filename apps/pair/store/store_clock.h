// Role: the wall clock the stores stamp rows with (milliseconds since the Unix epoch).
// Thread affinity: any. Ownership: none.
#pragma once

#include <chrono>
#include <cstdint>

namespace pair::store {

inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace pair::store
