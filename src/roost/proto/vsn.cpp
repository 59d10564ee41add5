// Serializer negotiation (protocol.md §1.2): the `vsn` query parameter is a semantic version
// matched against "~> 1.0.0" and "~> 2.0.0", as Elixir's Version module does.
#include <cstdint>
#include <limits>

#include "roost/proto/serializer.h"

namespace roost::proto {
namespace {

struct SemVer {
  uint64_t major = 0;
  uint64_t minor = 0;
  uint64_t patch = 0;
  bool pre_release = false;  // only its presence matters for "~> X.0.0"
};

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_ident_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// A numeric core part: "0" or digits without a leading zero. Saturates instead of
// overflowing; such a version can only fail to match anyway.
bool parse_number(std::string_view s, uint64_t& out) noexcept {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    v = v > (std::numeric_limits<uint64_t>::max() - digit) / 10
            ? std::numeric_limits<uint64_t>::max()
            : v * 10 + digit;
  }
  out = v;
  return true;
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-]. Pre-release numeric identifiers may
// not have leading zeros; build identifiers may.
bool valid_identifiers(std::string_view s, bool numeric_no_leading_zero) noexcept {
  if (s.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const auto dot = s.find('.', start);
    const auto ident = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (ident.empty()) return false;
    bool all_digits = true;
    for (char c : ident) {
      if (!is_ident_char(c)) return false;
      all_digits = all_digits && is_digit(c);
    }
    if (numeric_no_leading_zero && all_digits && ident.size() > 1 && ident[0] == '0') {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::optional<SemVer> parse_semver(std::string_view text) {
  std::string_view build;
  if (const auto plus = text.find('+'); plus != std::string_view::npos) {
    build = text.substr(plus + 1);
    if (!valid_identifiers(build, false)) return std::nullopt;
    text = text.substr(0, plus);
  }
  SemVer v;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    if (!valid_identifiers(text.substr(dash + 1), true)) return std::nullopt;
    v.pre_release = true;
    text = text.substr(0, dash);
  }
  const auto dot1 = text.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const auto dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  if (!parse_number(text.substr(0, dot1), v.major) ||
      !parse_number(text.substr(dot1 + 1, dot2 - dot1 - 1), v.minor) ||
      !parse_number(text.substr(dot2 + 1), v.patch)) {
    return std::nullopt;
  }
  return v;
}

// "~> M.0.0" means >= M.0.0 and < M.1.0-0. A pre-release of M.0.0 sorts below M.0.0;
// pre-releases of M.0.x (x > 0) are inside the range.
bool matches_pessimistic(const SemVer& v, uint64_t major) noexcept {
  return v.major == major && v.minor == 0 && !(v.patch == 0 && v.pre_release);
}

}  // namespace

Result<Serializer> negotiate_vsn(std::optional<std::string_view> vsn) {
  if (!vsn) return Serializer::v1_json;  // absent is treated as "1.0.0"
  const auto version = parse_semver(*vsn);
  if (!version) return make_error_code(ProtoError::bad_vsn);
  if (matches_pessimistic(*version, 1)) return Serializer::v1_json;
  if (matches_pessimistic(*version, 2)) return Serializer::v2_json;
  return make_error_code(ProtoError::bad_vsn);
}

}  // namespace roost::proto
