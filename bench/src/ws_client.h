// Role: one client WebSocket connection over a raw Asio TCP socket: optional bind to a source
// address, connect, the HTTP upgrade, masked client frames out, unmasked server frames in.
// Server pings are answered with pongs; a server close frame is echoed and reported. Text
// messages are handed to the listener as views into the read buffer, valid only during the
// callback; the receive time passed along is taken once per socket read.
// Thread affinity: the single thread running its io_context. Ownership: owned by a Fleet or
// the Publisher, which keeps it (and the UpgradeRequest) alive while the io_context can still
// run its handlers; the connection owns its socket and its read/write buffers.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roost::bench {

enum class Failure { none, connect, handshake, protocol, server_close, io };
const char* failure_name(Failure f);

// The target and the upgrade request, built once and shared by every connection.
struct UpgradeTarget {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string request;
  // GET <path>?<query> (or <path>&<query> when the path has a query already).
  static UpgradeTarget make(const boost::asio::ip::tcp::endpoint& ep, std::string_view host_header,
                            std::string_view path, std::string_view query);
};

class WsClient {
 public:
  class Listener {
   public:
    virtual void on_open(WsClient& c) = 0;
    virtual void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) = 0;
    // Called exactly once per started connection; Failure::none after a close we asked for.
    virtual void on_closed(WsClient& c, Failure why) = 0;

   protected:
    ~Listener() = default;
  };

  WsClient(boost::asio::io_context& io, Listener& listener, std::uint32_t id);
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  void start(const UpgradeTarget& target, const boost::asio::ip::address_v4* source);
  void send_text(std::string_view payload);
  // Starts the closing handshake (code 1000); on_closed(none) follows the server's answer.
  void close();
  // Drops the TCP connection without a closing handshake.
  void abort();

  // The socket's receive buffer (SO_RCVBUF), set before connecting; 0 = the kernel's default.
  void set_receive_buffer(int bytes) noexcept { receive_buffer_ = bytes; }
  // Stops reading (a client that no longer drains its socket) until resume_reading().
  void pause_reading() noexcept { paused_ = true; }
  void resume_reading();

  bool is_open() const noexcept { return state_ == State::open; }
  // Whether the upgrade ever completed.
  bool was_opened() const noexcept { return opened_; }
  std::uint32_t id() const noexcept { return id_; }
  // Pings answered so far.
  std::uint64_t pings() const noexcept { return pings_; }

 private:
  enum class State { idle, connecting, handshaking, open, closing, closed };

  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  bool parse_handshake(std::size_t& pos);
  void send_frame(std::uint8_t opcode, std::string_view payload);
  void flush();
  void finish(Failure why);

  boost::asio::ip::tcp::socket socket_;
  Listener& listener_;
  std::uint32_t id_;
  std::uint32_t mask_state_;
  State state_ = State::idle;
  bool opened_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool paused_ = false;
  bool read_pending_ = false;
  int receive_buffer_ = 0;
  std::uint64_t pings_ = 0;
  std::vector<char> rbuf_;
  std::size_t rlen_ = 0;
  std::string wbuf_;     // frames queued while a write is in flight
  std::string wflight_;  // the bytes of the write in flight
};

}  // namespace roost::bench
