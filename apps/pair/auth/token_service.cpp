// Role: TokenService (see token_service.h).
// Thread affinity: any thread (const). Ownership: see the header.
#include "auth/token_service.h"

#include <charconv>

#include "auth/auth_errors.h"
#include "auth/jwt.h"

namespace pair::auth {

TokenService::TokenService(std::string secret, std::chrono::seconds ttl, Clock clock)
    : secret_(std::move(secret)), ttl_(ttl), clock_(std::move(clock)) {}

TokenService::Clock TokenService::system_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

std::string TokenService::issue(std::int64_t user_id, std::string_view first_name) const {
  std::int64_t now = clock_();
  return sign_jwt(TokenClaims{std::to_string(user_id), std::string(first_name), now, now + ttl_.count()}, secret_);
}

roost::Result<TokenUser> TokenService::verify(std::string_view token) const {
  auto claims = decode_jwt(token, secret_, clock_());
  if (!claims) return claims.error();
  std::int64_t id = 0;
  const std::string& sub = claims->sub;
  auto [end, ec] = std::from_chars(sub.data(), sub.data() + sub.size(), id);
  if (ec != std::errc{} || end != sub.data() + sub.size() || id <= 0) return AuthErrc::malformed_token;
  return TokenUser{id, std::move(claims->name)};
}

std::string_view bearer_token(std::string_view authorization) {
  // The scheme is case-insensitive (RFC 9110 §11.1); one or more spaces follow it.
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if ((authorization[i] | 0x20) != kScheme[i]) return {};
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return {};
  rest.remove_prefix(rest.find_first_not_of(' ') == std::string_view::npos ? rest.size() : rest.find_first_not_of(' '));
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  return rest;
}

}  // namespace pair::auth
