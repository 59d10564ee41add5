// Role: libFuzzer target for Pair's collaborative-edit decoder (apps/pair/collab): a
// client's ChangeSet JSON is parsed strictly, and what parses is applied to a document
// with multi-byte text (UTF-16 positions over UTF-8 storage). Neither step may crash or
// produce invalid UTF-8; re-encoding a parsed change set must parse to the same JSON.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collab/apply_changes.h"
#include "collab/change_set.h"

namespace {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto changes = pair::collab::parse_change_set(json);
  if (!changes) return 0;
  const std::string text = changes->to_json_text();
  auto again = pair::collab::parse_change_set(text);
  if (!again || again->to_json_text() != text) std::abort();
  // "héllo 😀\n世界" is 11 UTF-16 units; change sets of other lengths are refused.
  static const std::string kDocument = "h\xc3\xa9llo \xf0\x9f\x98\x80\n\xe4\xb8\x96\xe7\x95\x8c";
  auto applied = pair::collab::apply_changes(kDocument, *changes);
  if (applied && !valid_utf8(*applied)) std::abort();
  return 0;
}
