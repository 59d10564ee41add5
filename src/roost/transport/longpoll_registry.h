// Role: LongPollRegistry, one loop's long-poll sessions by token, their creation (with
// an unguessable token that also names the loop) and their expiry.
// Thread affinity: its loop only. Ownership: owns the sessions.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <memory>
#include <optional>
#include <string>

#include "roost/net/loop.h"
#include "roost/transport/longpoll_session.h"

namespace roost::transport {

class LongPollRegistry {
 public:
  explicit LongPollRegistry(net::Loop& loop) : loop_(loop) {}

  std::shared_ptr<LongPollSession> create(const SocketOptions& options, proto::Serializer serializer);
  std::shared_ptr<LongPollSession> find(std::string_view token) const;
  void remove(std::string_view token);
  void sweep(LongPollSession::Clock::time_point now);
  void close_all();
  std::size_t size() const noexcept { return sessions_.size(); }

  // The loop a token belongs to ("<loop>.<random>"), if it is well-formed.
  static std::optional<std::size_t> loop_of(std::string_view token);

 private:
  net::Loop& loop_;
  boost::unordered_flat_map<std::string, std::shared_ptr<LongPollSession>> sessions_;
};

}  // namespace roost::transport
