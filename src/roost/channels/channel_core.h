// Role: ChannelCore, the machinery behind one joined channel (Phoenix's channel server):
// its state, its ordered inbox of client messages and infos, the coroutine runner that
// feeds them to the application's Channel one at a time, its topic subscription, and
// the frames it emits (replies, pushes, phx_close / phx_error).
// Thread affinity: the socket's loop only.
// Ownership: shared_ptr, held by the Socket's channel table and by a running handler;
// the Channel object is owned here. `socket_` is a back-pointer the Socket clears
// (detach) when it forgets the channel, so a handler finishing after the socket has
// closed writes nothing.
#pragma once

#include <any>
#include <boost/asio/cancellation_signal.hpp>
#include <memory>
#include <string>
#include <vector>

#include "roost/channels/channel.h"
#include "roost/presence/owner.h"
#include "roost/pubsub/pubsub.h"
#include "roost/pubsub/subscriber.h"

namespace roost::presence {
class Tracker;
}

namespace roost::channels {

class Socket;

class ChannelCore final : public pubsub::Subscriber, public std::enable_shared_from_this<ChannelCore> {
 public:
  enum class State : std::uint8_t { joining, joined, leaving, closed };

  ChannelCore(Socket& socket, std::string topic, proto::RawRef table_join_ref, proto::RawRef own_join_ref,
              std::unique_ptr<Channel> channel);
  ~ChannelCore() override;

  const std::string& topic() const noexcept { return topic_; }
  const proto::RawRef& table_join_ref() const noexcept { return table_join_ref_; }
  const proto::RawRef& own_join_ref() const noexcept { return own_join_ref_; }
  State state() const noexcept { return state_; }
  // A handler is running, or messages wait for one.
  bool handling() const noexcept { return running_ || inbox_head_ < inbox_.size(); }
  Socket* socket() const noexcept { return socket_; }
  SocketContext& context() const noexcept { return *context_; }
  boost::asio::any_io_executor executor() const noexcept { return executor_; }

  // Socket → channel.
  void start_join(proto::Payload payload, proto::RawRef ref);
  void joined();  // the join reply has been sent: subscribe, flush held pushes
  void enqueue_in(std::string event, proto::Payload payload, proto::RawRef ref);
  void enqueue_leave(proto::RawRef ref);
  bool enqueue_info(std::any message);
  pubsub::PubSub& pubsub() const noexcept { return *pubsub_; }
  // SocketLimits::max_broadcast_bytes of the socket that joined this channel.
  std::size_t max_broadcast_bytes() const noexcept { return max_broadcast_bytes_; }
  // The node's tracker; throws std::logic_error when the endpoint runs without one.
  presence::Tracker& tracker() const;
  // This channel's identity in the tracker, made on first use; its entries leave with it.
  const presence::Owner& presence_owner();
  // The socket forgets this channel (socket closed, duplicate join): terminate, no frame.
  void detach(std::string_view reason);
  // A join that was refused or crashed: the channel never lived, so (as in Phoenix) its
  // terminate is not called.
  void discard();

  // Channel → client.
  void push(std::string_view event, proto::Payload payload);
  void reply(const proto::RawRef& ref, std::string_view status, const proto::Payload& payload);
  const proto::RawRef& current_ref() const noexcept { return current_ref_; }

  void deliver(const pubsub::BroadcastPtr& broadcast) override;

 private:
  struct Item {
    enum class Kind : std::uint8_t { in, leave, info } kind;
    std::string event;
    proto::Payload payload;
    proto::RawRef ref;
    std::any info;
  };

  Task<void> join_task(proto::Payload payload, proto::RawRef ref);
  void start_runner();
  Task<void> runner();
  Task<bool> process(Item item);  // false once the channel has ended
  // The channel ends by itself: phx_close (graceful) or phx_error (crash).
  void finish(std::string_view reason, bool crashed);
  void unsubscribe();
  void call_terminate(std::string_view reason);
  void send(const proto::OutboundMessage& message);
  void release_presences();

  Socket* socket_;
  pubsub::PubSub* pubsub_;
  presence::Tracker* tracker_;
  std::size_t max_broadcast_bytes_;
  std::optional<presence::Owner> presence_owner_;
  std::shared_ptr<SocketContext> context_;
  boost::asio::any_io_executor executor_;
  std::string topic_;
  proto::RawRef table_join_ref_;  // as the join carried it (may be null)
  proto::RawRef own_join_ref_;    // join_ref, or the join's ref: what the channel sends with
  std::unique_ptr<Channel> channel_;
  State state_ = State::joining;
  bool subscribed_ = false;
  bool running_ = false;
  bool terminated_ = false;
  proto::RawRef current_ref_;
  std::vector<Item> inbox_;                       // FIFO: consumed from inbox_head_
  std::size_t inbox_head_ = 0;
  std::vector<proto::EncodedFrame> held_;         // pushes made before the join reply
  boost::asio::cancellation_signal cancel_;
};

}  // namespace roost::channels
