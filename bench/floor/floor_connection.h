// Role: one WebSocket connection of the floor server: reads the HTTP upgrade and answers 101
// (400 and close for anything else), then reads masked client frames, answers pings and close
// frames, and handles the three Phoenix messages roost-bench sends: phx_join (subscribe to the
// topic, reply ok), heartbeat (reply ok) and shout (reply ok, then publish to every loop).
// Broadcast frames arrive through send(): queued by pointer, never copied, and written one
// per write or, in batched mode, gathered into one write per turn of the queue.
// Thread affinity: its loop's thread only. Ownership: shared_ptr owned by its pending reads
// and writes; its loop's topic list holds a raw pointer, removed when the connection closes.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floor_server.h"

namespace roost::bench::floor {

class FloorConnection : public std::enable_shared_from_this<FloorConnection> {
 public:
  FloorConnection(FloorServer& server, FloorLoop& loop, boost::asio::ip::tcp::socket socket);

  void start();
  // Queues a pre-framed server frame.
  void send(const Frame& frame);

 private:
  void read();
  void on_read(std::size_t n);
  bool handshake(std::size_t& consumed);
  bool frames(std::size_t& consumed);
  void on_text(std::string_view text);
  void send_text(std::string_view text);
  void flush();
  void close();

  FloorServer& server_;
  FloorLoop& loop_;
  boost::asio::ip::tcp::socket socket_;
  std::vector<char> rbuf_;
  std::size_t rlen_ = 0;
  bool upgraded_ = false, closing_ = false, closed_ = false, writing_ = false;
  std::string topic_;  // empty until joined
  std::deque<Frame> queue_;
  std::vector<boost::asio::const_buffer> gather_;
  std::size_t in_flight_ = 0;  // frames of the write in flight
};

}  // namespace roost::bench::floor
