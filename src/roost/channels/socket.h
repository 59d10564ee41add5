// Role: Socket, the multiplexer of one client connection (Phoenix.Socket): decodes each
// client frame, answers heartbeats before any routing, routes joins through the
// ChannelRouter, keeps the table topic → channel, and applies protocol.md §7's rules for
// duplicate joins, leaves, stale join_refs and unjoined topics. Joins are synchronous
// for the socket: while one is in progress later frames wait, in order.
// Thread affinity: the connection's loop only.
// Ownership: owned by its transport (as a SocketHandler); owns its channels' table
// entries. It subscribes itself to its socket id topic to honour `disconnect`.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "roost/channels/channel_core.h"
#include "roost/channels/socket_definition.h"
#include "roost/core/token_bucket.h"

namespace roost::channels {

class Socket final : public transport::SocketHandler, public pubsub::Subscriber {
 public:
  Socket(SocketDefinition& definition, transport::Outbound& outbound, std::shared_ptr<SocketContext> context);
  ~Socket() override;

  // transport::SocketHandler
  void on_frame(std::string_view data, bool binary) override;
  bool busy() const noexcept override { return joining_ != nullptr; }
  void when_idle(std::function<void()> fn) override;
  void on_closed() override;
  bool has_channels() const noexcept override { return !channels_.empty(); }
  bool handling() const noexcept override;

  // pubsub::Subscriber, for the socket id topic.
  void deliver(const pubsub::BroadcastPtr& broadcast) override;

  // For ChannelCore.
  void send_message(const proto::OutboundMessage& message);
  void send_frame(proto::EncodedFrame frame);
  void send_broadcast(const pubsub::BroadcastPtr& broadcast);
  void join_finished(const std::shared_ptr<ChannelCore>& core, const proto::RawRef& ref, bool crashed,
                     JoinResult result);
  void channel_ended(ChannelCore* core);
  pubsub::PubSub& pubsub() noexcept { return definition_.pubsub(); }
  const SocketLimits& limits() const noexcept { return definition_.limits(); }
  presence::Tracker* tracker() noexcept { return definition_.tracker(); }
  const std::shared_ptr<SocketContext>& context() const noexcept { return context_; }

 private:
  void dispatch(proto::InboundMessage message);
  void handle_join(proto::InboundMessage message);
  void drain_backlog();
  void reply(const proto::RawRef& join_ref, const proto::RawRef& ref, std::string_view topic,
             std::string_view status, const proto::Payload& response);
  std::shared_ptr<ChannelCore> find(std::string_view topic) const;
  void protocol_error(std::uint16_t close_code);
  // Replies "rate limit exceeded" to `message` and closes the socket (1008).
  void refuse_flood(const proto::InboundMessage& message, const char* what);

  SocketDefinition& definition_;
  transport::Outbound& outbound_;
  std::shared_ptr<SocketContext> context_;
  std::vector<std::shared_ptr<ChannelCore>> channels_;  // at most max_channels, so a scan is cheap
  std::shared_ptr<ChannelCore> joining_;                 // the join in progress, if any
  std::vector<proto::EncodedFrame> after_join_reply_;    // duplicate join's phx_close
  std::vector<proto::InboundMessage> backlog_;           // frames that arrived during a join
  std::size_t backlog_head_ = 0;
  std::vector<std::function<void()>> idle_waiters_;
  TokenBucket message_bucket_;
  TokenBucket join_bucket_;
  bool closed_ = false;
};

}  // namespace roost::channels
