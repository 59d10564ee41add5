#include "fleet.h"

#include <chrono>

#include "control_lines.h"
#include "phx_frames.h"

namespace roost::bench {

void record_delivery(DeliveryStats& stats, std::string_view payload, std::int64_t recv_ns) {
  ++stats.total;
  const auto t = find_send_time(payload);
  if (!t) {
    ++stats.no_time;
    return;
  }
  if (*t >= stats.window_start && *t < stats.window_end) {
    ++stats.sent_in;
    stats.latency_ns.record(recv_ns - *t);
  }
  if (recv_ns >= stats.window_start && recv_ns < stats.window_end) ++stats.recv_in;
}

void add_fleet_counters(LineBuilder& b, const FleetCounters& c, std::size_t live) {
  b.add("joined", c.joined)
      .add("live", live)
      .add("join_refused", c.join_refused)
      .add("failed_connect", c.failed_connect)
      .add("failed_handshake", c.failed_handshake)
      .add("failed_other", c.failed_other)
      .add("dropped_after_join", c.dropped_after_join)
      .add("server_closes", c.server_closes)
      .add("channel_errors", c.channel_errors);
}

namespace {
constexpr std::chrono::seconds kHeartbeatEvery{30};
}

Fleet::Fleet(boost::asio::io_context& io, Config config)
    : io_(io), config_(std::move(config)), heartbeat_timer_(io) {
  clients_.reserve(config_.count);
  state_.assign(config_.count, kPending);
}

Fleet::~Fleet() { heartbeat_timer_.cancel(); }

std::string Fleet::topic_of(std::size_t local) const {
  if (config_.topics <= 1) return config_.topic;
  return config_.topic + ":" + std::to_string((config_.first_index + local) % config_.topics);
}

void Fleet::start(std::function<void()> on_settled) {
  on_settled_ = std::move(on_settled);
  for (std::size_t i = 0; i < config_.concurrency && launched_ < config_.count; ++i) launch_next();
  if (config_.count == 0) settle_one();
  heartbeat_timer_.expires_after(kHeartbeatEvery);
  heartbeat_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) heartbeat();
  });
}

void Fleet::launch_next() {
  const std::size_t local = launched_++;
  ++in_flight_;
  clients_.push_back(std::make_unique<WsClient>(io_, *this, static_cast<std::uint32_t>(local)));
  const auto* source = config_.sources.empty()
                           ? nullptr
                           : &config_.sources[(config_.first_index + local) % config_.sources.size()];
  clients_.back()->start(config_.target, source);
}

void Fleet::settle_one() {
  if (in_flight_ > 0) --in_flight_;
  if (launched_ < config_.count) return launch_next();
  if (in_flight_ == 0 && !settled_) {
    settled_ = true;
    if (on_settled_) on_settled_();
  }
}

void Fleet::heartbeat() {
  for (auto& c : clients_) {
    if (!c->is_open() || state_[c->id()] != kJoined) continue;
    scratch_.clear();
    append_heartbeat(scratch_, ++heartbeat_ref_ + 1);  // refs from 2: "1" is the join
    c->send_text(scratch_);
  }
  heartbeat_timer_.expires_after(kHeartbeatEvery);
  heartbeat_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) heartbeat();
  });
}

void Fleet::set_window(std::int64_t start_ns, std::int64_t end_ns) {
  stats_.window_start = start_ns;
  stats_.window_end = end_ns;
  stats_.total = stats_.sent_in = stats_.recv_in = stats_.no_time = 0;
  stats_.latency_ns.clear();
}

void Fleet::close_all() {
  for (auto& c : clients_) c->close();
}

void Fleet::abort_all() {
  for (auto& c : clients_) c->abort();
}

FleetCounters Fleet::counters() const {
  FleetCounters out = counters_;
  for (const auto& c : clients_) out.pings += c->pings();
  return out;
}

void Fleet::on_open(WsClient& c) {
  ++live_;
  scratch_.clear();
  append_join(scratch_, topic_of(c.id()));
  c.send_text(scratch_);
}

void Fleet::on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) {
  FrameHead head;
  if (!scan_head(text, head)) return;
  if (head.event == "shout") {
    record_delivery(stats_, head.payload, recv_ns);
    return;
  }
  if (head.event == "phx_reply") {
    if (head.ref != kJoinRef || state_[c.id()] != kPending) return;  // heartbeat replies
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

void Fleet::on_closed(WsClient& c, Failure why) {
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
