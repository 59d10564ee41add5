#include "soak_fleet.h"

#include <boost/asio/post.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>

#include "clock.h"
#include "phx_frames.h"

namespace roost::bench {

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kTickNs = 20'000'000;
// A closing handshake the server does not answer within this is dropped (and reconnected).
constexpr std::int64_t kCloseTimeoutNs = 5 * kSecond;
// A retired connection's handlers have all run long before this.
constexpr std::int64_t kRetireNs = 10 * kSecond;

std::uint64_t to_ref(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc{} && p == text.data() + text.size() ? v : 0;
}
}  // namespace

SoakFleet::SoakFleet(boost::asio::io_context& io, Config config)
    : io_(io),
      config_(std::move(config)),
      slots_(config_.dial.count),
      timer_(io),
      rng_(0x50a6 + config_.dial.first_index) {}

SoakFleet::~SoakFleet() { timer_.cancel(); }

std::string SoakFleet::topic_of(std::size_t local) const {
  return config_.topic_prefix + std::to_string((config_.dial.first_index + local) % std::max<std::size_t>(config_.rooms, 1));
}

std::int64_t SoakFleet::random_ns(std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi - 1)(rng_);
}

void SoakFleet::set_phase(Slot& s, Phase p) {
  s.phase = p;
  s.phase_since_ns = mono_ns();
}

WsClient* SoakFleet::open_client(std::size_t local) {
  Slot& s = slots_[local];
  s.client = std::make_unique<WsClient>(io_, *this, static_cast<std::uint32_t>(local));
  set_phase(s, Phase::connecting);
  const std::size_t g = config_.dial.first_index + local;
  const auto& sources = config_.dial.sources;
  s.client->start(config_.dial.targets[g % config_.dial.targets.size()],
                  sources.empty() ? nullptr : &sources[g % sources.size()]);
  return s.client.get();
}

void SoakFleet::start(std::function<void()> on_settled) {
  on_settled_ = std::move(on_settled);
  initial_left_ = slots_.size();
  if (slots_.empty()) {
    if (on_settled_) on_settled_();
  } else {
    launch_initial();
  }
  last_tick_ns_ = mono_ns();
  arm();
}

void SoakFleet::launch_initial() {
  while (initial_in_flight_ < std::max<std::size_t>(config_.dial.concurrency, 1) && next_initial_ < slots_.size()) {
    ++initial_in_flight_;
    open_client(next_initial_++);
  }
}

// The end of a join attempt (ok or not). The initial connects are paced by `concurrency`.
void SoakFleet::settle(Slot& s) {
  if (!s.initial) return;
  s.initial = false;
  --initial_in_flight_;
  launch_initial();
  if (--initial_left_ == 0 && on_settled_) on_settled_();
}

void SoakFleet::send_join(std::size_t local) {
  Slot& s = slots_[local];
  s.join_ref = ++s.next_ref;
  scratch_.clear();
  append_message(scratch_, s.join_ref, s.join_ref, topic_of(local), "phx_join", "{}");
  s.client->send_text(scratch_);
  set_phase(s, Phase::joining);
}

void SoakFleet::send_shout(std::size_t local, std::int64_t now) {
  Slot& s = slots_[local];
  const std::uint64_t ref = ++s.next_ref;
  payload_.clear();
  append_shout_payload(payload_, now, {});
  scratch_.clear();
  append_message(scratch_, s.join_ref, ref, topic_of(local), "shout", payload_);
  s.client->send_text(scratch_);
  s.pending.push_back(ref);
  ++counters_.sends;
}

void SoakFleet::go(std::int64_t start_ns, std::int64_t window_ns, std::int64_t end_ns) {
  start_ns_ = start_ns;
  end_ns_ = end_ns;
  stats_ = DeliveryStats{};
  stats_.window_start = window_ns;
  stats_.window_end = end_ns;
  for (Slot& s : slots_) s.next_send_ns = start_ns + random_ns(0, 3 * kSecond / 2);
  running_ = true;
}

void SoakFleet::stop() { running_ = false; }

void SoakFleet::on_open(WsClient& c) {
  ++live_;
  if (slots_[c.id()].client.get() != &c) return;
  send_join(c.id());
}

void SoakFleet::on_reply(std::size_t local, std::uint64_t ref, bool ok) {
  Slot& s = slots_[local];
  if (s.phase == Phase::joining && ref == s.join_ref) {
    if (!ok) {
      ++counters_.join_failures;
      set_phase(s, Phase::dead);
      s.client->close();
    } else {
      ++counters_.joins;
      if (s.rejoin) ++counters_.rejoins;
      if (s.reconnect) ++counters_.reconnects;
      s.rejoin = s.reconnect = false;
      set_phase(s, Phase::joined);
      s.next_send_ns = std::max(s.next_send_ns, mono_ns() + random_ns(kSecond, 2 * kSecond));
    }
    settle(s);  // last: the "ready" it may trigger counts this client as joined
    return;
  }
  if (s.phase == Phase::leaving && ref == s.leave_ref) {
    s.rejoin = true;
    send_join(local);
    return;
  }
  // A shout's reply: they come back in the order sent (one channel, handled in order).
  const auto it = std::find(s.pending.begin(), s.pending.end(), ref);
  if (it == s.pending.end()) return;
  counters_.missing_replies += static_cast<std::uint64_t>(it - s.pending.begin());
  s.pending.erase(s.pending.begin(), it + 1);
  ++(ok ? counters_.replies_ok : counters_.replies_error);
}

void SoakFleet::on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) {
  if (slots_[c.id()].client.get() != &c) return;
  FrameHead head;
  if (!scan_head(text, head)) return;
  if (head.event == "shout") {
    record_delivery(stats_, head.payload, recv_ns);
  } else if (head.event == "phx_reply") {
    if (head.topic != "phoenix") on_reply(c.id(), to_ref(head.ref), reply_ok(head.payload));
  } else if (head.event == "phx_error" || head.event == "phx_close") {
    const Slot& s = slots_[c.id()];
    if (to_ref(head.join_ref) == s.join_ref && s.phase != Phase::leaving) ++counters_.channel_errors;
  }
}

void SoakFleet::on_closed(WsClient& c, Failure why) {
  if (c.was_opened() && live_ > 0) --live_;
  const std::size_t local = c.id();
  Slot& s = slots_[local];
  if (s.client.get() != &c) return;
  counters_.missing_replies += s.pending.size();
  s.pending.clear();
  const Phase was = s.phase;
  set_phase(s, Phase::dead);
  switch (was) {
    case Phase::connecting:
    case Phase::joining:
      if (stopping_ && why == Failure::none) break;
      ++counters_.join_failures;
      settle(s);
      break;
    case Phase::joined:
    case Phase::leaving:
      if (!(stopping_ && why == Failure::none)) ++counters_.unexpected_closes;
      break;
    case Phase::closing:
      // Our own disconnect: open a new connection, once this one's callback has returned.
      if (why != Failure::none) ++counters_.unexpected_closes;
      if (!stopping_) boost::asio::post(io_, [this, local] { replace_connection(local); });
      break;
    case Phase::idle:
    case Phase::dead:
      break;
  }
}

void SoakFleet::replace_connection(std::size_t local) {
  Slot& s = slots_[local];
  if (stopping_ || s.phase != Phase::dead) return;
  retired_.emplace_back(mono_ns(), std::move(s.client));
  s.reconnect = true;
  open_client(local);
}

void SoakFleet::churn(double dt_s) {
  if (slots_.empty()) return;
  churn_credit_ += config_.churn_per_second * static_cast<double>(slots_.size()) * dt_s;
  for (int tries = 0; churn_credit_ >= 1 && tries < 64; ++tries) {
    const std::size_t local = static_cast<std::size_t>(random_ns(0, static_cast<std::int64_t>(slots_.size())));
    Slot& s = slots_[local];
    // Only an idle member churns, so no reply is ever lost to our own leave or close.
    if (s.phase != Phase::joined || !s.pending.empty()) continue;
    churn_credit_ -= 1;
    if (++churn_turn_ % 2 == 0) {
      s.leave_ref = ++s.next_ref;
      scratch_.clear();
      append_message(scratch_, s.join_ref, s.leave_ref, topic_of(local), "phx_leave", "{}");
      s.client->send_text(scratch_);
      set_phase(s, Phase::leaving);
      ++counters_.leaves;
    } else {
      s.client->close();
      set_phase(s, Phase::closing);
      ++counters_.disconnects;
    }
  }
}

void SoakFleet::tick() {
  const std::int64_t now = mono_ns();
  const double dt_s = static_cast<double>(now - last_tick_ns_) / 1e9;
  last_tick_ns_ = now;
  if (running_ && now >= end_ns_) running_ = false;
  if (running_ && now >= start_ns_) {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.phase != Phase::joined || s.next_send_ns > now) continue;
      send_shout(i, now);
      s.next_send_ns = now + random_ns(kSecond, 2 * kSecond);
    }
    churn(dt_s);
  }
  for (Slot& s : slots_)
    if (s.phase == Phase::closing && now - s.phase_since_ns > kCloseTimeoutNs) s.client->abort();
  std::erase_if(retired_, [now](const auto& r) { return now - r.first > kRetireNs; });
  arm();
}

void SoakFleet::arm() {
  if (stopping_) return;
  timer_.expires_after(std::chrono::nanoseconds(kTickNs));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

std::size_t SoakFleet::joined_now() const {
  return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.phase == Phase::joined; }));
}

std::uint64_t SoakFleet::missing_replies() const {
  std::uint64_t n = counters_.missing_replies;
  for (const Slot& s : slots_) n += s.pending.size();
  return n;
}

void SoakFleet::close_all() {
  stopping_ = true;
  running_ = false;
  timer_.cancel();
  for (Slot& s : slots_)
    if (s.client) s.client->close();
}

void SoakFleet::abort_all() {
  stopping_ = true;
  timer_.cancel();
  for (Slot& s : slots_)
    if (s.client) s.client->abort();
  for (auto& r : retired_) r.second->abort();
}

}  // namespace roost::bench
