// Role: libFuzzer target for the V2 binary push decoder (protocol.md §5.1): length-prefixed
// fields must never be read past the end of the frame.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roost/proto/serializer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = roost::proto::decode_binary(roost::proto::Serializer::v2_json, bytes);
  (void)decoded;
  return 0;
}
