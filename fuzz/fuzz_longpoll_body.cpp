// Role: libFuzzer target for long-poll POST bodies (protocol.md §6): ndjson splitting and
// base64 binary lines, under both content types, each line then decoded as a message.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roost/proto/longpoll_body.h"
#include "roost/proto/serializer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view content_type =
      (data[0] & 1) ? "application/x-ndjson" : "application/json; charset=utf-8";
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto lines = roost::proto::split_longpoll_body(content_type, body);
  if (!lines) return 0;
  for (const auto& line : *lines) {
    auto decoded = line.binary ? roost::proto::decode_binary(roost::proto::Serializer::v2_json, line.bytes)
                               : roost::proto::decode_text(roost::proto::Serializer::v2_json, line.bytes);
    (void)decoded;
  }
  return 0;
}
