// Role: WsConnection, one client WebSocket on a raw Asio TCP socket, framed by
// roost::websocket. It reads only when the kernel says data is there (no read buffer
// while idle: bytes go through the loop's scratch buffer into the frame parser), and
// writes every queued frame of a loop turn in one gathered write straight from the
// shared, pre-framed buffers. It enforces the outbound byte budget and the idle timeout.
// Thread affinity: its loop only.
// Ownership: shared_ptr, kept alive by its pending Asio operations and the flush list;
// owns its SocketHandler (the channels::Socket), which it tells on_closed() once, from a
// posted task, before destroying it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "roost/core/metrics.h"
#include "roost/transport/loop_transport.h"
#include "roost/transport/peer_limiter.h"
#include "roost/transport/socket_handler.h"
#include "roost/transport/socket_options.h"
#include "roost/websocket/frame_parser.h"

namespace roost::transport {

class WsConnection final : public Outbound,
                           public websocket::FrameSink,
                           public SweptConnection,
                           public std::enable_shared_from_this<WsConnection> {
 public:
  using tcp = boost::asio::ip::tcp;

  WsConnection(tcp::socket socket, const SocketOptions& options, proto::Serializer serializer);
  ~WsConnection() override;

  void attach(std::unique_ptr<SocketHandler> handler) { handler_ = std::move(handler); }
  // Its place in a per-address count, given back when it is destroyed.
  void hold(PeerSlot slot) { slot_ = std::move(slot); }
  // Queues the 101 response, feeds bytes the HTTP parser read past the request, and
  // starts reading.
  void start(std::string handshake_response, std::string leftover);
  // Refused after the socket was taken over: writes a raw HTTP answer and closes.
  void reject(std::string http_response);

  // Outbound
  proto::Serializer serializer() const noexcept override { return serializer_; }
  FrameForm frame_form() const noexcept override { return FrameForm::websocket_framed; }
  SendStatus send(proto::EncodedFrame frame) override;
  SendStatus send_shared(const SharedBytes& frame) override;
  void close(std::uint16_t code) override;

  // FrameSink
  void on_message(websocket::Opcode op, std::string_view data) override;
  void on_ping(std::string_view data) override;
  void on_pong(std::string_view data) override;
  void on_close(std::uint16_t code, std::string_view reason) override;

  // LoopTransport
  void sweep(LoopTransport::Clock::time_point now) override;
  void drain(std::uint16_t code_with_channels, std::uint16_t code_without,
             LoopTransport::Clock::time_point deadline) override;
  void flush();

 private:
  SendStatus enqueue(SharedBytes bytes, bool control = false);
  void arm_read();
  void on_readable(const boost::system::error_code& ec);
  void on_writable(const boost::system::error_code& ec);
  void abort(const char* why);
  void finish();  // closes the socket and tells the handler, once
  // While draining (drain_code_ set): closes once the handler is done or the deadline passed.
  void close_if_drained(LoopTransport::Clock::time_point now);

  tcp::socket socket_;
  LoopMetrics& metrics_;  // its loop's; outlives the connection even at process exit
  const SocketOptions& options_;
  websocket::FrameParser parser_;
  std::unique_ptr<SocketHandler> handler_;
  PeerSlot slot_;
  std::vector<SharedBytes> queue_;      // unsent frames, consumed from head_
  std::size_t head_ = 0;
  std::size_t front_offset_ = 0;        // bytes of queue_[head_] already written
  std::size_t queued_bytes_ = 0;
  LoopTransport::Clock::time_point last_read_;
  LoopTransport::Clock::time_point soft_since_{};
  LoopTransport::Clock::time_point close_deadline_{};
  proto::Serializer serializer_;
  bool writing_ = false;      // waiting for the socket to become writable
  bool flush_pending_ = false;
  bool closing_ = false;      // close frame queued: no more frames
  bool finished_ = false;
  bool parser_failed_ = false;  // input is now drained, not parsed
  // Server drain while a message is being handled: read nothing more, close with
  // drain_code_ once the handler is done (checked at each flush and sweep).
  std::uint16_t drain_code_ = 0;
  LoopTransport::Clock::time_point drain_deadline_{};
  std::shared_ptr<WsConnection> parked_self_;  // set while a readable socket is left unread
};

}  // namespace roost::transport
