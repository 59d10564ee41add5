#include "roost/transport/longpoll_session.h"

#include "roost/transport/longpoll_registry.h"

#include <boost/asio/post.hpp>

namespace roost::transport {

LongPollSession::LongPollSession(std::string token, const SocketOptions& options, proto::Serializer serializer)
    : token_(std::move(token)),
      metrics_(LoopTransport::current().loop().metrics()),
      options_(options), serializer_(serializer), last_get_(Clock::now()) {
  metrics_.longpoll_sessions.add();
  metrics_.connections.add();
  metrics_.connections_total.add();
}

LongPollSession::~LongPollSession() {
  metrics_.longpoll_sessions.sub();
  metrics_.connections.sub();
}

void LongPollSession::poll(PollResponder respond) {
  last_get_ = Clock::now();
  if (waiter_) waiter_(204, {});  // only the newest GET is notified (§9.3)
  waiter_ = std::move(respond);
  waiter_deadline_ = last_get_ + options_.longpoll_window;
  if (!outbox_.empty()) answer_poll();
}

void LongPollSession::answer_poll() {
  // Answer at the end of this loop turn, so frames produced together go in one answer.
  if (answer_posted_) return;
  answer_posted_ = true;
  boost::asio::post(LoopTransport::current().loop().io(), [self = shared_from_this()] {
    self->answer_posted_ = false;
    if (!self->waiter_ || self->outbox_.empty()) return;
    auto respond = std::move(self->waiter_);
    self->waiter_ = nullptr;
    auto frames = std::move(self->outbox_);
    self->outbox_.clear();
    self->outbox_bytes_ = 0;
    respond(200, std::move(frames));
  });
}

SendStatus LongPollSession::enqueue(SharedBytes frame) {
  if (ended_) return SendStatus::dropped;
  outbox_bytes_ += frame->size();
  outbox_.push_back(std::move(frame));
  if (outbox_bytes_ > options_.budget.hard_bytes) {
    metrics_.slow_consumer_drops.add();
    end();
    return SendStatus::overflow;
  }
  if (waiter_) answer_poll();
  return SendStatus::sent;
}

SendStatus LongPollSession::send(proto::EncodedFrame frame) {
  // A JSON poll answer cannot carry binary frames (protocol.md §5.5): drop them.
  if (frame.binary) return SendStatus::dropped;
  return enqueue(make_shared_bytes(std::move(frame.bytes)));
}

SendStatus LongPollSession::send_shared(const SharedBytes& frame) { return enqueue(frame); }

void LongPollSession::close(std::uint16_t) { end(); }

void LongPollSession::post(std::vector<proto::LongPollLine> lines, PostResponder respond) {
  if (post_waiter_) post_waiter_(408);  // a client sends one POST at a time; a stale one loses
  lines_ = std::move(lines);
  next_line_ = 0;
  post_waiter_ = std::move(respond);
  post_deadline_ = Clock::now() + options_.longpoll_window;
  dispatch_lines();
}

void LongPollSession::dispatch_lines() {
  // Lines go to the socket one at a time; a line that starts a join holds the rest
  // until the join has finished (§9.4: a POST carrying a join returns after it).
  while (post_waiter_ && !ended_) {
    if (handler_->busy()) {
      handler_->when_idle([weak = weak_from_this()] {
        if (auto self = weak.lock()) self->dispatch_lines();
      });
      return;
    }
    if (next_line_ >= lines_.size()) {
      lines_.clear();
      auto respond = std::move(post_waiter_);
      post_waiter_ = nullptr;
      respond(200);
      return;
    }
    const auto& line = lines_[next_line_++];
    handler_->on_frame(line.bytes, line.binary);
  }
}

bool LongPollSession::sweep(Clock::time_point now) {
  if (ended_) return true;
  if (post_waiter_ && now >= post_deadline_) {
    lines_.clear();  // §9.4: the remaining lines are not dispatched
    auto respond = std::move(post_waiter_);
    post_waiter_ = nullptr;
    respond(408);
  }
  if (waiter_ && now >= waiter_deadline_) {
    auto respond = std::move(waiter_);
    waiter_ = nullptr;
    respond(204, {});
  }
  // §9.5: the session ends when no GET has started for 1.5 windows.
  if (!waiter_ && now - last_get_ > options_.longpoll_window * 3 / 2) {
    end();
    return true;
  }
  return false;
}

void LongPollSession::end() {
  if (ended_) return;
  ended_ = true;
  if (waiter_) {
    auto respond = std::move(waiter_);
    waiter_ = nullptr;
    respond(204, {});
  }
  if (post_waiter_) {
    auto respond = std::move(post_waiter_);
    post_waiter_ = nullptr;
    respond(410);
  }
  outbox_.clear();
  boost::asio::post(LoopTransport::current().loop().io(), [self = shared_from_this()] {
    if (self->handler_) {
      self->handler_->on_closed();
      self->handler_.reset();
    }
    LoopTransport::current().longpoll().remove(self->token_);
  });
}

}  // namespace roost::transport
