// Role: sign_jwt / decode_jwt (see jwt.h), on OpenSSL's HMAC-SHA256.
// The header is compared byte for byte with the one sign_jwt writes: Pair verifies only
// tokens it issued, so there is no reason to accept another spelling of the same header,
// and nothing in a header can choose the algorithm. The signature is checked before the
// payload is parsed, so a tampered payload is never even read.
// Thread affinity: none. Ownership: returns values.
#include "auth/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <boost/json.hpp>
#include <optional>

#include "auth/auth_errors.h"
#include "roost/proto/base64.h"

namespace pair::auth {
namespace {

namespace json = boost::json;

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::size_t kMacBytes = 32;

std::array<unsigned char, kMacBytes> hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, kMacBytes> mac{};
  std::size_t len = 0;
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* k = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, k, key.size(),
                 reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), mac.size(), &len) ||
      len != kMacBytes) {
    // Only an OpenSSL installation without SHA-256 gets here; no token can be valid then.
    mac.fill(0);
  }
  return mac;
}

// base64url without padding, and canonical: the only spelling of its bytes.
std::optional<std::string> strict_base64url(std::string_view segment) {
  if (segment.empty()) return std::nullopt;
  for (char ch : segment) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return std::nullopt;
  }
  auto bytes = roost::proto::base64url_decode(segment);
  if (!bytes || roost::proto::base64url_encode(*bytes) != segment) return std::nullopt;
  return bytes;
}

std::optional<std::int64_t> int_claim(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  return std::nullopt;  // a double, a string, or a uint64 beyond int64: not a time we issued
}

// Why a header that is not ours is refused: another algorithm, or just not the pinned bytes.
std::error_code header_error(std::string_view header) {
  json::error_code ec;
  json::value v = json::parse(header, ec);
  if (!ec && v.is_object()) {
    if (const json::value* alg = v.as_object().if_contains("alg"); alg && alg->is_string() && alg->get_string() != "HS256")
      return AuthErrc::unsupported_alg;
  }
  return AuthErrc::malformed_token;
}

}  // namespace

std::string sign_jwt(const TokenClaims& claims, std::string_view secret) {
  json::object payload{{"sub", claims.sub}, {"name", claims.name}, {"iat", claims.iat}, {"exp", claims.exp}};
  std::string signing_input =
      roost::proto::base64url_encode(kHeader) + '.' + roost::proto::base64url_encode(json::serialize(payload));
  auto mac = hmac_sha256(secret, signing_input);
  return signing_input + '.' +
         roost::proto::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

roost::Result<TokenClaims> decode_jwt(std::string_view token, std::string_view secret, std::int64_t now_seconds) {
  if (token.empty() || token.size() > kMaxTokenBytes) return AuthErrc::malformed_token;
  std::size_t first = token.find('.');
  if (first == std::string_view::npos) return AuthErrc::malformed_token;
  std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return AuthErrc::malformed_token;
  auto header = strict_base64url(token.substr(0, first));
  auto payload = strict_base64url(token.substr(first + 1, second - first - 1));
  auto signature = strict_base64url(token.substr(second + 1));
  if (!header || !payload || !signature) return AuthErrc::malformed_token;
  if (*header != kHeader) return header_error(*header);

  if (signature->size() != kMacBytes) return AuthErrc::bad_signature;
  auto expected = hmac_sha256(secret, token.substr(0, second));
  if (CRYPTO_memcmp(expected.data(), signature->data(), kMacBytes) != 0) return AuthErrc::bad_signature;

  json::error_code ec;
  json::value parsed = json::parse(*payload, ec);
  if (ec || !parsed.is_object()) return AuthErrc::malformed_token;
  const json::object& o = parsed.as_object();
  const json::value* sub = o.if_contains("sub");
  const json::value* name = o.if_contains("name");
  auto iat = int_claim(o, "iat");
  auto exp = int_claim(o, "exp");
  if (!sub || !sub->is_string() || sub->get_string().empty() || !name || !name->is_string() || !iat || !exp)
    return AuthErrc::malformed_token;
  if (now_seconds >= *exp) return AuthErrc::expired;
  if (*iat > now_seconds + kClockSkewSeconds) return AuthErrc::not_yet_valid;
  return TokenClaims{std::string(sub->get_string()), std::string(name->get_string()), *iat, *exp};
}

}  // namespace pair::auth
