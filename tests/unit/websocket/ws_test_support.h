// Role: helpers shared by the websocket unit tests: a client (masked) frame builder written
// independently of the server's frame writer, a sink that records what a parser delivers,
// and counters of heap allocations (the global operator new is replaced in
// alloc_counter_test.cpp).
// Thread affinity: test thread only. Ownership: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "roost/websocket/frame_parser.h"

namespace roost::websocket::testing {

inline constexpr MaskKey kRfcMask = {0x37, 0xfa, 0x21, 0x3d};

// Heap allocations made so far / currently alive, process-wide.
long total_allocations() noexcept;
long live_allocations() noexcept;

// A frame header with raw control over every bit. `b0` is the whole first byte (FIN, RSV,
// opcode); the length uses the shortest form unless `force_len_bytes` is 2 or 8.
inline std::string client_header(uint8_t b0, uint64_t len, bool masked = true,
                                 MaskKey mask = kRfcMask, int force_len_bytes = 0) {
  std::string h;
  h.push_back(static_cast<char>(b0));
  const uint8_t mask_bit = masked ? 0x80 : 0x00;
  int len_bytes = force_len_bytes;
  if (len_bytes == 0) len_bytes = len < 126 ? 0 : len <= 0xFFFF ? 2 : 8;
  if (len_bytes == 0) {
    h.push_back(static_cast<char>(mask_bit | len));
  } else {
    h.push_back(static_cast<char>(mask_bit | (len_bytes == 2 ? 126 : 127)));
    for (int i = len_bytes - 1; i >= 0; --i) h.push_back(static_cast<char>(len >> (8 * i)));
  }
  if (masked)
    for (uint8_t m : mask) h.push_back(static_cast<char>(m));
  return h;
}

inline std::string masked(std::string_view payload, MaskKey mask) {
  std::string out(payload);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(out[i] ^ mask[i % 4]);
  return out;
}

// A complete masked client frame.
inline std::string client_frame(Opcode op, std::string_view payload, bool fin = true,
                                MaskKey mask = kRfcMask) {
  const auto b0 = static_cast<uint8_t>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(op));
  return client_header(b0, payload.size(), true, mask) + masked(payload, mask);
}

inline std::string close_payload(uint16_t code, std::string_view reason = {}) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xFF));
  p.append(reason);
  return p;
}

// Records every delivery as one readable string, in order.
class RecordingSink : public FrameSink {
 public:
  std::vector<std::string> events;
  std::vector<const char*> data_pointers;  // where each delivered view pointed

  void on_message(Opcode op, std::string_view data) override {
    record(op == Opcode::text ? "text:" : op == Opcode::binary ? "binary:" : "bad-op:", data);
  }
  void on_ping(std::string_view data) override { record("ping:", data); }
  void on_pong(std::string_view data) override { record("pong:", data); }
  void on_close(uint16_t code, std::string_view reason) override {
    record("close:" + std::to_string(code) + ":", reason);
  }

 private:
  void record(const std::string& kind, std::string_view data) {
    events.push_back(kind + std::string(data));
    data_pointers.push_back(data.data());
  }
};

}  // namespace roost::websocket::testing
