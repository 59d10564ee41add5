#include "ws_client.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstring>

#include "clock.h"
#include "roost/websocket/handshake.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace roost::bench {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::size_t kInitialReadBuffer = 4096;
constexpr std::size_t kMaxHandshake = 16 * 1024;
constexpr std::uint8_t kText = 1, kClose = 8, kPing = 9, kPong = 10;

const std::string& expected_accept() {
  static const std::string accept = roost::websocket::accept_key(kKey);
  return accept;
}

bool iequals_prefix(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_prefix[i]) return false;
  return true;
}

}  // namespace

const char* failure_name(Failure f) {
  switch (f) {
    case Failure::none: return "none";
    case Failure::connect: return "connect";
    case Failure::handshake: return "handshake";
    case Failure::protocol: return "protocol";
    case Failure::server_close: return "server_close";
    case Failure::io: return "io";
  }
  return "?";
}

UpgradeTarget UpgradeTarget::make(const asio::ip::tcp::endpoint& ep, std::string_view host_header,
                                  std::string_view path, std::string_view query) {
  UpgradeTarget t;
  t.endpoint = ep;
  t.request = "GET ";
  t.request += path;
  t.request += path.find('?') == std::string_view::npos ? '?' : '&';
  t.request += query;
  t.request += " HTTP/1.1\r\nHost: ";
  t.request += host_header;
  t.request += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ";
  t.request += kKey;
  t.request += "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  return t;
}

WsClient::WsClient(asio::io_context& io, Listener& listener, std::uint32_t id)
    : socket_(io), listener_(listener), id_(id), mask_state_(id * 2654435761u + 1) {}

void WsClient::start(const UpgradeTarget& target, const asio::ip::address_v4* source) {
  state_ = State::connecting;
  boost::system::error_code ec;
  socket_.open(asio::ip::tcp::v4(), ec);
  // Before connecting, so the window the handshake announces already reflects it.
  if (!ec && receive_buffer_ > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer_), ec);
  if (!ec && source) {
    // Let connect() pick the port per 4-tuple, so each source address gets a full range.
    int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket_.bind(asio::ip::tcp::endpoint(*source, 0), ec);
  }
  if (ec) {
    asio::post(socket_.get_executor(), [this] { finish(Failure::connect); });
    return;
  }
  socket_.async_connect(target.endpoint, [this, &target](const boost::system::error_code& cec) {
    if (cec) return finish(Failure::connect);
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    state_ = State::handshaking;
    asio::async_write(socket_, asio::buffer(target.request),
                      [this](const boost::system::error_code& wec, std::size_t) {
                        if (wec) return finish(Failure::handshake);
                        rbuf_.resize(kInitialReadBuffer);
                        read();
                      });
  });
}

void WsClient::read() {
  if (paused_) return;
  read_pending_ = true;
  if (rlen_ == rbuf_.size()) rbuf_.resize(rbuf_.size() * 2);
  socket_.async_read_some(asio::buffer(rbuf_.data() + rlen_, rbuf_.size() - rlen_),
                          [this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); });
}

bool WsClient::parse_handshake(std::size_t& pos) {
  const std::string_view text(rbuf_.data(), rlen_);
  const auto end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) return rlen_ <= kMaxHandshake;  // keep reading
  const std::string_view head = text.substr(0, end + 2);
  bool accepted = false;
  if (head.rfind("HTTP/1.1 101", 0) == 0) {
    std::size_t line = head.find("\r\n") + 2;
    while (line < head.size()) {
      const auto eol = head.find("\r\n", line);
      std::string_view h = head.substr(line, eol - line);
      if (iequals_prefix(h, "sec-websocket-accept:")) {
        h.remove_prefix(21);
        while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
        while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
        accepted = h == expected_accept();
      }
      line = eol + 2;
    }
  }
  if (!accepted) return false;
  pos = end + 4;
  state_ = State::open;
  opened_ = true;
  listener_.on_open(*this);
  return true;
}

void WsClient::resume_reading() {
  paused_ = false;
  if (!read_pending_ && (state_ == State::open || state_ == State::closing)) read();
}

void WsClient::on_read(const boost::system::error_code& ec, std::size_t n) {
  read_pending_ = false;
  if (state_ == State::closed) return;
  if (ec) {
    if (state_ == State::handshaking) return finish(Failure::handshake);
    return finish(state_ == State::closing ? Failure::none : Failure::io);
  }
  rlen_ += n;
  const std::int64_t now = mono_ns();
  std::size_t pos = 0;
  if (state_ == State::handshaking) {
    if (!parse_handshake(pos)) return finish(Failure::handshake);
    if (state_ == State::handshaking) return read();
  }
  std::size_t needed = 0;
  while (state_ == State::open || state_ == State::closing) {
    const std::size_t avail = rlen_ - pos;
    if (avail < 2) break;
    const auto* p = reinterpret_cast<const unsigned char*>(rbuf_.data() + pos);
    if ((p[1] & 0x80) != 0 || (p[0] & 0x70) != 0) return finish(Failure::protocol);  // masked / RSV
    std::uint64_t len = p[1] & 0x7f;
    std::size_t header = 2;
    if (len == 126) {
      header = 4;
      if (avail < header) break;
      len = (std::uint64_t{p[2]} << 8) | p[3];
    } else if (len == 127) {
      header = 10;
      if (avail < header) break;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | p[i];
    }
    if (len > (64u << 20)) return finish(Failure::protocol);
    if (avail < header + len) {
      needed = header + static_cast<std::size_t>(len);
      break;
    }
    const std::string_view payload(rbuf_.data() + pos + header, static_cast<std::size_t>(len));
    pos += header + static_cast<std::size_t>(len);
    const std::uint8_t op = p[0] & 0x0f;
    const bool fin = (p[0] & 0x80) != 0;
    if (!fin) return finish(Failure::protocol);  // the server never fragments its frames
    if (op == kText) {
      if (state_ == State::open) listener_.on_text(*this, payload, now);
    } else if (op == kPing) {
      ++pings_;
      send_frame(kPong, payload);
    } else if (op == kClose) {
      if (state_ == State::closing) {
        boost::system::error_code ignored;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        return finish(Failure::none);
      }
      // Echo the status code, then drop the connection once the echo is written.
      send_frame(kClose, payload.substr(0, std::min<std::size_t>(payload.size(), 2)));
      close_after_write_ = true;
      state_ = State::closing;
      listener_.on_closed(*this, Failure::server_close);
      state_ = State::closed;
      if (!writing_) {
        boost::system::error_code ignored;
        socket_.close(ignored);
      }
      return;
    } else if (op != kPong && op != 2) {
      return finish(Failure::protocol);
    }
  }
  if (state_ == State::closed) return;
  std::memmove(rbuf_.data(), rbuf_.data() + pos, rlen_ - pos);
  rlen_ -= pos;
  if (needed > rbuf_.size()) rbuf_.resize(needed);
  read();
}

void WsClient::send_text(std::string_view payload) {
  if (state_ == State::open) send_frame(kText, payload);
}

void WsClient::close() {
  if (state_ != State::open) return;
  static constexpr char kNormal[2] = {0x03, static_cast<char>(0xE8)};  // 1000
  send_frame(kClose, std::string_view(kNormal, 2));
  state_ = State::closing;
}

void WsClient::abort() {
  if (state_ == State::closed || state_ == State::idle) return;
  finish(Failure::none);
}

void WsClient::send_frame(std::uint8_t opcode, std::string_view payload) {
  const std::size_t n = payload.size();
  const std::size_t at = wbuf_.size();
  const std::size_t header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
  wbuf_.resize(at + header + 4 + n);
  auto* out = reinterpret_cast<unsigned char*>(wbuf_.data() + at);
  out[0] = static_cast<unsigned char>(0x80 | opcode);
  if (n < 126) {
    out[1] = static_cast<unsigned char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    out[1] = 0x80 | 126;
    out[2] = static_cast<unsigned char>(n >> 8);
    out[3] = static_cast<unsigned char>(n);
  } else {
    out[1] = 0x80 | 127;
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>(std::uint64_t{n} >> (56 - 8 * i));
  }
  // xorshift32: a cheap, varying masking key (RFC 6455 §5.3).
  mask_state_ ^= mask_state_ << 13;
  mask_state_ ^= mask_state_ >> 17;
  mask_state_ ^= mask_state_ << 5;
  unsigned char key[4];
  std::memcpy(key, &mask_state_, 4);
  std::memcpy(out + header, key, 4);
  unsigned char* body = out + header + 4;
  for (std::size_t i = 0; i < n; ++i) body[i] = static_cast<unsigned char>(payload[i]) ^ key[i & 3];
  flush();
}

void WsClient::flush() {
  if (writing_ || wbuf_.empty()) return;
  wflight_.swap(wbuf_);
  writing_ = true;
  asio::async_write(socket_, asio::buffer(wflight_), [this](const boost::system::error_code& ec, std::size_t) {
    writing_ = false;
    wflight_.clear();
    if (close_after_write_ && state_ == State::closed) {
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    if (state_ == State::closed) return;
    if (ec) return finish(state_ == State::closing ? Failure::none : Failure::io);
    flush();
  });
}

void WsClient::finish(Failure why) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  boost::system::error_code ignored;
  socket_.close(ignored);
  wbuf_.clear();
  listener_.on_closed(*this, why);
}

}  // namespace roost::bench
