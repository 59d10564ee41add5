// Role: Channel, the class an application derives from for each topic pattern, as a
// Phoenix channel module: join, handle_in, handle_out (intercepted broadcasts),
// handle_info (messages sent to the channel later) and terminate. From join() on it may
// push, reply (now, or later through a ReplyRef), broadcast and broadcast_from.
// Thread affinity: every callback runs on the socket's loop. Callbacks of one channel
// never overlap except at co_await points: while join/handle_in/handle_info awaits, the
// channel's next messages wait in order, and everything else on the loop goes on.
// Ownership: the framework creates the channel (through the factory registered with
// the router) and destroys it after terminate(). Work that outlives a callback holds a
// ChannelRef or ReplyRef (weak), never `this`.
#pragma once

#include <any>
#include <boost/asio/any_io_executor.hpp>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "roost/channels/channel_presence.h"
#include "roost/channels/errors.h"
#include "roost/channels/results.h"
#include "roost/channels/socket_context.h"
#include "roost/core/task.h"

namespace roost::channels {

class ChannelCore;

// A stored reference to one client message, for replying later (Phoenix socket_ref).
struct ReplyRef {
  std::weak_ptr<ChannelCore> channel;
  proto::RawRef ref;
};

// A weak handle to a live channel, usable from any code on the same loop.
class ChannelRef {
 public:
  ChannelRef() = default;
  explicit ChannelRef(std::weak_ptr<ChannelCore> core) : core_(std::move(core)) {}
  // Queues `message` for the channel's handle_info, in order with its client messages.
  // Returns false when the channel is gone. Call on the channel's loop.
  bool send(std::any message) const;
  bool alive() const;

 private:
  std::weak_ptr<ChannelCore> core_;
};

class Channel {
 public:
  virtual ~Channel() = default;

  virtual Task<JoinResult> join(std::string_view topic, const proto::Payload& payload) = 0;
  // Default: no reply (the client's push times out), as a channel with no clause would.
  virtual Task<InResult> handle_in(std::string_view event, const proto::Payload& payload);
  // Called for broadcasts of the events given to intercept(); default pushes them unchanged.
  virtual void handle_out(std::string_view event, const proto::Payload& payload);
  virtual Task<void> handle_info(std::any message);
  // reason: "left", "closed", "duplicate join", "crash", "shutdown", or a stop reason.
  virtual void terminate(std::string_view reason);

 protected:
  // Everything below is usable from join() on.
  const std::string& topic() const;
  SocketContext& socket() const;
  boost::asio::any_io_executor executor() const;

  void push(std::string_view event, proto::Payload payload);
  void push(std::string_view event, const boost::json::value& payload) { push(event, json_payload(payload)); }
  std::error_code broadcast(std::string_view event, proto::Payload payload);
  std::error_code broadcast(std::string_view event, const boost::json::value& payload) {
    return broadcast(event, json_payload(payload));
  }
  std::error_code broadcast_from(std::string_view event, proto::Payload payload);
  std::error_code local_broadcast(std::string_view event, proto::Payload payload);

  // The message being handled by handle_in, to answer later with reply().
  ReplyRef reply_ref() const;
  ChannelRef self() const;
  // Presence on this channel's topic, owned by this channel (see ChannelPresence).
  ChannelPresence presence() const;

  // Broadcast events to route through handle_out instead of straight to the client.
  // Call from the constructor or join().
  void intercept(std::initializer_list<std::string_view> events);

 public:
  // Replies to a stored message; does nothing if the channel has gone or rejoined.
  static void reply(const ReplyRef& ref, std::string_view status, proto::Payload payload);

 private:
  friend class ChannelCore;
  ChannelCore* core_ = nullptr;
  std::vector<std::string> intercepts_;
};

}  // namespace roost::channels
