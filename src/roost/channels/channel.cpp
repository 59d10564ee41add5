#include "roost/channels/channel.h"

#include <cassert>

#include "roost/channels/channel_core.h"
#include "roost/channels/errors.h"
#include "roost/net/loop.h"

namespace roost::channels {

namespace {
ChannelCore& core_of(ChannelCore* core) {
  assert(core != nullptr && "Channel context used before join(): the framework sets it up before calling join");
  return *core;
}
}  // namespace

bool ChannelRef::send(std::any message) const {
  auto core = core_.lock();
  return core && core->enqueue_info(std::move(message));
}

bool ChannelRef::alive() const {
  auto core = core_.lock();
  return core && core->state() != ChannelCore::State::closed;
}

Task<InResult> Channel::handle_in(std::string_view, const proto::Payload&) { co_return InResult::no_reply(); }

void Channel::handle_out(std::string_view event, const proto::Payload& payload) { push(event, payload); }

Task<void> Channel::handle_info(std::any) { co_return; }

void Channel::terminate(std::string_view) {}

const std::string& Channel::topic() const { return core_of(core_).topic(); }

SocketContext& Channel::socket() const { return core_of(core_).context(); }

boost::asio::any_io_executor Channel::executor() const { return core_of(core_).executor(); }

void Channel::push(std::string_view event, proto::Payload payload) { core_of(core_).push(event, std::move(payload)); }

namespace {

// One client's message is copied into every subscriber's queue: bound what a channel may
// send to a topic.
std::error_code check_broadcast_size(const ChannelCore& core, const proto::Payload& payload) {
  const std::size_t limit = core.max_broadcast_bytes();
  if (limit == 0 || payload.data.size() <= limit) return {};
  net::Loop::current()->metrics().oversized_broadcasts.add();
  return ChannelError::payload_too_large;
}

}  // namespace

std::error_code Channel::broadcast(std::string_view event, proto::Payload payload) {
  ChannelCore& core = core_of(core_);
  if (auto ec = check_broadcast_size(core, payload)) return ec;
  return core.pubsub().broadcast(core.topic(), std::string(event), std::move(payload));
}

std::error_code Channel::broadcast_from(std::string_view event, proto::Payload payload) {
  ChannelCore& core = core_of(core_);
  if (auto ec = check_broadcast_size(core, payload)) return ec;
  return core.pubsub().broadcast(core.topic(), std::string(event), std::move(payload), &core);
}

std::error_code Channel::local_broadcast(std::string_view event, proto::Payload payload) {
  ChannelCore& core = core_of(core_);
  if (auto ec = check_broadcast_size(core, payload)) return ec;
  return core.pubsub().local_broadcast(core.topic(), std::string(event), std::move(payload));
}

ReplyRef Channel::reply_ref() const {
  ChannelCore& core = core_of(core_);
  return ReplyRef{core.weak_from_this(), core.current_ref()};
}

ChannelPresence Channel::presence() const { return ChannelPresence(core_of(core_)); }

ChannelRef Channel::self() const { return ChannelRef(core_of(core_).weak_from_this()); }

void Channel::intercept(std::initializer_list<std::string_view> events) {
  for (auto e : events) intercepts_.emplace_back(e);
}

void Channel::reply(const ReplyRef& ref, std::string_view status, proto::Payload payload) {
  auto core = ref.channel.lock();
  if (!core || core->state() == ChannelCore::State::closed) return;
  core->reply(ref.ref, status, payload);
}

}  // namespace roost::channels
