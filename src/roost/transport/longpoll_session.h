// Role: LongPollSession, one long-poll client (protocol.md §9): the frames waiting for
// the next GET, the GET being held, the POST being dispatched line by line, and the
// inactivity clock. It is the Outbound of its channels::Socket.
// Thread affinity: the loop it was created on (named in its token); HTTP requests from
// other loops reach it through that loop's mailbox.
// Ownership: owned (shared_ptr) by its loop's LongPollRegistry; owns its SocketHandler.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "roost/proto/longpoll_body.h"
#include "roost/transport/loop_transport.h"
#include "roost/transport/peer_limiter.h"
#include "roost/transport/socket_handler.h"
#include "roost/transport/socket_options.h"

namespace roost::transport {

// Called once per GET, on the session's loop: 200 with frames, or 204 when the window ran out.
using PollResponder = std::function<void(int status, std::vector<SharedBytes> messages)>;
using PostResponder = std::function<void(int status)>;

class LongPollSession final : public Outbound, public std::enable_shared_from_this<LongPollSession> {
 public:
  using Clock = LoopTransport::Clock;

  LongPollSession(std::string token, const SocketOptions& options, proto::Serializer serializer);
  ~LongPollSession() override;

  void attach(std::unique_ptr<SocketHandler> handler) { handler_ = std::move(handler); }
  // Its place in a per-address count, given back when it is destroyed.
  void hold(PeerSlot slot) { slot_ = std::move(slot); }
  const std::string& token() const noexcept { return token_; }
  bool ended() const noexcept { return ended_; }

  void poll(PollResponder respond);
  void post(std::vector<proto::LongPollLine> lines, PostResponder respond);

  // Outbound
  proto::Serializer serializer() const noexcept override { return serializer_; }
  FrameForm frame_form() const noexcept override { return FrameForm::bare_text; }
  SendStatus send(proto::EncodedFrame frame) override;
  SendStatus send_shared(const SharedBytes& frame) override;
  void close(std::uint16_t code) override;  // ends the session (§7.9: the client finds out at its next request)

  // Window expiry of a held GET or a POST; true when the session should be dropped.
  bool sweep(Clock::time_point now);
  void end();

 private:
  SendStatus enqueue(SharedBytes frame);
  void answer_poll();
  void dispatch_lines();

  std::string token_;
  LoopMetrics& metrics_;  // its loop's; outlives the session even at process exit
  const SocketOptions& options_;
  proto::Serializer serializer_;
  std::unique_ptr<SocketHandler> handler_;
  PeerSlot slot_;
  std::vector<SharedBytes> outbox_;
  std::size_t outbox_bytes_ = 0;
  PollResponder waiter_;
  Clock::time_point waiter_deadline_{};
  Clock::time_point last_get_;
  std::vector<proto::LongPollLine> lines_;
  std::size_t next_line_ = 0;
  PostResponder post_waiter_;
  Clock::time_point post_deadline_{};
  bool answer_posted_ = false;
  bool ended_ = false;
};

}  // namespace roost::transport
