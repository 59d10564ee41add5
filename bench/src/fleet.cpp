#include "fleet.h"

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

Fleet::Fleet(boost::asio::io_context& io, Config config)
    : config_(std::move(config)),
      wire_(make_wire(config_.protocol)),
      dialer_(io, config_.dial, *this),
      state_(config_.dial.count, kPending),
      refs_(config_.dial.count, 1) {}

std::string Fleet::topic_of(std::size_t local) const {
  if (config_.topics == 0) return config_.topic;
  return config_.topic + config_.separator + std::to_string(global(local) % config_.topics);
}

void Fleet::start(std::function<void()> on_settled) {
  dialer_.start(std::move(on_settled));
  dialer_.keep_alive([this](WsClient& c) {
    if (state_[c.id()] == kJoined) wire_->keep_alive(c, ++keep_alive_ref_);
  });
}

void Fleet::set_window(std::int64_t start_ns, std::int64_t end_ns) {
  stats_.window_start = start_ns;
  stats_.window_end = end_ns;
  stats_.total = stats_.sent_in = stats_.recv_in = stats_.no_time = 0;
  stats_.latency_ns.clear();
}

bool Fleet::shout(std::size_t local, std::int64_t send_ns) {
  if (local >= dialer_.size() || state_[local] != kJoined) return false;
  WsClient& c = dialer_.client(local);
  if (!c.is_open()) return false;
  wire_->send_shout(c, topic_of(local), ++refs_[local], send_ns, {});
  return true;
}

FleetCounters Fleet::counters() const {
  FleetCounters out = counters_;
  const DialFailures& f = dialer_.failures();
  out.failed_connect = f.connect;
  out.failed_handshake = f.handshake;
  out.failed_other = f.other;
  out.pings = dialer_.pings();
  return out;
}

void Fleet::on_open(WsClient& c) {
  dialer_.opened();
  if (wire_->opened(c)) wire_->join(c, topic_of(c.id()));
}

void Fleet::on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) {
  const Inbound in = wire_->received(c, text);
  switch (in.kind) {
    case Inbound::Kind::shout:
      record_delivery(stats_, in.payload, recv_ns);
      return;
    case Inbound::Kind::ready:
      if (state_[c.id()] == kPending) wire_->join(c, topic_of(c.id()));
      return;
    case Inbound::Kind::reply: {
      auto& state = state_[c.id()];
      if (in.ref != kJoinRef) {  // the reply to one of our shouts
        ++(in.ok ? counters_.acks_ok : counters_.acks_error);
        return;
      }
      if (state != kPending) return;
      if (in.ok) {
        state = kJoined;
        ++counters_.joined;
      } else {
        state = kDone;
        ++counters_.join_refused;
        c.close();
      }
      dialer_.settled();
      return;
    }
    case Inbound::Kind::channel_error:
      ++counters_.channel_errors;
      return;
    case Inbound::Kind::other:
      return;
  }
}

void Fleet::on_closed(WsClient& c, Failure why) {
  if (why == Failure::server_close) ++counters_.server_closes;
  dialer_.closed(c);
  auto& state = state_[c.id()];
  if (state == kJoined && why != Failure::none) ++counters_.dropped_after_join;
  const bool pending = state == kPending;
  state = kDone;
  if (pending) dialer_.failed(why);
}

}  // namespace roost::bench
