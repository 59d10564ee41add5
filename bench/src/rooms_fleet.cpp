#include "rooms_fleet.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "clock.h"
#include "phx_frames.h"

namespace roost::bench {

namespace {

constexpr std::int64_t kPeriodNs = 1'000'000'000;  // every client sends once per second

// ["1","<ref>","<topic>","shout",{"t":<send_ns>}]: the bare payload the rooms scenario sends.
void append_room_shout(std::string& out, std::string_view topic, std::uint64_t ref, std::int64_t send_ns) {
  char num[24];
  out += "[\"1\",\"";
  auto [end, ec] = std::to_chars(num, num + sizeof num, ref);
  (void)ec;
  out.append(num, end);
  out += "\",\"";
  out += topic;
  out += "\",\"shout\",{\"t\":";
  auto [end2, ec2] = std::to_chars(num, num + sizeof num, send_ns);
  (void)ec2;
  out.append(num, end2);
  out += "}]";
}

}  // namespace

RoomsFleet::RoomsFleet(boost::asio::io_context& io, Config config)
    : io_(io), config_(std::move(config)), send_timer_(io) {
  clients_.reserve(config_.count);
  state_.assign(config_.count, kPending);
  refs_.assign(config_.count, 1);  // "1" is the join
}

RoomsFleet::~RoomsFleet() { send_timer_.cancel(); }

std::string RoomsFleet::topic_of(std::size_t local) const {
  // Modulo rather than blocks of consecutive indices: a room's members then sit in different
  // processes and at different phases, so each room's shouts are spread over the second too.
  return config_.topic_prefix + std::to_string((config_.first_index + local) % config_.rooms);
}

// No Phoenix heartbeat: every joined client sends a shout each second, which keeps it well
// inside the server's idle timeout for as long as the schedule runs, and runs are short.
void RoomsFleet::start(std::function<void()> on_settled) {
  on_settled_ = std::move(on_settled);
  for (std::size_t i = 0; i < config_.concurrency && launched_ < config_.count; ++i) launch_next();
  if (config_.count == 0) settle_one();
}

void RoomsFleet::launch_next() {
  const std::size_t local = launched_++;
  ++in_flight_;
  clients_.push_back(std::make_unique<WsClient>(io_, *this, static_cast<std::uint32_t>(local)));
  const auto* source = config_.sources.empty()
                           ? nullptr
                           : &config_.sources[(config_.first_index + local) % config_.sources.size()];
  clients_.back()->start(config_.target, source);
}

void RoomsFleet::settle_one() {
  if (in_flight_ > 0) --in_flight_;
  if (launched_ < config_.count) return launch_next();
  if (in_flight_ == 0 && !settled_) {
    settled_ = true;
    if (on_settled_) on_settled_();
  }
}

void RoomsFleet::schedule(std::int64_t send_start_ns, std::int64_t send_end_ns, std::int64_t window_start_ns,
                          std::int64_t window_end_ns) {
  send_timer_.cancel();
  send_start_ = send_start_ns;
  send_end_ = send_end_ns;
  round_ = 0;
  cursor_ = 0;
  const RoomsSendStats kept = sends_;
  sends_ = RoomsSendStats{};
  sends_.acks_ok = kept.acks_ok;  // acks are cumulative: replies to earlier sends may still arrive
  sends_.acks_error = kept.acks_error;
  stats_.window_start = window_start_ns;
  stats_.window_end = window_end_ns;
  stats_.total = stats_.sent_in = stats_.recv_in = stats_.no_time = 0;
  stats_.latency_ns.clear();
  if (config_.count > 0) arm();
}

std::int64_t RoomsFleet::due_ns() const {
  const auto global = static_cast<std::int64_t>(config_.first_index + cursor_);
  const auto phase = global * kPeriodNs / static_cast<std::int64_t>(std::max<std::size_t>(config_.total, 1));
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
    if (++cursor_ == config_.count) cursor_ = 0, ++round_;
    sends_.max_lag_ns = std::max<std::uint64_t>(sends_.max_lag_ns, static_cast<std::uint64_t>(now - due));
    auto& c = *clients_[local];
    if (state_[local] != kJoined || !c.is_open()) {
      ++sends_.skipped;
      continue;
    }
    const std::int64_t t = mono_ns();
    scratch_.clear();
    append_room_shout(scratch_, topic_of(local), ++refs_[local], t);
    c.send_text(scratch_);
    ++burst;
    ++sends_.sent;
    if (t >= stats_.window_start && t < stats_.window_end) ++sends_.sent_in;
  }
  sends_.max_burst = std::max(sends_.max_burst, burst);
  arm();
}

void RoomsFleet::close_all() {
  send_timer_.cancel();
  for (auto& c : clients_) c->close();
}

void RoomsFleet::abort_all() {
  send_timer_.cancel();
  for (auto& c : clients_) c->abort();
}

FleetCounters RoomsFleet::counters() const {
  FleetCounters out = counters_;
  for (const auto& c : clients_) out.pings += c->pings();
  return out;
}

void RoomsFleet::on_open(WsClient& c) {
  ++live_;
  scratch_.clear();
  append_join(scratch_, topic_of(c.id()));
  c.send_text(scratch_);
}

void RoomsFleet::on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) {
  FrameHead head;
  if (!scan_head(text, head)) return;
  if (head.event == "shout") {
    record_delivery(stats_, head.payload, recv_ns);
    return;
  }
  if (head.event == "phx_reply") {
    if (head.ref != kJoinRef) {  // the reply to one of our shouts
      ++(reply_ok(head.payload) ? sends_.acks_ok : sends_.acks_error);
      return;
    }
    if (state_[c.id()] != kPending) return;
    if (reply_ok(head.payload)) {
      state_[c.id()] = kJoined;
      ++counters_.joined;
    } else {
      state_[c.id()] = kDone;
      ++counters_.join_refused;
      c.close();
    }
    settle_one();
    return;
  }
  if (head.event == "phx_error" || head.event == "phx_close") ++counters_.channel_errors;
}

void RoomsFleet::on_closed(WsClient& c, Failure why) {
  if (why == Failure::server_close) ++counters_.server_closes;
  if (c.was_opened() && live_ > 0) --live_;
  auto& state = state_[c.id()];
  if (state == kJoined && why != Failure::none) ++counters_.dropped_after_join;
  if (state != kPending) {
    state = kDone;
    return;
  }
  state = kDone;
  switch (why) {
    case Failure::connect: ++counters_.failed_connect; break;
    case Failure::handshake: ++counters_.failed_handshake; break;
    default: ++counters_.failed_other; break;
  }
  settle_one();
}

}  // namespace roost::bench
