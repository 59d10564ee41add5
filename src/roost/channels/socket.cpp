#include "roost/channels/socket.h"

#include "roost/channels/lifecycle_frame.h"

#include <algorithm>

#include "roost/core/log.h"
#include "roost/net/loop.h"
#include "roost/proto/serializer.h"
#include "roost/websocket/close_code.h"

namespace roost::channels {

namespace {

const proto::Payload& empty_object() {
  static const proto::Payload p = proto::Payload::empty_object();
  return p;
}

const proto::Payload& reason_payload(std::string_view which) {
  static const proto::Payload unmatched = proto::Payload::json(R"({"reason":"unmatched topic"})");
  static const proto::Payload too_many = proto::Payload::json(R"({"reason":"too many channels joined"})");
  static const proto::Payload crashed = proto::Payload::json(R"({"reason":"join crashed"})");
  static const proto::Payload rate_limited = proto::Payload::json(R"({"reason":"rate limit exceeded"})");
  if (which == "unmatched") return unmatched;
  if (which == "too_many") return too_many;
  if (which == "rate_limited") return rate_limited;
  return crashed;
}

bool same_ref(const proto::RawRef& a, const proto::RawRef& b) { return a == b; }

}  // namespace

Socket::Socket(SocketDefinition& definition, transport::Outbound& outbound, std::shared_ptr<SocketContext> context)
    : definition_(definition),
      outbound_(outbound),
      context_(std::move(context)),
      message_bucket_(definition.limits().messages_per_second, definition.limits().message_burst),
      join_bucket_(definition.limits().joins_per_second, definition.limits().join_burst) {
  if (context_->id) pubsub().subscribe(*context_->id, this);
}

Socket::~Socket() {
  on_closed();
}

void Socket::on_frame(std::string_view data, bool binary) {
  if (closed_) return;
  auto& metrics = net::Loop::current()->metrics();
  metrics.messages_in.add();
  metrics.bytes_in.add(data.size());
  auto decoded = binary ? proto::decode_binary(context_->serializer, data) : proto::decode_text(context_->serializer, data);
  if (!decoded) {
    // §8.3: the reference server crashes the socket on malformed input (1011); every
    // channel of this socket terminates, nothing else is affected.
    metrics.protocol_errors.add();
    log().info("closing socket: malformed {} frame: {}", binary ? "binary" : "text", decoded.error().message());
    protocol_error(websocket::close_code::internal_error);
    return;
  }
  if (message_bucket_.limited() && !message_bucket_.take(TokenBucket::Clock::now())) {
    refuse_flood(*decoded, "messages");
    return;
  }
  if (joining_ != nullptr) {
    backlog_.push_back(std::move(*decoded));
    return;
  }
  dispatch(std::move(*decoded));
}

void Socket::protocol_error(std::uint16_t close_code) {
  closed_ = true;
  outbound_.close(close_code);
}

void Socket::refuse_flood(const proto::InboundMessage& message, const char* what) {
  auto& metrics = net::Loop::current()->metrics();
  metrics.rate_limited.add();
  log().info("closing socket: over its {} rate limit", what);
  reply(message.join_ref, message.ref, message.topic, "error", reason_payload("rate_limited"));
  protocol_error(websocket::close_code::policy_violation);
}

void Socket::dispatch(proto::InboundMessage message) {
  // §7.1: heartbeats first, whatever channel exists on "phoenix".
  if (message.topic == "phoenix" && message.event == "heartbeat") {
    reply(std::nullopt, message.ref, message.topic, "ok", empty_object());
    return;
  }
  if (message.event == "phx_join") {
    handle_join(std::move(message));
    return;
  }
  auto channel = find(message.topic);
  if (channel == nullptr) {
    if (message.event == "phx_leave") {
      reply(message.join_ref, message.ref, message.topic, "ok", empty_object());  // §7.6
    } else {
      reply(std::nullopt, message.ref, message.topic, "error", reason_payload("unmatched"));  // §7.7
    }
    return;
  }
  // §7.4 / §7.5: a null join_ref is accepted, a stale one is silently dropped.
  if (message.join_ref && !same_ref(message.join_ref, channel->table_join_ref())) return;
  if (message.event == "phx_leave") {
    if (channel->state() == ChannelCore::State::leaving) return;
    channel->enqueue_leave(std::move(message.ref));
    return;
  }
  channel->enqueue_in(std::move(message.event), std::move(message.payload), std::move(message.ref));
}

void Socket::handle_join(proto::InboundMessage message) {
  if (join_bucket_.limited() && !join_bucket_.take(TokenBucket::Clock::now())) {
    refuse_flood(message, "joins");
    return;
  }
  const ChannelFactory* factory = definition_.router().match(message.topic);
  if (factory == nullptr) {
    reply(std::nullopt, message.ref, message.topic, "error", reason_payload("unmatched"));  // §7.2.2
    return;
  }
  if (auto existing = find(message.topic)) {
    // §7.3: the new join replaces the old; its phx_close follows the new join's reply.
    after_join_reply_.push_back(encode_lifecycle_frame(context_->serializer, existing->table_join_ref(),
                                                       existing->topic(), "phx_close", "{}"));
    std::erase(channels_, existing);
    existing->detach("duplicate join");
  }
  if (channels_.size() >= definition_.limits().max_channels) {
    reply(message.join_ref, message.ref, message.topic, "error", reason_payload("too_many"));
    for (auto& f : after_join_reply_) send_frame(std::move(f));
    after_join_reply_.clear();
    return;
  }
  std::unique_ptr<Channel> channel;
  try {
    channel = (*factory)();
  } catch (const std::exception& e) {
    log().warn("channel factory for {} threw: {}", message.topic, e.what());
  }
  if (!channel) {
    reply(message.join_ref, message.ref, message.topic, "error", reason_payload("crashed"));
    for (auto& f : after_join_reply_) send_frame(std::move(f));
    after_join_reply_.clear();
    return;
  }
  proto::RawRef own = message.join_ref ? message.join_ref : message.ref;  // §7.2.5
  joining_ = std::make_shared<ChannelCore>(*this, message.topic, message.join_ref, std::move(own), std::move(channel));
  joining_->start_join(std::move(message.payload), std::move(message.ref));
}

void Socket::join_finished(const std::shared_ptr<ChannelCore>& core, const proto::RawRef& ref, bool crashed,
                           JoinResult result) {
  if (core != joining_) return;
  joining_.reset();
  const auto& topic = core->topic();
  if (crashed) {
    reply(core->table_join_ref(), ref, topic, "error", reason_payload("crashed"));
    core->discard();
  } else if (!result.accepted) {
    reply(core->table_join_ref(), ref, topic, "error", result.reply);
    core->discard();
  } else {
    channels_.push_back(core);
    reply(core->table_join_ref(), ref, topic, "ok", result.reply);
  }
  for (auto& f : after_join_reply_) send_frame(std::move(f));
  after_join_reply_.clear();
  if (!crashed && result.accepted) core->joined();
  drain_backlog();
}

void Socket::drain_backlog() {
  while (joining_ == nullptr && !closed_ && backlog_head_ < backlog_.size()) {
    proto::InboundMessage m = std::move(backlog_[backlog_head_++]);
    dispatch(std::move(m));
  }
  if (backlog_head_ == backlog_.size()) {
    backlog_.clear();
    backlog_.shrink_to_fit();
    backlog_head_ = 0;
  }
  if (joining_ == nullptr && !idle_waiters_.empty()) {
    auto waiters = std::move(idle_waiters_);
    idle_waiters_.clear();
    for (auto& w : waiters) w();
  }
}

bool Socket::handling() const noexcept {
  if (joining_ != nullptr || backlog_head_ < backlog_.size()) return true;
  for (const auto& core : channels_)
    if (core->handling()) return true;
  return false;
}

void Socket::when_idle(std::function<void()> fn) {
  if (joining_ == nullptr) {
    fn();
    return;
  }
  idle_waiters_.push_back(std::move(fn));
}

void Socket::on_closed() {
  if (context_->id) {
    pubsub().unsubscribe(*context_->id, this);
    context_->id.reset();
  }
  closed_ = true;
  auto channels = std::move(channels_);
  channels_.clear();
  for (auto& c : channels) c->detach("closed");
  if (joining_) {
    auto j = std::move(joining_);
    j->detach("closed");
  }
  backlog_.clear();
  idle_waiters_.clear();
}

void Socket::deliver(const pubsub::BroadcastPtr& broadcast) {
  // §7.9: only `disconnect` on the id topic matters; it closes the socket with 1001.
  if (broadcast->event() != "disconnect" || closed_) return;
  closed_ = true;
  outbound_.close(websocket::close_code::going_away);
}

void Socket::send_message(const proto::OutboundMessage& message) {
  auto encoded = proto::encode(context_->serializer, message);
  if (!encoded) {
    log().warn("socket: cannot encode frame for {}: {}", message.topic, encoded.error().message());
    return;
  }
  send_frame(std::move(*encoded));
}

void Socket::send_frame(proto::EncodedFrame frame) {
  auto& metrics = net::Loop::current()->metrics();
  metrics.messages_out.add();
  metrics.bytes_out.add(frame.bytes.size());
  outbound_.send(std::move(frame));
}

void Socket::send_broadcast(const pubsub::BroadcastPtr& broadcast) {
  const SharedBytes& bytes = outbound_.frame_form() == transport::FrameForm::websocket_framed
                                 ? broadcast->websocket_frame(context_->serializer)
                                 : broadcast->text_frame(context_->serializer);
  if (!bytes) return;  // this serializer/transport cannot carry it (binary on V1 or long-poll)
  auto& metrics = net::Loop::current()->metrics();
  metrics.messages_out.add();
  metrics.bytes_out.add(bytes->size());
  outbound_.send_shared(bytes);
}

void Socket::channel_ended(ChannelCore* core) {
  auto it = std::find_if(channels_.begin(), channels_.end(), [core](const auto& c) { return c.get() == core; });
  if (it != channels_.end()) channels_.erase(it);
}

void Socket::reply(const proto::RawRef& join_ref, const proto::RawRef& ref, std::string_view topic,
                   std::string_view status, const proto::Payload& response) {
  proto::OutboundMessage m{proto::OutboundKind::reply, join_ref, ref, topic, {}, status, &response};
  send_message(m);
}

std::shared_ptr<ChannelCore> Socket::find(std::string_view topic) const {
  for (const auto& c : channels_)
    if (c->topic() == topic) return c;
  return nullptr;
}

}  // namespace roost::channels
