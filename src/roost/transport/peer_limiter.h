// Role: PeerLimiter, a cap on how many of something (TCP connections, long-poll
// sessions) one client address may hold at once, so a single host cannot take all of a
// server's file descriptors or memory. acquire() hands out a PeerSlot that gives its
// place back when destroyed; the slot travels with the connection or session it counts.
// Thread affinity: acquire() and slot release may happen on any loop; they take a mutex,
// once per connection or session, never per message. With no limit (0) nothing is
// counted and no lock is taken.
// Ownership: shared by the slots it handed out, so it outlives the last of them.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace roost::transport {

class PeerLimiter;

class PeerSlot {
 public:
  using Key = std::array<std::uint8_t, 16>;  // the address as IPv6 (IPv4 mapped)

  PeerSlot() = default;  // counts nothing
  PeerSlot(PeerSlot&& other) noexcept;
  PeerSlot& operator=(PeerSlot&& other) noexcept;
  PeerSlot(const PeerSlot&) = delete;
  PeerSlot& operator=(const PeerSlot&) = delete;
  ~PeerSlot() { release(); }

 private:
  friend class PeerLimiter;
  PeerSlot(std::shared_ptr<PeerLimiter> owner, Key key) : owner_(std::move(owner)), key_(key) {}
  void release() noexcept;

  std::shared_ptr<PeerLimiter> owner_;
  Key key_{};
};

class PeerLimiter : public std::enable_shared_from_this<PeerLimiter> {
 public:
  // max_per_address 0 = unlimited.
  static std::shared_ptr<PeerLimiter> create(std::size_t max_per_address) {
    return std::shared_ptr<PeerLimiter>(new PeerLimiter(max_per_address));
  }

  // A slot for one more of `address`, or nullopt when it already holds the maximum.
  std::optional<PeerSlot> acquire(const boost::asio::ip::address& address);
  std::size_t held_by(const boost::asio::ip::address& address) const;
  std::size_t max_per_address() const noexcept { return max_; }

 private:
  friend class PeerSlot;
  explicit PeerLimiter(std::size_t max_per_address) : max_(max_per_address) {}
  void release(const PeerSlot::Key& key) noexcept;

  const std::size_t max_;
  mutable std::mutex mutex_;
  boost::unordered_flat_map<PeerSlot::Key, std::uint32_t, boost::hash<PeerSlot::Key>> held_;
};

}  // namespace roost::transport
