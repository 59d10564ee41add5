#include "roost/websocket/frame_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace roost::websocket {

namespace {

constexpr uint8_t kFin = 0x80;
constexpr uint8_t kReservedBits = 0x70;
constexpr uint8_t kOpcodeBits = 0x0F;
constexpr uint8_t kMaskBit = 0x80;
constexpr uint8_t kLengthBits = 0x7F;
constexpr uint64_t kMaxControlPayload = 125;

constexpr ParseError protocol_error(const char* what) { return {close_code::protocol_error, what}; }

// Header size implied by the second header byte. Client frames always carry a 4-byte mask
// key (an unmasked one is rejected before this matters).
constexpr std::size_t header_size(uint8_t b1) noexcept {
  const uint8_t len7 = b1 & kLengthBits;
  return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
}

bool valid_utf8(std::string_view s) noexcept { return simdjson::validate_utf8(s.data(), s.size()); }

}  // namespace

FrameParser::FrameParser(std::size_t max_message_size)
    : max_message_size_(max_message_size), header_{} {}

bool FrameParser::idle() const noexcept {
  return state_ == State::header && header_len_ == 0 && message_op_ == 0;
}

void FrameParser::shrink() noexcept {
  if (idle() || state_ == State::failed) std::string().swap(buffer_);
}

ParseError FrameParser::fail(ParseError error) noexcept {
  // The connection is being failed: nothing buffered will ever be delivered.
  state_ = State::failed;
  message_op_ = 0;
  std::string().swap(buffer_);
  return error;
}

std::optional<ParseError> FrameParser::feed(std::span<char> bytes, FrameSink& sink) {
  if (state_ == State::failed) return protocol_error("parser fed after a failure");
  char* pos = bytes.data();
  char* const end = pos + bytes.size();
  while (pos != end) {
    if (state_ == State::payload) {
      const auto n = static_cast<std::size_t>(
          std::min<uint64_t>(frame_.remaining, static_cast<uint64_t>(end - pos)));
      apply_mask({pos, n}, frame_.mask);
      buffer_.append(pos, n);
      pos += n;
      frame_.remaining -= n;
      if (frame_.remaining != 0) break;  // all of `bytes` consumed
      state_ = State::header;
      header_len_ = 0;
      if (auto error = complete_buffered_frame(sink)) return fail(*error);
      continue;
    }

    const auto avail = static_cast<std::size_t>(end - pos);
    if (header_len_ == 0 && avail >= 2) {
      // Usual case: the whole header is in `bytes`, so read it where it lies.
      const auto b0 = static_cast<uint8_t>(pos[0]);
      const auto b1 = static_cast<uint8_t>(pos[1]);
      if (auto error = check_first_bytes(b0, b1)) return fail(*error);
      const std::size_t size = header_size(b1);
      if (avail >= size) {
        uint8_t header[kMaxHeader];
        std::memcpy(header, pos, size);
        pos += size;
        if (auto error = begin_frame(header, pos, end, sink)) return fail(*error);
        continue;
      }
    }

    // The header is split across feeds: collect it in header_. The first two bytes are
    // checked as soon as they are here, so a bad frame fails without waiting for more.
    if (header_len_ < 2) {
      const std::size_t n = std::min<std::size_t>(2 - header_len_, avail);
      std::memcpy(header_ + header_len_, pos, n);
      header_len_ = static_cast<uint8_t>(header_len_ + n);
      pos += n;
      if (header_len_ < 2) break;
      if (auto error = check_first_bytes(header_[0], header_[1])) return fail(*error);
    }
    const std::size_t size = header_size(header_[1]);
    const std::size_t n =
        std::min<std::size_t>(size - header_len_, static_cast<std::size_t>(end - pos));
    std::memcpy(header_ + header_len_, pos, n);
    header_len_ = static_cast<uint8_t>(header_len_ + n);
    pos += n;
    if (header_len_ < size) break;
    // Copy out: begin_frame reuses header_'s storage for the frame in progress.
    uint8_t header[kMaxHeader];
    std::memcpy(header, header_, size);
    header_len_ = 0;
    if (auto error = begin_frame(header, pos, end, sink)) return fail(*error);
  }
  return std::nullopt;
}

std::optional<ParseError> FrameParser::check_first_bytes(uint8_t b0, uint8_t b1) const noexcept {
  if ((b1 & kMaskBit) == 0) return protocol_error("unmasked client frame");
  // No extension is ever negotiated, so no reserved bit may be set.
  if ((b0 & kReservedBits) != 0) return protocol_error("reserved bit set");
  const uint8_t op = b0 & kOpcodeBits;
  if (!is_known(op)) return protocol_error("unknown opcode");
  if (is_control(static_cast<Opcode>(op))) {
    if ((b0 & kFin) == 0) return protocol_error("fragmented control frame");
    if ((b1 & kLengthBits) > kMaxControlPayload)
      return protocol_error("control frame over 125 bytes");
  } else if (op == static_cast<uint8_t>(Opcode::continuation)) {
    if (message_op_ == 0) return protocol_error("continuation frame with no message in progress");
  } else if (message_op_ != 0) {
    return protocol_error("new message inside a fragmented message");
  }
  return std::nullopt;
}

std::optional<ParseError> FrameParser::begin_frame(const uint8_t* header, char*& pos, char* end,
                                                   FrameSink& sink) {
  const uint8_t b0 = header[0];
  const auto op = static_cast<Opcode>(b0 & kOpcodeBits);
  uint64_t len = header[1] & kLengthBits;
  std::size_t offset = 2;
  if (len == 126) {
    len = (uint64_t{header[2]} << 8) | header[3];
    offset = 4;
  } else if (len == 127) {
    len = 0;
    for (std::size_t i = 0; i < 8; ++i) len = (len << 8) | header[2 + i];
    if ((len >> 63) != 0) return protocol_error("64-bit length with the top bit set");
    offset = 10;
  }
  MaskKey mask;
  std::memcpy(mask.data(), header + offset, mask.size());

  const auto avail = static_cast<uint64_t>(end - pos);
  if (is_control(op)) {
    if (len <= avail) {
      const auto n = static_cast<std::size_t>(len);
      apply_mask({pos, n}, mask);
      pos += n;
      return deliver_control(op, {pos - n, n}, sink);
    }
    control_len_ = static_cast<uint8_t>(len);
  } else {
    // buffer_ holds exactly the message received so far here (no control frame is in
    // progress between frames), and never more than the limit, so this cannot wrap.
    if (len > max_message_size_ - buffer_.size())
      return ParseError{close_code::message_too_big, "message larger than the limit"};
    if ((b0 & kFin) != 0 && message_op_ == 0 && len <= avail) {
      // A whole unfragmented message: unmask it in place and deliver it without a copy.
      const auto n = static_cast<std::size_t>(len);
      apply_mask({pos, n}, mask);
      pos += n;
      return deliver_message(op, {pos - n, n}, sink);
    }
    if (op != Opcode::continuation) message_op_ = static_cast<uint8_t>(op);
  }

  // Buffer the payload: the part that is here now, and the rest from later feeds.
  const auto n = static_cast<std::size_t>(std::min(len, avail));
  apply_mask({pos, n}, mask);
  buffer_.append(pos, n);
  pos += n;
  frame_op_ = b0 & (kFin | kOpcodeBits);
  if (n == len) return complete_buffered_frame(sink);
  frame_ = FrameProgress{len - n, mask};
  state_ = State::payload;
  return std::nullopt;
}

std::optional<ParseError> FrameParser::complete_buffered_frame(FrameSink& sink) {
  const auto op = static_cast<Opcode>(frame_op_ & kOpcodeBits);
  if (is_control(op)) {
    // The control payload sits after the bytes of any message in progress.
    const std::size_t start = buffer_.size() - control_len_;
    auto result = deliver_control(op, std::string_view(buffer_).substr(start), sink);
    buffer_.resize(start);
    return result;
  }
  if ((frame_op_ & kFin) == 0) return std::nullopt;  // more fragments to come
  const auto message_op = static_cast<Opcode>(message_op_);
  message_op_ = 0;
  auto result = deliver_message(message_op, buffer_, sink);
  buffer_.clear();  // capacity is kept for the next message until shrink()
  return result;
}

std::optional<ParseError> FrameParser::deliver_message(Opcode op, std::string_view data,
                                                       FrameSink& sink) {
  if (op == Opcode::text && !valid_utf8(data))
    return ParseError{close_code::invalid_payload, "text message is not valid UTF-8"};
  sink.on_message(op, data);
  return std::nullopt;
}

std::optional<ParseError> FrameParser::deliver_control(Opcode op, std::string_view data,
                                                       FrameSink& sink) {
  switch (op) {
    case Opcode::ping:
      sink.on_ping(data);
      break;
    case Opcode::pong:
      sink.on_pong(data);
      break;
    default: {  // close
      if (data.empty()) {
        sink.on_close(close_code::no_status, {});
        break;
      }
      if (data.size() == 1) return protocol_error("close frame with a 1-byte payload");
      const auto code = static_cast<uint16_t>((static_cast<uint8_t>(data[0]) << 8) |
                                              static_cast<uint8_t>(data[1]));
      if (!valid_close_code(code)) return protocol_error("invalid close code");
      const std::string_view reason = data.substr(2);
      if (!valid_utf8(reason))
        return ParseError{close_code::invalid_payload, "close reason is not valid UTF-8"};
      sink.on_close(code, reason);
      break;
    }
  }
  return std::nullopt;
}

}  // namespace roost::websocket
