// Role: libFuzzer target for the connect query-string parser (protocol.md §1.1): nested
// keys, percent-encoding and UTF-8 checks on bytes taken straight from the request line.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roost/proto/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  auto params = roost::proto::parse_query(query);
  (void)params;
  return 0;
}
