// Role: lets the parent process write its measurement sequence as straight-line code while
// its io_context keeps serving the publisher and the worker pipes: run handlers until a
// condition holds or a deadline passes. The caller holds a work guard on the io_context.
// Thread affinity: the thread that owns the io_context. Ownership: none.
#pragma once

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>

#include "clock.h"

namespace roost::bench {

// Runs handlers until pred() is true (returns true) or mono_ns() reaches deadline_ns (false).
template <typename Pred>
bool pump_until(boost::asio::io_context& io, Pred pred, std::int64_t deadline_ns) {
  while (!pred()) {
    const std::int64_t now = mono_ns();
    if (now >= deadline_ns) return false;
    io.run_one_for(std::chrono::nanoseconds(std::min<std::int64_t>(deadline_ns - now, 50'000'000)));
  }
  return true;
}

inline void pump_to(boost::asio::io_context& io, std::int64_t deadline_ns) {
  pump_until(io, [] { return false; }, deadline_ns);
}

inline void pump_for(boost::asio::io_context& io, double seconds) {
  pump_to(io, mono_ns() + seconds_to_ns(seconds));
}

}  // namespace roost::bench
