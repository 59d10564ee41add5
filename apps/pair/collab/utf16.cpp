// Role: UTF-8 walking with UTF-16 unit counts (see utf16.h).
// Thread affinity: none (pure functions). Ownership: borrows its arguments.
#include "collab/utf16.h"

#include <cstdint>

#include "collab/collab_errors.h"

namespace pair::collab {

namespace {

struct Char {
  std::size_t bytes = 0;  // 0 = invalid
  std::size_t units = 0;
};

// One strictly valid UTF-8 sequence at `pos` (pos < text.size()), NUL refused.
Char next_char(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t b0 = byte(pos);
  if (b0 < 0x80) return b0 == 0 ? Char{} : Char{1, 1};
  std::size_t len;
  std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates encoded as UTF-8
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {};
  }
  if (text.size() - pos < len) return {};
  if (byte(pos + 1) < lo || byte(pos + 1) > hi) return {};
  for (std::size_t i = 2; i < len; ++i)
    if ((byte(pos + i) & 0xC0) != 0x80) return {};
  return {len, len == 4 ? 2u : 1u};
}

}  // namespace

roost::Result<std::size_t> utf16_length(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    Char c = next_char(text, pos);
    if (c.bytes == 0) return make_error_code(CollabErrc::invalid_text);
    pos += c.bytes;
    units += c.units;
  }
  return units;
}

roost::Result<std::size_t> skip_units(std::string_view text, std::size_t from, std::size_t units) {
  std::size_t pos = from;
  while (units > 0) {
    if (pos >= text.size()) return make_error_code(CollabErrc::length_mismatch);
    Char c = next_char(text, pos);
    if (c.bytes == 0) return make_error_code(CollabErrc::invalid_text);
    if (c.units > units) return make_error_code(CollabErrc::splits_character);
    pos += c.bytes;
    units -= c.units;
  }
  return pos;
}

std::string normalize_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
      continue;
    }
    out.push_back('\n');
    if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
  }
  return out;
}

}  // namespace pair::collab
