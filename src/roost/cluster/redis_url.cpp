#include "roost/cluster/redis_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

#include "roost/cluster/errors.h"

namespace roost::cluster {
namespace {

constexpr std::string_view kScheme = "redis://";

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// Digits only (no sign, no spaces), within [lo, hi].
bool parse_number(std::string_view s, unsigned lo, unsigned hi, unsigned& out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && out >= lo && out <= hi;
}

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

std::string RedisUrl::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? fmt::format("redis://[{}]:{}", host, port) : fmt::format("redis://{}:{}", host, port);
  if (db != 0) out += fmt::format("/{}", db);
  return out;
}

Result<RedisUrl> parse_redis_url(std::string_view text) {
  if (!iequals_prefix(text, kScheme)) return make_error_code(ClusterError::url_scheme);
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("@?#") != std::string_view::npos) return make_error_code(ClusterError::url_unsupported);

  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());  // "" or "/..."

  RedisUrl url;
  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return make_error_code(ClusterError::url_host);
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return make_error_code(ClusterError::url_host);
    if (!after.empty()) port = after.substr(1);
    if (!std::all_of(host.begin(), host.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }))
      return make_error_code(ClusterError::url_host);
    if (!after.empty() && port.empty()) return make_error_code(ClusterError::url_port);
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return make_error_code(ClusterError::url_port);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), valid_host_char))
      return make_error_code(ClusterError::url_host);
  }
  url.host = std::string(host);
  if (!port.empty()) {
    unsigned p = 0;
    if (!parse_number(port, 1, 65535, p)) return make_error_code(ClusterError::url_port);
    url.port = static_cast<std::uint16_t>(p);
  }
  // "/" alone is database 0, as in the usual URL form; anything else must be a number.
  if (path.size() > 1 && !parse_number(path.substr(1), 0, 65535, url.db)) return make_error_code(ClusterError::url_db);
  return url;
}

}  // namespace roost::cluster
