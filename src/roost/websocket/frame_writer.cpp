#include "roost/websocket/frame_writer.h"

#include "roost/websocket/close_code.h"

namespace roost::websocket {

void append_frame_header(std::string& out, Opcode op, std::size_t payload_len, bool fin) {
  char header[10];
  header[0] = static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(op));
  std::size_t size = 2;
  if (payload_len < 126) {
    header[1] = static_cast<char>(payload_len);
  } else if (payload_len <= 0xFFFF) {
    header[1] = 126;
    header[2] = static_cast<char>(payload_len >> 8);
    header[3] = static_cast<char>(payload_len);
    size = 4;
  } else {
    header[1] = 127;
    const auto len = static_cast<uint64_t>(payload_len);
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>(len >> (56 - 8 * i));
    size = 10;
  }
  out.append(header, size);
}

std::string make_frame(Opcode op, std::string_view payload) {
  std::string out;
  out.reserve(frame_header_size(payload.size()) + payload.size());
  append_frame_header(out, op, payload.size());
  out.append(payload);
  return out;
}

namespace {

// Cuts `s` to at most `limit` bytes without splitting a UTF-8 sequence: the cut point moves
// back while it would separate a continuation byte (10xxxxxx) from its lead byte.
std::string_view truncate_utf8(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<uint8_t>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

std::string make_close_frame(uint16_t code, std::string_view reason) {
  if (code == close_code::no_status) return make_frame(Opcode::close, {});
  reason = truncate_utf8(reason, kMaxCloseReason);
  std::string out;
  out.reserve(2 + 2 + reason.size());
  append_frame_header(out, Opcode::close, 2 + reason.size());
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason);
  return out;
}

}  // namespace roost::websocket
