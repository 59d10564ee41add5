// Role: the fanout publisher: one connection (in the run's protocol) joined to the topic that sends `shout` with
// payload {"t":<send time ns>,"pad":"..."} at a fixed rate, paced by a timer on absolute
// deadlines (when it falls behind it catches up in a burst, so the achieved rate shows lost
// ground). It also counts the replies to its shouts and its own copies of the broadcast.
// Thread affinity: the thread running the io_context. Ownership: owns its connection; must be
// destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "wire_protocol.h"
#include "ws_client.h"

namespace roost::bench {

struct PublishStats {
  std::uint64_t sent = 0;       // in the current run
  std::uint64_t sent_in = 0;    // stamped inside the measurement window
  std::uint64_t max_burst = 0;  // most shouts sent in one timer tick (1 = never behind)
  std::uint64_t acks_ok = 0, acks_error = 0;  // cumulative
  std::uint64_t self_deliveries = 0;          // cumulative
};

class Publisher final : public WsClient::Listener {
 public:
  Publisher(boost::asio::io_context& io, const UpgradeTarget& target, ProtocolKind protocol, std::string topic,
            std::size_t payload_bytes);

  void start(const boost::asio::ip::address_v4* source);
  bool joined() const noexcept { return joined_; }
  bool failed() const noexcept { return failure_ != Failure::none || refused_; }
  std::string failure_text() const;

  // Publishes `rate` shouts per second from start_ns until end_ns, counting those stamped in
  // [window_start, window_end).
  void run(double rate, std::int64_t start_ns, std::int64_t end_ns, std::int64_t window_start,
           std::int64_t window_end);
  bool running() const noexcept { return running_; }
  const PublishStats& stats() const noexcept { return stats_; }
  void close() { client_.close(); }

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  void tick();
  void arm(std::int64_t at_ns);

  WsClient client_;
  const UpgradeTarget& target_;
  std::unique_ptr<WireProtocol> wire_;
  std::string topic_;
  std::string pad_;
  boost::asio::steady_timer timer_;
  bool joined_ = false, refused_ = false, running_ = false;
  Failure failure_ = Failure::none;
  std::uint64_t ref_ = 1;
  double rate_ = 0;
  std::int64_t start_ = 0, end_ = 0, window_start_ = 0, window_end_ = 0;
  PublishStats stats_;
};

}  // namespace roost::bench
