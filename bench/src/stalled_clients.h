// Role: the slow consumers of a fanout run (--stalled N): connections that join the topic
// with a small receive buffer and then stop reading, the way a client on a stalled network
// or a frozen tab does. The server must disconnect them once their outbound budget is
// exceeded while everyone else keeps their latency. At the end of a run they read again for
// a moment: a connection the server dropped then reports EOF or a close frame, one it kept
// goes on receiving.
// Thread affinity: the thread running the io_context. Ownership: owns its connections; must
// be destroyed before the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wire_protocol.h"
#include "ws_client.h"

namespace roost::bench {

class StalledClients final : public WsClient::Listener {
 public:
  // Each connection's socket receive buffer: small, so the server's queue fills soon.
  static constexpr int kReceiveBufferBytes = 4096;

  StalledClients(boost::asio::io_context& io, std::size_t count, ProtocolKind protocol, std::string topic);

  void start(const UpgradeTarget& target, const boost::asio::ip::address_v4* source);
  std::size_t count() const noexcept { return clients_.size(); }
  // Joined, and reading stopped.
  std::size_t stalled() const noexcept { return stalled_; }
  // Every connection either stalled or failed.
  bool settled() const noexcept { return stalled_ + failed_ == clients_.size(); }
  // Reads again on every stalled connection (see the header comment).
  void resume();
  // Stalled connections that turned out closed by the server once they read again.
  std::size_t disconnected() const noexcept { return disconnected_; }
  void abort_all();

  void on_open(WsClient& c) override;
  void on_text(WsClient& c, std::string_view text, std::int64_t recv_ns) override;
  void on_closed(WsClient& c, Failure why) override;

 private:
  std::vector<std::unique_ptr<WsClient>> clients_;
  std::vector<bool> is_stalled_;
  std::unique_ptr<WireProtocol> wire_;
  std::string topic_;
  std::size_t stalled_ = 0, failed_ = 0, disconnected_ = 0;
};

}  // namespace roost::bench
