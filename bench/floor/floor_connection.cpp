#include "floor_connection.h"

#include <boost/asio/write.hpp>
#include <cctype>
#include <cstring>

#include "phx_frames.h"
#include "roost/websocket/frame_writer.h"
#include "roost/websocket/handshake.h"

namespace roost::bench::floor {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kReadChunk = 2048;
constexpr std::size_t kMaxHandshake = 16 * 1024;
constexpr std::size_t kMaxClientFrame = 1 << 20;
constexpr std::size_t kMaxGather = 64;
constexpr std::uint8_t kText = 1, kClose = 8, kPing = 9, kPong = 10;

// The value of header `name` (lower case, with the colon) in an HTTP head, trimmed.
std::string_view header(std::string_view head, std::string_view name) {
  for (std::size_t line = head.find("\r\n"); line != std::string_view::npos && line + 2 < head.size();) {
    line += 2;
    const auto eol = head.find("\r\n", line);
    std::string_view h = head.substr(line, eol - line);
    bool match = h.size() >= name.size();
    for (std::size_t i = 0; match && i < name.size(); ++i)
      match = std::tolower(static_cast<unsigned char>(h[i])) == name[i];
    if (match) {
      h.remove_prefix(name.size());
      while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
      while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.remove_suffix(1);
      return h;
    }
    line = eol;
  }
  return {};
}

// ["<join_ref>","<ref>","<topic>","phx_reply",{"status":"ok","response":{}}]
std::string ok_reply(const FrameHead& h) {
  std::string out = "[";
  auto quoted = [&out](std::string_view s) {
    if (s.data() == nullptr) {
      out += "null";
    } else {
      out += '"';
      out += s;
      out += '"';
    }
  };
  quoted(h.join_ref);
  out += ',';
  quoted(h.ref);
  out += ',';
  quoted(h.topic);
  out += R"(,"phx_reply",{"status":"ok","response":{}}])";
  return out;
}

}  // namespace

FloorConnection::FloorConnection(FloorServer& server, FloorLoop& loop, asio::ip::tcp::socket socket)
    : server_(server), loop_(loop), socket_(std::move(socket)) {}

void FloorConnection::start() {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  rbuf_.resize(kReadChunk);
  read();
}

void FloorConnection::read() {
  if (rlen_ == rbuf_.size()) rbuf_.resize(rbuf_.size() * 2);
  socket_.async_read_some(asio::buffer(rbuf_.data() + rlen_, rbuf_.size() - rlen_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            if (ec) return self->close();
                            self->on_read(n);
                          });
}

void FloorConnection::on_read(std::size_t n) {
  if (closed_) return;
  rlen_ += n;
  std::size_t consumed = 0;
  if (!upgraded_ && !handshake(consumed)) return close();
  if (upgraded_ && !frames(consumed)) return close();
  if (closed_) return;
  std::memmove(rbuf_.data(), rbuf_.data() + consumed, rlen_ - consumed);
  rlen_ -= consumed;
  read();
}

// False: a bad request, answered with 400 (the write keeps the connection until it is sent).
bool FloorConnection::handshake(std::size_t& consumed) {
  const std::string_view text(rbuf_.data(), rlen_);
  const auto end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) return rlen_ <= kMaxHandshake;
  const std::string_view head = text.substr(0, end + 2);
  const std::string_view key = header(head, "sec-websocket-key:");
  if (!head.starts_with("GET ") || !websocket::valid_client_key(key)) {
    send(std::make_shared<const std::string>("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    closing_ = true;
    consumed = rlen_;
    return true;
  }
  std::string answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
  answer += websocket::accept_key(key);
  answer += "\r\n\r\n";
  send(std::make_shared<const std::string>(std::move(answer)));
  upgraded_ = true;
  consumed = end + 4;
  return true;
}

// Client frames: masked, unfragmented (roost-bench never fragments). False on a protocol error.
bool FloorConnection::frames(std::size_t& consumed) {
  while (!closing_) {
    const std::size_t avail = rlen_ - consumed;
    if (avail < 2) return true;
    auto* p = reinterpret_cast<unsigned char*>(rbuf_.data() + consumed);
    if ((p[1] & 0x80) == 0 || (p[0] & 0x80) == 0) return false;  // unmasked or fragmented
    std::size_t len = p[1] & 0x7f, head = 2;
    if (len == 126) {
      head = 4;
      if (avail < head) return true;
      len = (std::size_t{p[2]} << 8) | p[3];
    } else if (len == 127) {
      head = 10;
      if (avail < head) return true;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | p[i];
    }
    if (len > kMaxClientFrame) return false;
    if (avail < head + 4 + len) return true;
    unsigned char* body = p + head + 4;
    for (std::size_t i = 0; i < len; ++i) body[i] ^= p[head + (i & 3)];
    const std::string_view payload(reinterpret_cast<const char*>(body), len);
    consumed += head + 4 + len;
    switch (p[0] & 0x0f) {
      case kText: on_text(payload); break;
      case kPing:
        send(std::make_shared<const std::string>(websocket::make_frame(websocket::Opcode::pong, payload)));
        break;
      case kClose:
        send(std::make_shared<const std::string>(
            websocket::make_frame(websocket::Opcode::close, payload.substr(0, std::min<std::size_t>(len, 2)))));
        closing_ = true;
        break;
      case kPong: break;
      default: return false;
    }
  }
  consumed = rlen_;  // after a close, the rest is not read
  return true;
}

void FloorConnection::on_text(std::string_view text) {
  FrameHead h;
  if (!scan_head(text, h)) return close();
  if (h.event == "phx_join") {
    if (topic_.empty() && !h.topic.empty()) {
      topic_ = std::string(h.topic);
      loop_.subscribe(topic_, this);
    }
    send_text(ok_reply(h));
  } else if (h.event == "heartbeat") {
    send_text(ok_reply(h));
  } else if (h.event == "shout" && !topic_.empty() && h.topic == topic_) {
    send_text(ok_reply(h));
    server_.publish(topic_, h.payload);
  }
}

void FloorConnection::send_text(std::string_view text) {
  send(std::make_shared<const std::string>(websocket::make_frame(websocket::Opcode::text, text)));
}

void FloorConnection::send(const Frame& frame) {
  if (closed_) return;
  queue_.push_back(frame);
  flush();
}

void FloorConnection::flush() {
  if (writing_ || queue_.empty() || closed_) return;
  in_flight_ = server_.batched() ? std::min(queue_.size(), kMaxGather) : 1;
  gather_.clear();
  for (std::size_t i = 0; i < in_flight_; ++i) gather_.emplace_back(asio::buffer(*queue_[i]));
  writing_ = true;
  asio::async_write(socket_, gather_, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    self->writing_ = false;
    if (ec) return self->close();
    for (std::size_t i = 0; i < self->in_flight_; ++i) self->queue_.pop_front();
    if (self->queue_.empty() && self->closing_) return self->close();
    self->flush();
  });
}

void FloorConnection::close() {
  if (closed_) return;
  closed_ = true;
  if (!topic_.empty()) loop_.unsubscribe(topic_, this);
  queue_.clear();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace roost::bench::floor
