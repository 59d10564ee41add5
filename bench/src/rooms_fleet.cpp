#include "rooms_fleet.h"

#include <algorithm>
#include <chrono>

#include "clock.h"

namespace roost::bench {

namespace {
constexpr std::int64_t kPeriodNs = 1'000'000'000;  // every client sends once per second
}  // namespace

Fleet::Config RoomsFleet::fleet_config(const Config& c) {
  Fleet::Config f;
  f.dial = c.dial;
  f.protocol = c.protocol;
  // Modulo rather than blocks of consecutive indices: a room's members then sit in different
  // processes and at different phases, so each room's shouts are spread over the second too.
  f.topic = c.topic_prefix;
  f.topics = std::max<std::size_t>(c.rooms, 1);
  f.separator = "";
  return f;
}

RoomsFleet::RoomsFleet(boost::asio::io_context& io, Config config)
    : total_(std::max<std::size_t>(config.total, 1)), fleet_(io, fleet_config(config)), send_timer_(io) {}

RoomsFleet::~RoomsFleet() { send_timer_.cancel(); }

void RoomsFleet::schedule(std::int64_t send_start_ns, std::int64_t send_end_ns, std::int64_t window_start_ns,
                          std::int64_t window_end_ns) {
  send_timer_.cancel();
  send_start_ = send_start_ns;
  send_end_ = send_end_ns;
  window_start_ = window_start_ns;
  window_end_ = window_end_ns;
  round_ = 0;
  cursor_ = 0;
  sends_ = RoomsSendStats{};
  fleet_.set_window(window_start_ns, window_end_ns);
  if (fleet_.count() > 0) arm();
}

std::int64_t RoomsFleet::due_ns() const {
  const auto global = static_cast<std::int64_t>(fleet_.global(cursor_));
  const auto phase = global * kPeriodNs / static_cast<std::int64_t>(total_);
  return send_start_ + static_cast<std::int64_t>(round_) * kPeriodNs + phase;
}

void RoomsFleet::arm() {
  const std::int64_t due = due_ns();
  if (due >= send_end_) return;
  send_timer_.expires_after(std::chrono::nanoseconds(std::max<std::int64_t>(due - mono_ns(), 0)));
  send_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

// Absolute deadlines: a late tick sends everything that has fallen due, so lost ground shows
// in max_burst / max_lag_ns instead of silently lowering the rate.
void RoomsFleet::tick() {
  const std::int64_t now = mono_ns();
  std::uint64_t burst = 0;
  for (std::int64_t due = due_ns(); due <= now && due < send_end_; due = due_ns()) {
    const std::size_t local = cursor_;
    if (++cursor_ == fleet_.count()) cursor_ = 0, ++round_;
    sends_.max_lag_ns = std::max<std::uint64_t>(sends_.max_lag_ns, static_cast<std::uint64_t>(now - due));
    const std::int64_t t = mono_ns();
    if (!fleet_.shout(local, t)) {
      ++sends_.skipped;
      continue;
    }
    ++burst;
    ++sends_.sent;
    if (t >= window_start_ && t < window_end_) ++sends_.sent_in;
  }
  sends_.max_burst = std::max(sends_.max_burst, burst);
  arm();
}

void RoomsFleet::close_all() {
  send_timer_.cancel();
  fleet_.close_all();
}

void RoomsFleet::abort_all() {
  send_timer_.cancel();
  fleet_.abort_all();
}

}  // namespace roost::bench
