#include "roost/channels/channel_core.h"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <stdexcept>

#include "roost/channels/lifecycle_frame.h"
#include "roost/channels/socket.h"
#include "roost/core/log.h"
#include "roost/net/loop.h"
#include "roost/presence/tracker.h"
#include "roost/proto/serializer.h"

namespace roost::channels {

namespace {

// Phoenix treats :normal, :shutdown and {:shutdown, _} as graceful (phx_close).
bool graceful(std::string_view reason) {
  return reason == "normal" || reason == "shutdown" || reason.starts_with("shutdown:") || reason == "left";
}

// Handlers' exceptions are caught inside the coroutines; anything else that escapes a
// finished coroutine (e.g. cancellation bookkeeping) has nobody left to tell.
void ignore_exception(std::exception_ptr) {}

}  // namespace

ChannelCore::ChannelCore(Socket& socket, std::string topic, proto::RawRef table_join_ref, proto::RawRef own_join_ref,
                         std::unique_ptr<Channel> channel)
    : socket_(&socket),
      pubsub_(&socket.pubsub()),
      tracker_(socket.tracker()),
      max_broadcast_bytes_(socket.limits().max_broadcast_bytes),
      context_(socket.context()),
      executor_(net::Loop::current()->executor()),
      topic_(std::move(topic)),
      table_join_ref_(std::move(table_join_ref)),
      own_join_ref_(std::move(own_join_ref)),
      channel_(std::move(channel)) {
  channel_->core_ = this;
}

ChannelCore::~ChannelCore() { unsubscribe(); }

void ChannelCore::start_join(proto::Payload payload, proto::RawRef ref) {
  boost::asio::co_spawn(executor_, join_task(std::move(payload), std::move(ref)),
                        boost::asio::bind_cancellation_slot(cancel_.slot(), ignore_exception));
}

Task<void> ChannelCore::join_task(proto::Payload payload, proto::RawRef ref) {
  auto self = shared_from_this();  // the join may outlive the socket's interest in it
  // Cancellation (the socket closed) must abort what the handler awaits, not throw out
  // of this frame's own bookkeeping.
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  JoinResult result;
  bool crashed = false;
  try {
    result = co_await channel_->join(topic_, payload);
  } catch (const std::exception& e) {
    crashed = true;
    log().warn("join of {} crashed: {}", topic_, e.what());
  } catch (...) {
    crashed = true;
  }
  if (socket_ != nullptr) socket_->join_finished(self, ref, crashed, std::move(result));
}

void ChannelCore::joined() {
  state_ = State::joined;
  pubsub_->subscribe(topic_, this);
  subscribed_ = true;
  net::Loop::current()->metrics().channels.add();
  for (auto& frame : held_) socket_->send_frame(std::move(frame));
  held_.clear();
  held_.shrink_to_fit();
  if (inbox_head_ < inbox_.size()) start_runner();
}

void ChannelCore::enqueue_in(std::string event, proto::Payload payload, proto::RawRef ref) {
  inbox_.push_back(Item{Item::Kind::in, std::move(event), std::move(payload), std::move(ref), {}});
  start_runner();
}

void ChannelCore::enqueue_leave(proto::RawRef ref) {
  state_ = State::leaving;
  inbox_.push_back(Item{Item::Kind::leave, {}, {}, std::move(ref), {}});
  start_runner();
}

bool ChannelCore::enqueue_info(std::any message) {
  if (state_ == State::closed || socket_ == nullptr) return false;
  inbox_.push_back(Item{Item::Kind::info, {}, {}, {}, std::move(message)});
  start_runner();
  return true;
}

void ChannelCore::start_runner() {
  if (running_ || state_ == State::joining || state_ == State::closed) return;
  running_ = true;
  boost::asio::co_spawn(executor_, runner(), boost::asio::bind_cancellation_slot(cancel_.slot(), ignore_exception));
}

Task<void> ChannelCore::runner() {
  auto self = shared_from_this();
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  while (inbox_head_ < inbox_.size() && state_ != State::closed) {
    Item item = std::move(inbox_[inbox_head_++]);
    if (inbox_head_ == inbox_.size()) {
      inbox_.clear();
      inbox_head_ = 0;
    }
    if (!co_await process(std::move(item))) break;
  }
  running_ = false;
  if (inbox_.empty() && inbox_.capacity() > 8) inbox_.shrink_to_fit();
}

Task<bool> ChannelCore::process(Item item) {
  switch (item.kind) {
    case Item::Kind::leave: {
      reply(item.ref, "ok", proto::Payload::empty_object());
      finish("left", false);
      co_return false;
    }
    case Item::Kind::info: {
      try {
        co_await channel_->handle_info(std::move(item.info));
      } catch (const std::exception& e) {
        if (state_ == State::closed) co_return false;
        log().warn("channel {} crashed in handle_info: {}", topic_, e.what());
        finish("crash", true);
        co_return false;
      }
      co_return state_ != State::closed;
    }
    case Item::Kind::in: break;
  }
  current_ref_ = item.ref;
  InResult result;
  try {
    result = co_await channel_->handle_in(item.event, item.payload);
  } catch (const std::exception& e) {
    if (state_ == State::closed) co_return false;  // cancelled because the socket closed
    log().warn("channel {} crashed handling {}: {}", topic_, item.event, e.what());
    finish("crash", true);
    co_return false;
  } catch (...) {
    if (state_ == State::closed) co_return false;
    finish("crash", true);
    co_return false;
  }
  if (state_ == State::closed) co_return false;
  switch (result.kind) {
    case InResult::Kind::no_reply: break;
    case InResult::Kind::reply: reply(item.ref, result.status, result.payload); break;
    case InResult::Kind::stop:
      if (result.stop_has_reply) reply(item.ref, result.status, result.payload);
      finish(result.stop_reason, !graceful(result.stop_reason));
      co_return false;
  }
  co_return true;
}

void ChannelCore::finish(std::string_view reason, bool crashed) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  unsubscribe();
  release_presences();
  if (socket_ != nullptr) {
    Socket* socket = socket_;
    socket->send_frame(encode_lifecycle_frame(context_->serializer, table_join_ref_, topic_,
                                              crashed ? "phx_error" : "phx_close",
                                              crashed ? R"({"reason":"channel_crash"})" : "{}"));
    socket->channel_ended(this);
    socket_ = nullptr;
  }
  call_terminate(reason);
}

void ChannelCore::detach(std::string_view reason) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  unsubscribe();
  release_presences();
  socket_ = nullptr;
  cancel_.emit(boost::asio::cancellation_type::terminal);
  call_terminate(reason);
}

void ChannelCore::discard() {
  terminated_ = true;
  detach("join failed");
}

void ChannelCore::call_terminate(std::string_view reason) {
  if (terminated_) return;
  terminated_ = true;
  try {
    channel_->terminate(reason);
  } catch (const std::exception& e) {
    log().warn("channel {} terminate threw: {}", topic_, e.what());
  }
}

presence::Tracker& ChannelCore::tracker() const {
  if (tracker_ == nullptr)
    throw std::logic_error("Presence used on an endpoint without a tracker: give the SocketDefinition a presence::Tracker");
  return *tracker_;
}

const presence::Owner& ChannelCore::presence_owner() {
  if (!presence_owner_) presence_owner_ = tracker().next_owner();
  return *presence_owner_;
}

void ChannelCore::release_presences() {
  // presence.md §2: a channel's entries leave when it ends, in one diff per topic.
  if (presence_owner_ && tracker_ != nullptr) tracker_->untrack_all(*presence_owner_, topic_);
}

void ChannelCore::unsubscribe() {
  if (!subscribed_) return;
  subscribed_ = false;
  if (net::Loop* loop = net::Loop::current()) loop->metrics().channels.sub();
  pubsub_->unsubscribe(topic_, this);
}

void ChannelCore::push(std::string_view event, proto::Payload payload) {
  if (state_ == State::closed || socket_ == nullptr) return;
  proto::OutboundMessage m{proto::OutboundKind::push, own_join_ref_, {}, topic_, event, {}, &payload};
  send(m);
}

void ChannelCore::reply(const proto::RawRef& ref, std::string_view status, const proto::Payload& payload) {
  if (socket_ == nullptr) return;
  proto::OutboundMessage m{proto::OutboundKind::reply, own_join_ref_, ref, topic_, {}, status, &payload};
  send(m);
}

void ChannelCore::send(const proto::OutboundMessage& message) {
  auto encoded = proto::encode(context_->serializer, message);
  if (!encoded) {
    log().warn("channel {}: cannot encode {}: {}", topic_, message.event, encoded.error().message());
    return;
  }
  if (state_ == State::joining) {
    held_.push_back(std::move(*encoded));  // nothing may precede the join reply (§7.2)
    return;
  }
  socket_->send_frame(std::move(*encoded));
}

void ChannelCore::deliver(const pubsub::BroadcastPtr& broadcast) {
  if (state_ == State::closed || socket_ == nullptr) return;
  for (const auto& e : channel_->intercepts_) {
    if (e == broadcast->event()) {
      try {
        channel_->handle_out(broadcast->event(), broadcast->payload());
      } catch (const std::exception& ex) {
        log().warn("channel {} crashed in handle_out: {}", topic_, ex.what());
        finish("crash", true);
      }
      return;
    }
  }
  socket_->send_broadcast(broadcast);
}

}  // namespace roost::channels
