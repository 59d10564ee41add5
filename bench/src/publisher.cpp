#include "publisher.h"

#include <chrono>
#include <cmath>

#include "clock.h"
#include "phx_frames.h"

namespace roost::bench {

namespace {
constexpr std::uint64_t kMaxBurst = 10'000;
}

Publisher::Publisher(boost::asio::io_context& io, const UpgradeTarget& target, ProtocolKind protocol,
                     std::string topic, std::size_t payload_bytes)
    : client_(io, *this, 0),
      target_(target),
      wire_(make_wire(protocol)),
      topic_(std::move(topic)),
      pad_(pad_for_payload(payload_bytes), 'x'),
      timer_(io) {}

void Publisher::start(const boost::asio::ip::address_v4* source) { client_.start(target_, source); }

std::string Publisher::failure_text() const {
  if (refused_) return "the publisher's join was refused";
  return std::string("the publisher connection failed (") + failure_name(failure_) + ")";
}

void Publisher::on_open(WsClient& c) {
  if (wire_->opened(c)) wire_->join(c, topic_);
}

void Publisher::on_text(WsClient& c, std::string_view text, std::int64_t) {
  const Inbound in = wire_->received(c, text);
  if (in.kind == Inbound::Kind::shout) {
    ++stats_.self_deliveries;
  } else if (in.kind == Inbound::Kind::ready) {
    if (!joined_) wire_->join(c, topic_);
  } else if (in.kind == Inbound::Kind::reply) {
    if (in.ref == kJoinRef && !joined_) {
      joined_ = in.ok;
      refused_ = !in.ok;
    } else {
      ++(in.ok ? stats_.acks_ok : stats_.acks_error);
    }
  }
}

void Publisher::on_closed(WsClient&, Failure why) {
  if (why != Failure::none) failure_ = why;
  running_ = false;
  timer_.cancel();
}

void Publisher::run(double rate, std::int64_t start_ns, std::int64_t end_ns, std::int64_t window_start,
                    std::int64_t window_end) {
  rate_ = rate;
  start_ = start_ns;
  end_ = end_ns;
  window_start_ = window_start;
  window_end_ = window_end;
  stats_.sent = stats_.sent_in = stats_.max_burst = 0;
  running_ = true;
  arm(start_ns);
}

void Publisher::arm(std::int64_t at_ns) {
  // libstdc++'s steady_clock is CLOCK_MONOTONIC, the clock of mono_ns().
  timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(at_ns)));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && running_) tick();
  });
}

void Publisher::tick() {
  const std::int64_t now = mono_ns();
  if (now >= end_ || !client_.is_open()) {
    running_ = false;
    return;
  }
  // Shouts due by now: one at start_, then one every 1/rate s.
  const auto due = static_cast<std::uint64_t>(std::floor(static_cast<double>(now - start_) * rate_ / 1e9)) + 1;
  std::uint64_t burst = 0;
  while (stats_.sent < due && burst < kMaxBurst) {
    const std::int64_t t = mono_ns();
    wire_->send_shout(client_, topic_, ++ref_, t, pad_);
    ++stats_.sent;
    ++burst;
    if (t >= window_start_ && t < window_end_) ++stats_.sent_in;
  }
  if (burst > stats_.max_burst) stats_.max_burst = burst;
  const auto next = start_ + static_cast<std::int64_t>(static_cast<double>(stats_.sent) * 1e9 / rate_);
  if (next >= end_) {
    running_ = false;
    return;
  }
  arm(next);
}

}  // namespace roost::bench
