// Role: libFuzzer target for the WebSocket frame parser (RFC 6455 §5): arbitrary client
// bytes, fed in two pieces split at a fuzzer-chosen point so partial headers and payloads
// are exercised, must yield messages or a close code, never a read out of bounds.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "roost/websocket/frame_parser.h"

namespace {

class CountingSink final : public roost::websocket::FrameSink {
 public:
  void on_message(roost::websocket::Opcode, std::string_view data) override { bytes_ += data.size(); }
  void on_ping(std::string_view data) override { bytes_ += data.size(); }
  void on_pong(std::string_view data) override { bytes_ += data.size(); }
  void on_close(uint16_t, std::string_view reason) override { bytes_ += reason.size(); }

 private:
  std::size_t bytes_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t split = data[0] % (size);
  // Separate heap buffers, so reading past either piece is caught by ASan.
  std::vector<char> first(data + 1, data + 1 + split);
  std::vector<char> second(data + 1 + split, data + size);
  roost::websocket::FrameParser parser(64 * 1024);
  CountingSink sink;
  if (!parser.feed(std::span<char>(first.data(), first.size()), sink)) {
    (void)parser.feed(std::span<char>(second.data(), second.size()), sink);
  }
  parser.shrink();
  return 0;
}
