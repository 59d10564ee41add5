// Role: the one clock of the load generator, CLOCK_MONOTONIC in nanoseconds. It is system-wide,
// so a send time stamped by the publisher process can be compared with a receive time taken in
// a subscriber process.
// Thread affinity: none. Ownership: none.
#pragma once

#include <cstdint>
#include <ctime>

namespace roost::bench {

inline std::int64_t mono_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::int64_t seconds_to_ns(double s) noexcept { return static_cast<std::int64_t>(s * 1e9); }

}  // namespace roost::bench
