#include "dialer.h"

#include <chrono>

namespace roost::bench {

namespace {
// Well inside the server's 60 s idle timeout.
constexpr std::chrono::seconds kKeepAliveEvery{30};
}  // namespace

Dialer::Dialer(boost::asio::io_context& io, Config config, WsClient::Listener& listener)
    : io_(io), config_(std::move(config)), listener_(listener), keep_alive_timer_(io) {
  clients_.reserve(config_.count);
}

Dialer::~Dialer() { keep_alive_timer_.cancel(); }

void Dialer::start(std::function<void()> on_settled) {
  on_settled_ = std::move(on_settled);
  if (config_.count == 0) {
    all_settled_ = true;
    if (on_settled_) on_settled_();
    return;
  }
  for (std::size_t i = 0; i < config_.concurrency && clients_.size() < config_.count; ++i) launch_next();
}

void Dialer::launch_next() {
  const std::size_t local = clients_.size();
  ++in_flight_;
  clients_.push_back(std::make_unique<WsClient>(io_, listener_, static_cast<std::uint32_t>(local)));
  const auto* source = config_.sources.empty() ? nullptr : &config_.sources[global(local) % config_.sources.size()];
  clients_.back()->start(config_.targets[global(local) % config_.targets.size()], source);
}

void Dialer::settled() {
  if (in_flight_ > 0) --in_flight_;
  if (clients_.size() < config_.count) return launch_next();
  if (in_flight_ == 0 && !all_settled_) {
    all_settled_ = true;
    if (on_settled_) on_settled_();
  }
}

void Dialer::failed(Failure why) {
  switch (why) {
    case Failure::connect: ++failures_.connect; break;
    case Failure::handshake: ++failures_.handshake; break;
    default: ++failures_.other; break;
  }
  settled();
}

void Dialer::keep_alive(std::function<void(WsClient&)> send) {
  keep_alive_ = std::move(send);
  arm_keep_alive();
}

void Dialer::arm_keep_alive() {
  keep_alive_timer_.expires_after(kKeepAliveEvery);
  keep_alive_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    for (auto& c : clients_)
      if (c->is_open()) keep_alive_(*c);
    arm_keep_alive();
  });
}

void Dialer::close_all() {
  keep_alive_timer_.cancel();
  for (auto& c : clients_) c->close();
}

void Dialer::abort_all() {
  keep_alive_timer_.cancel();
  for (auto& c : clients_) c->abort();
}

std::uint64_t Dialer::pings() const {
  std::uint64_t n = 0;
  for (const auto& c : clients_) n += c->pings();
  return n;
}

}  // namespace roost::bench
