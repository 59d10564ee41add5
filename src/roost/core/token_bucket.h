// Role: TokenBucket, a rate limit: `rate` events per second on average, bursts of up to
// `burst` events. Pure: the caller passes the time, so tests need no clock.
// Thread affinity: not thread-safe; one bucket per socket, used on the socket's loop.
// Ownership: a plain value (24 bytes), cheap enough for every connection.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace roost {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // rate 0 = unlimited (take() always succeeds).
  TokenBucket(std::uint32_t rate_per_second, std::uint32_t burst) noexcept
      : rate_(rate_per_second), burst_(std::max(burst, rate_per_second)), tokens_(burst_) {}

  // False for rate 0: callers skip reading the clock for a bucket that never refuses.
  bool limited() const noexcept { return rate_ != 0; }

  // Takes one token if there is one; refills by elapsed time first.
  bool take(Clock::time_point now) noexcept {
    if (rate_ == 0) return true;
    if (last_ != Clock::time_point{}) {
      const double elapsed = std::chrono::duration<double>(now - last_).count();
      if (elapsed > 0) tokens_ = std::min<double>(burst_, tokens_ + elapsed * rate_);
    }
    last_ = now;
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  std::uint32_t rate_;
  std::uint32_t burst_;
  double tokens_;
  Clock::time_point last_{};
};

}  // namespace roost
