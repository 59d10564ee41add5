// Role: the contract between a transport (WebSocket connection, long-poll session) and
// the socket layer above it (channels::Socket), so channels never name a concrete
// transport:
//   - Outbound: what the socket layer may do to its client (send frames, close);
//   - SocketHandler: what the transport tells the socket layer (a frame, the end);
//   - SocketEndpoint: the connect step that turns a request into a SocketHandler.
// Thread affinity: both sides of one connection live on the same loop; every call here
// happens on that loop's thread.
// Ownership: the transport owns its SocketHandler; the handler borrows its Outbound,
// which stays valid until SocketHandler::on_closed() has returned.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "roost/core/result.h"
#include "roost/core/shared_bytes.h"
#include "roost/proto/message.h"

namespace roost::transport {

enum class TransportKind : std::uint8_t { websocket, longpoll };

// How a transport wants shared broadcast frames: complete WebSocket frames, or bare
// text frames (long-poll's JSON answer carries them as strings).
enum class FrameForm : std::uint8_t { websocket_framed, bare_text };

enum class SendStatus : std::uint8_t {
  sent,      // handed to the kernel or queued within budget
  dropped,   // the transport is closing, or cannot carry this frame (binary on long-poll)
  overflow,  // the outbound byte budget was exceeded: the connection is being closed
};

class Outbound {
 public:
  virtual ~Outbound() = default;
  virtual proto::Serializer serializer() const noexcept = 0;
  virtual FrameForm frame_form() const noexcept = 0;
  // A frame encoded for this connection alone (reply, push).
  virtual SendStatus send(proto::EncodedFrame frame) = 0;
  // A frame shared by many connections, already in frame_form(); `binary` tells long-poll
  // to drop it and WebSocket nothing (the bytes are already framed).
  virtual SendStatus send_shared(const SharedBytes& frame) = 0;
  // Ends the connection: WebSocket sends a close frame with `code`; long-poll ends the
  // session. The handler's on_closed() follows later, never inside this call.
  virtual void close(std::uint16_t code) = 0;
};

class SocketHandler {
 public:
  virtual ~SocketHandler() = default;
  // One complete client frame (text or binary). The bytes are valid during the call only.
  virtual void on_frame(std::string_view data, bool binary) = 0;
  // True while a frame is still being handled synchronously (a join in progress);
  // long-poll waits for this before it acknowledges a POST.
  virtual bool busy() const noexcept = 0;
  // Runs `fn` once busy() turns false (at once if it already is).
  virtual void when_idle(std::function<void()> fn) = 0;
  // True while any message already received is still being handled, e.g. a push whose
  // reply waits for a database save. A draining server closes the socket only after that
  // reply has gone out (or the drain's deadline has passed).
  virtual bool handling() const noexcept { return busy(); }
  // The transport is gone; terminate everything with reason "closed".
  virtual void on_closed() = 0;
  // True when the socket has joined channels (drain closes those with 1012).
  virtual bool has_channels() const noexcept = 0;
};

// What the connect step sees (protocol.md §1.5).
struct ConnectInfo {
  boost::json::object params;                 // decoded query string (and path params)
  std::optional<std::string> auth_token;      // subprotocol bearer or X-Phoenix-AuthToken
  std::optional<std::string> origin;
  std::string peer_address;
  std::uint16_t peer_port = 0;
  std::string user_agent;
  TransportKind transport = TransportKind::websocket;
  proto::Serializer serializer = proto::Serializer::v2_json;
};

class SocketEndpoint {
 public:
  virtual ~SocketEndpoint() = default;
  // Runs the application's connect callback. An error (Condition::auth) means refuse:
  // WebSocket answers 403, long-poll {"status":403}.
  virtual Result<std::unique_ptr<SocketHandler>> connect(ConnectInfo info, Outbound& outbound) = 0;
};

}  // namespace roost::transport
