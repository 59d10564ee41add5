#include "roost/transport/ws_connection.h"

#include <array>
#include <boost/asio/post.hpp>

#include "roost/core/log.h"
#include "roost/websocket/close_code.h"
#include "roost/websocket/frame_writer.h"

namespace roost::transport {

namespace asio = boost::asio;

namespace {
// Linger after our close frame for the peer's answer before dropping the TCP connection.
constexpr auto kCloseLinger = std::chrono::seconds(2);
// Frames per gathered write: bounds the iovec array on the stack (IOV_MAX is 1024).
constexpr std::size_t kMaxIov = 64;
// Reads per readiness event: one fast sender cannot starve the rest of the loop.
constexpr int kMaxReadsPerWake = 4;
}  // namespace

WsConnection::WsConnection(tcp::socket socket, const SocketOptions& options, proto::Serializer serializer)
    : socket_(std::move(socket)),
      metrics_(LoopTransport::current().loop().metrics()),
      options_(options),
      parser_(options.max_frame_size),
      last_read_(LoopTransport::current().now()),
      serializer_(serializer) {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(tcp::no_delay(true), ec);
  LoopTransport::current().add(*this);
  metrics_.connections.add();
  metrics_.connections_total.add();
}

WsConnection::~WsConnection() { metrics_.connections.sub(); }

void WsConnection::start(std::string handshake_response, std::string leftover) {
  enqueue(make_shared_bytes(std::move(handshake_response)), true);
  if (!leftover.empty()) {
    last_read_ = LoopTransport::current().now();
    if (auto err = parser_.feed(std::span<char>(leftover.data(), leftover.size()), *this)) {
      close(err->close_code);
      return;
    }
  }
  arm_read();
}

void WsConnection::reject(std::string http_response) {
  closing_ = true;
  close_deadline_ = LoopTransport::current().now() + kCloseLinger;
  enqueue(make_shared_bytes(std::move(http_response)), true);
  arm_read();  // notices the peer's EOF; the sweep drops it after the linger otherwise
}

SendStatus WsConnection::send(proto::EncodedFrame frame) {
  if (closing_) return SendStatus::dropped;
  auto op = frame.binary ? websocket::Opcode::binary : websocket::Opcode::text;
  return enqueue(make_shared_bytes(websocket::make_frame(op, frame.bytes)));
}

SendStatus WsConnection::send_shared(const SharedBytes& frame) {
  if (closing_) return SendStatus::dropped;
  return enqueue(frame);
}

SendStatus WsConnection::enqueue(SharedBytes bytes, bool control) {
  queued_bytes_ += bytes->size();
  queue_.push_back(std::move(bytes));
  if (!control) {
    const auto& budget = options_.budget;
    if (queued_bytes_ > budget.hard_bytes) {
      abort("outbound hard limit exceeded");
      return SendStatus::overflow;
    }
    if (queued_bytes_ > budget.soft_bytes && soft_since_ == LoopTransport::Clock::time_point{})
      soft_since_ = LoopTransport::current().now();
  }
  if (!writing_ && !flush_pending_) {
    flush_pending_ = true;
    LoopTransport::current().schedule_flush(shared_from_this());
  }
  return SendStatus::sent;
}

void WsConnection::flush() {
  flush_pending_ = false;
  if (finished_ || writing_) return;
  // A reply just queued may be the last one a drain waits for.
  if (drain_code_ != 0) close_if_drained(LoopTransport::current().now());
  while (head_ < queue_.size()) {
    std::array<asio::const_buffer, kMaxIov> bufs;
    std::size_t n = 0;
    for (std::size_t i = head_; i < queue_.size() && n < kMaxIov; ++i, ++n) {
      const std::string& b = *queue_[i];
      std::size_t skip = i == head_ ? front_offset_ : 0;
      bufs[n] = asio::const_buffer(b.data() + skip, b.size() - skip);
    }
    boost::system::error_code ec;
    std::size_t written = socket_.write_some(std::span<const asio::const_buffer>(bufs.data(), n), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      writing_ = true;
      socket_.async_wait(tcp::socket::wait_write,
                         [self = shared_from_this()](const boost::system::error_code& e) { self->on_writable(e); });
      return;
    }
    if (ec) {
      finish();
      return;
    }
    queued_bytes_ -= written;
    while (written > 0) {
      std::size_t left = queue_[head_]->size() - front_offset_;
      if (written >= left) {
        written -= left;
        front_offset_ = 0;
        queue_[head_++].reset();
      } else {
        front_offset_ += written;
        written = 0;
      }
    }
  }
  // Everything is out: release the queue so an idle connection holds nothing.
  queue_.clear();
  if (queue_.capacity() > 16) queue_.shrink_to_fit();
  head_ = 0;
  if (queued_bytes_ <= options_.budget.soft_bytes) soft_since_ = {};
  if (closing_) {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
  }
}

void WsConnection::on_writable(const boost::system::error_code& ec) {
  writing_ = false;
  if (ec || finished_) {
    finish();
    return;
  }
  flush();
}

void WsConnection::arm_read() {
  if (finished_) return;
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void WsConnection::on_readable(const boost::system::error_code& ec) {
  if (finished_) return;
  if (drain_code_ != 0 && !closing_ && !ec) {
    // Read again when the close goes out. No Asio operation holds the connection while its
    // read is parked, so it holds itself until then.
    parked_self_ = shared_from_this();
    return;
  }
  if (ec) {
    finish();
    return;
  }
  auto& lt = LoopTransport::current();
  std::span<char> scratch = lt.scratch();
  for (int i = 0; i < kMaxReadsPerWake; ++i) {
    boost::system::error_code rec;
    std::size_t n = socket_.read_some(asio::buffer(scratch.data(), scratch.size()), rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) {  // EOF or reset: the peer is gone
      finish();
      return;
    }
    last_read_ = lt.now();
    // After a protocol error the rest of the input is read and dropped until the peer
    // answers our close: closing a socket with unread input would reset the connection
    // and the client would never see the close code.
    if (parser_failed_) continue;
    if (auto err = parser_.feed(scratch.first(n), *this)) {
      parser_failed_ = true;
      if (!closing_) {
        lt.loop().metrics().protocol_errors.add();
        close(err->close_code);
      }
    }
    if (finished_) return;
    if (n < scratch.size()) break;
  }
  if (parser_.idle()) parser_.shrink();
  arm_read();
}

void WsConnection::on_message(websocket::Opcode op, std::string_view data) {
  if (closing_ || !handler_) return;
  handler_->on_frame(data, op == websocket::Opcode::binary);
}

void WsConnection::on_ping(std::string_view data) {
  if (closing_) return;
  enqueue(make_shared_bytes(websocket::make_frame(websocket::Opcode::pong, data)), true);
}

void WsConnection::on_pong(std::string_view) {}

void WsConnection::on_close(std::uint16_t code, std::string_view) {
  if (closing_) {  // the answer to our close: done
    finish();
    return;
  }
  // Echo the peer's close (RFC 6455 §5.5.1), then drop the connection once it is out.
  closing_ = true;
  close_deadline_ = LoopTransport::current().now() + kCloseLinger;
  std::string frame = code == websocket::close_code::no_status
                          ? websocket::make_frame(websocket::Opcode::close, {})
                          : websocket::make_close_frame(code);
  enqueue(make_shared_bytes(std::move(frame)), true);
}

void WsConnection::close(std::uint16_t code) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_deadline_ = LoopTransport::current().now() + kCloseLinger;
  enqueue(make_shared_bytes(websocket::make_close_frame(code)), true);
  if (parked_self_) {  // the peer's answer to the close must be read
    arm_read();
    parked_self_.reset();
  }
}

void WsConnection::drain(std::uint16_t code_with_channels, std::uint16_t code_without,
                         LoopTransport::Clock::time_point deadline) {
  if (!handler_ || !handler_->has_channels()) {
    close(code_without);
    return;
  }
  // A push whose reply waits for a save: the reply goes out first, then the close. Nothing
  // more is read meanwhile, so only messages already received are waited for.
  drain_code_ = code_with_channels;
  drain_deadline_ = deadline;
  close_if_drained(LoopTransport::Clock::now());
}

void WsConnection::close_if_drained(LoopTransport::Clock::time_point now) {
  if (closing_) return;
  if (!handler_ || !handler_->handling() || now >= drain_deadline_) close(drain_code_);
}

void WsConnection::abort(const char* why) {
  if (finished_) return;
  auto& lt = LoopTransport::current();
  lt.loop().metrics().slow_consumer_drops.add();
  boost::system::error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  log().warn("disconnecting slow consumer {}:{}: {} ({} bytes queued)", peer.address().to_string(), peer.port(), why,
             queued_bytes_);
  finish();
}

void WsConnection::sweep(LoopTransport::Clock::time_point now) {
  if (finished_) return;
  if (drain_code_ != 0) close_if_drained(now);
  if (closing_) {
    if (now >= close_deadline_) finish();
    return;
  }
  if (now - last_read_ > options_.idle_timeout) {
    // Not 1000: clients 1.6.4–1.8.15 would not reconnect after it (protocol.md §8.1).
    close(websocket::close_code::going_away);
    return;
  }
  if (soft_since_ != LoopTransport::Clock::time_point{} && now - soft_since_ > options_.budget.soft_seconds)
    abort("outbound soft limit held too long");
}

void WsConnection::finish() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
  unlink();
  for (auto& b : queue_) b.reset();
  queue_.clear();
  queue_.shrink_to_fit();
  queued_bytes_ = 0;
  // The handler may be in the middle of a call into us: tell it from a fresh stack.
  asio::post(LoopTransport::current().loop().io(), [self = shared_from_this()] {
    if (self->handler_) {
      self->handler_->on_closed();
      self->handler_.reset();
    }
  });
  parked_self_.reset();  // the posted task above keeps the connection alive meanwhile
}

}  // namespace roost::transport
