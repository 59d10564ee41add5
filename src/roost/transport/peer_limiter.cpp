#include "roost/transport/peer_limiter.h"

#include <boost/container_hash/hash.hpp>

namespace roost::transport {

namespace {

PeerSlot::Key key_of(const boost::asio::ip::address& address) {
  if (address.is_v4()) return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  return address.to_v6().to_bytes();
}

}  // namespace

PeerSlot::PeerSlot(PeerSlot&& other) noexcept : owner_(std::move(other.owner_)), key_(other.key_) {}

PeerSlot& PeerSlot::operator=(PeerSlot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
    key_ = other.key_;
  }
  return *this;
}

void PeerSlot::release() noexcept {
  if (owner_) {
    owner_->release(key_);
    owner_.reset();
  }
}

std::optional<PeerSlot> PeerLimiter::acquire(const boost::asio::ip::address& address) {
  if (max_ == 0) return PeerSlot{};
  const auto key = key_of(address);
  std::lock_guard lock(mutex_);
  auto& held = held_[key];
  if (held >= max_) {
    if (held == 0) held_.erase(key);
    return std::nullopt;
  }
  ++held;
  return PeerSlot(shared_from_this(), key);
}

std::size_t PeerLimiter::held_by(const boost::asio::ip::address& address) const {
  std::lock_guard lock(mutex_);
  auto it = held_.find(key_of(address));
  return it == held_.end() ? 0 : it->second;
}

void PeerLimiter::release(const PeerSlot::Key& key) noexcept {
  std::lock_guard lock(mutex_);
  auto it = held_.find(key);
  if (it == held_.end()) return;
  if (--it->second == 0) held_.erase(it);
}

}  // namespace roost::transport
