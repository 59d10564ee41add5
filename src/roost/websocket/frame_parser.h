// Role: incremental, sans-IO parser of client→server WebSocket frames (RFC 6455 §5). It
// unmasks, reassembles fragmented messages, enforces the protocol rules a server must check
// and a message size limit, and hands complete messages and control frames to a FrameSink.
// Thread affinity: one parser per connection, used only on that connection's loop; not
// thread-safe. Ownership: owns at most one buffer (a partial payload or a partially received
// fragmented message); an idle parser owns no heap memory once shrink() has been called, so
// an idle connection costs only sizeof(FrameParser).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "roost/websocket/close_code.h"
#include "roost/websocket/mask.h"
#include "roost/websocket/opcode.h"

namespace roost::websocket {

// Receives what the parser decodes, in wire order. Every string_view is valid only during
// the call. The sink must not call back into the parser.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // A complete message; `op` is text (already checked to be UTF-8) or binary.
  virtual void on_message(Opcode op, std::string_view data) = 0;
  virtual void on_ping(std::string_view data) = 0;
  virtual void on_pong(std::string_view data) = 0;
  // `code` is close_code::no_status (1005) when the frame carried no code.
  virtual void on_close(uint16_t code, std::string_view reason) = 0;
};

// Why the connection must be failed, and the close code to fail it with.
struct ParseError {
  uint16_t close_code;
  const char* what;  // a static string, for logs
};

class FrameParser {
 public:
  // `max_message_size` bounds the payload of a message, summed over its fragments. It is
  // enforced from frame headers, before any of the oversized payload is buffered.
  explicit FrameParser(std::size_t max_message_size);

  // Consumes all of `bytes` (any number of frames, or a fraction of one), calling `sink` for
  // each completed message or control frame in order, before returning. Payloads are unmasked
  // in place inside `bytes`; an unfragmented message or control frame that lies wholly inside
  // `bytes` is delivered as a view into it, without a copy. Returns the first protocol
  // failure; after a failure the parser must not be fed again (if it is, it fails again).
  std::optional<ParseError> feed(std::span<char> bytes, FrameSink& sink);

  // True when nothing is buffered: no partial frame header, frame payload or message.
  bool idle() const noexcept;

  // Releases the buffer's heap memory if the parser is idle (or has failed); otherwise does
  // nothing, since the buffer holds data still needed.
  void shrink() noexcept;

  std::size_t max_message_size() const noexcept { return max_message_size_; }

 private:
  enum class State : uint8_t { header, payload, failed };

  // The frame whose payload is being received into buffer_.
  struct FrameProgress {
    uint64_t remaining;  // payload bytes still to come
    MaskKey mask;        // rotated so that mask[0] applies to the next byte
  };

  // The longest header: 2 bytes, an 8-byte extended length, a 4-byte mask key.
  static constexpr std::size_t kMaxHeader = 14;

  std::optional<ParseError> check_first_bytes(uint8_t b0, uint8_t b1) const noexcept;
  std::optional<ParseError> begin_frame(const uint8_t* header, char*& pos, char* end,
                                        FrameSink& sink);
  std::optional<ParseError> complete_buffered_frame(FrameSink& sink);
  std::optional<ParseError> deliver_control(Opcode op, std::string_view data, FrameSink& sink);
  std::optional<ParseError> deliver_message(Opcode op, std::string_view data, FrameSink& sink);
  ParseError fail(ParseError error) noexcept;

  // Holds, in order: the bytes received so far of the fragmented message in progress (or of
  // an unfragmented message whose frame spans several feeds), then the bytes received so far
  // of a control frame that spans several feeds. The control frame's bytes are dropped once
  // it is delivered, which leaves the message bytes as they were.
  std::string buffer_;
  std::size_t max_message_size_;
  // A partial header is only ever buffered between frames and a FrameProgress only during a
  // frame's payload, so they share storage; state_ says which is in use.
  union {
    uint8_t header_[kMaxHeader];
    FrameProgress frame_;
  };
  uint8_t header_len_ = 0;  // bytes of header_ filled (State::header)
  State state_ = State::header;
  uint8_t frame_op_ = 0;     // opcode of the frame in State::payload, with the FIN bit (0x80)
  uint8_t control_len_ = 0;  // payload length of the control frame in State::payload
  // Opcode (text or binary) of the message being received into buffer_; 0 when none is.
  uint8_t message_op_ = 0;
};

}  // namespace roost::websocket
