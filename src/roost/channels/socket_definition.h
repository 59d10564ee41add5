// Role: SocketDefinition, an application's socket (Phoenix's UserSocket): the connect
// callback that accepts or refuses a client and sets its assigns and id, the channel
// routes, and the per-socket limits. It is the transport::SocketEndpoint the transports
// call when a client connects.
// Thread affinity: configured before the server starts; connect() then runs on the
// connecting client's loop, concurrently on several loops, so the callback must be
// thread-safe (it usually only reads the request).
// Ownership: shared by the endpoint and every Socket created from it.
#pragma once

#include <functional>

#include "roost/channels/router.h"
#include "roost/channels/socket_context.h"
#include "roost/pubsub/pubsub.h"
#include "roost/transport/socket_handler.h"

namespace roost::presence {
class Tracker;
}

namespace roost::channels {

struct ConnectResult {
  bool accepted = false;
  boost::json::object assigns;
  std::optional<std::string> id;  // e.g. "user_socket:7"; a `disconnect` broadcast on it closes the socket

  static ConnectResult accept(boost::json::object assigns = {}, std::optional<std::string> id = std::nullopt) {
    return {true, std::move(assigns), std::move(id)};
  }
  static ConnectResult refuse() { return {}; }
};

using ConnectCallback = std::function<ConnectResult(const transport::ConnectInfo&)>;

// Per-socket flood limits. Over a rate limit the offending message gets an error reply
// {"reason":"rate limit exceeded"} and the socket is then closed (1008), as a client
// that floods is broken or hostile; 0 disables a limit.
struct SocketLimits {
  // Phoenix's max_channels_per_transport default (server >= 1.8.9).
  std::size_t max_channels = 100;
  // Client messages of any kind (heartbeats included). A person typing sends tens per
  // second; a long-poll POST delivers up to 100 at once, which the burst absorbs.
  std::uint32_t messages_per_second = 100;
  std::uint32_t message_burst = 300;
  // Joins: the burst lets a client (re)join all max_channels at once after a reconnect.
  std::uint32_t joins_per_second = 20;
  std::uint32_t join_burst = 120;
  // Largest payload Channel::broadcast/broadcast_from/local_broadcast will send to a
  // topic: one client's message is copied to every subscriber's outbound queue.
  std::size_t max_broadcast_bytes = 64 * 1024;
};

class SocketDefinition final : public transport::SocketEndpoint {
 public:
  SocketDefinition(pubsub::PubSub& pubsub, presence::Tracker* tracker, ConnectCallback connect, ChannelRouter router,
                   SocketLimits limits = {});
  // Without Presence (channels that call presence() then fail with a clear message).
  SocketDefinition(pubsub::PubSub& pubsub, ConnectCallback connect, ChannelRouter router, SocketLimits limits = {})
      : SocketDefinition(pubsub, nullptr, std::move(connect), std::move(router), limits) {}

  Result<std::unique_ptr<transport::SocketHandler>> connect(transport::ConnectInfo info,
                                                            transport::Outbound& outbound) override;

  const ChannelRouter& router() const noexcept { return router_; }
  const SocketLimits& limits() const noexcept { return limits_; }
  pubsub::PubSub& pubsub() noexcept { return pubsub_; }
  presence::Tracker* tracker() noexcept { return tracker_; }

 private:
  pubsub::PubSub& pubsub_;
  presence::Tracker* tracker_;
  ConnectCallback connect_;
  ChannelRouter router_;
  SocketLimits limits_;
};

}  // namespace roost::channels
