// decode_jwt is the strict verifier every token passes through: these tests pin what it
// accepts (only what sign_jwt makes, with the same secret, before exp) and the reason it
// gives for each kind of refusal.
#include "auth/jwt.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "auth/auth_errors.h"
#include "roost/proto/base64.h"

namespace pair::auth {
namespace {

using roost::proto::base64url_encode;

constexpr std::string_view kSecret = "a-test-secret-of-enough-length!!";
constexpr std::int64_t kNow = 1'700'000'000;

TokenClaims claims() { return TokenClaims{"42", "Ada", kNow, kNow + 3600}; }

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(token.substr(start, dot - start));
  parts.push_back(token.substr(start));
  return parts;
}

TEST(Jwt, SignedTokenVerifies) {
  std::string token = sign_jwt(claims(), kSecret);
  EXPECT_EQ(split(token).size(), 3u);
  EXPECT_TRUE(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.")) << "header {\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  auto decoded = decode_jwt(token, kSecret, kNow);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->sub, "42");
  EXPECT_EQ(decoded->name, "Ada");
  EXPECT_EQ(decoded->iat, kNow);
  EXPECT_EQ(decoded->exp, kNow + 3600);
}

TEST(Jwt, NamesOutsideAsciiSurviveTheRoundTrip) {
  TokenClaims c = claims();
  c.name = "Zoë \"Z\" 東京";
  auto decoded = decode_jwt(sign_jwt(c, kSecret), kSecret, kNow);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->name, c.name);
}

TEST(Jwt, AnotherSecretsSignatureIsForged) {
  std::string token = sign_jwt(claims(), "some-other-secret-entirely-here");
  EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::bad_signature);
}

TEST(Jwt, TamperedPayloadFailsTheSignature) {
  auto parts = split(sign_jwt(claims(), kSecret));
  std::string forged_payload = base64url_encode(R"({"sub":"1","name":"Ada","iat":1700000000,"exp":1700003600})");
  std::string token = parts[0] + "." + forged_payload + "." + parts[2];
  EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::bad_signature);
}

TEST(Jwt, TamperedSignatureIsRefused) {
  std::string token = sign_jwt(claims(), kSecret);
  token.back() = token.back() == 'A' ? 'Q' : 'A';
  auto r = decode_jwt(token, kSecret, kNow);
  ASSERT_FALSE(r);
  // Flipping the last character either breaks the canonical encoding or the MAC.
  EXPECT_TRUE(r.error() == AuthErrc::bad_signature || r.error() == AuthErrc::malformed_token) << r.error().message();
}

TEST(Jwt, AlgNoneIsRefused) {
  auto parts = split(sign_jwt(claims(), kSecret));
  std::string none = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  // The classic attack: no signature at all...
  EXPECT_FALSE(decode_jwt(none + "." + parts[1] + ".", kSecret, kNow));
  // ...or any signature: the header alone decides nothing.
  EXPECT_EQ(decode_jwt(none + "." + parts[1] + "." + parts[2], kSecret, kNow).error(), AuthErrc::unsupported_alg);
}

TEST(Jwt, OtherAlgorithmsAreRefused) {
  auto parts = split(sign_jwt(claims(), kSecret));
  for (std::string_view header : {R"({"alg":"RS256","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
                                  R"({"alg":"hs256","typ":"JWT"})"}) {
    std::string token = base64url_encode(header) + "." + parts[1] + "." + parts[2];
    EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::unsupported_alg) << header;
  }
}

TEST(Jwt, OnlyThePinnedHeaderBytesAreAccepted) {
  auto parts = split(sign_jwt(claims(), kSecret));
  // Same meaning, other spelling, or extra members (kid, jku, crit...): refused.
  for (std::string_view header : {R"({"typ":"JWT","alg":"HS256"})", R"({"alg":"HS256"})",
                                  R"({"alg":"HS256","typ":"JWT","kid":"x"})", R"({ "alg":"HS256","typ":"JWT"})"}) {
    std::string signing_input = base64url_encode(header) + "." + parts[1];
    std::string token = signing_input + "." + parts[2];
    EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::malformed_token) << header;
  }
}

TEST(Jwt, ExpiredTokenIsRefused) {
  std::string token = sign_jwt(claims(), kSecret);
  EXPECT_TRUE(decode_jwt(token, kSecret, kNow + 3599));
  EXPECT_EQ(decode_jwt(token, kSecret, kNow + 3600).error(), AuthErrc::expired);
  EXPECT_EQ(decode_jwt(token, kSecret, kNow + 999999).error(), AuthErrc::expired);
}

TEST(Jwt, TokenFromTheFutureIsRefused) {
  TokenClaims c = claims();
  c.iat = kNow + kClockSkewSeconds + 1;
  c.exp = c.iat + 3600;
  EXPECT_EQ(decode_jwt(sign_jwt(c, kSecret), kSecret, kNow).error(), AuthErrc::not_yet_valid);
  c.iat = kNow + kClockSkewSeconds;
  EXPECT_TRUE(decode_jwt(sign_jwt(c, kSecret), kSecret, kNow)) << "within the allowed skew";
}

TEST(Jwt, MalformedSegmentsAreRefused) {
  std::string token = sign_jwt(claims(), kSecret);
  auto parts = split(token);
  const std::vector<std::string> bad{
      "",
      "abc",
      parts[0] + "." + parts[1],
      token + ".",
      token + ".xyz",
      "." + parts[1] + "." + parts[2],
      parts[0] + ".." + parts[2],
      parts[0] + "." + parts[1] + "=." + parts[2],  // padding
      parts[0] + "." + parts[1] + "." + parts[2] + "=",
      parts[0] + "." + parts[1] + "+/." + parts[2],  // standard alphabet
      parts[0] + " ." + parts[1] + "." + parts[2],
      std::string(kMaxTokenBytes + 1, 'a'),
  };
  for (const std::string& t : bad) {
    auto r = decode_jwt(t, kSecret, kNow);
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error(), AuthErrc::malformed_token) << t;
  }
}

TEST(Jwt, SignatureOfTheWrongLengthIsRefused) {
  auto parts = split(sign_jwt(claims(), kSecret));
  std::string token = parts[0] + "." + parts[1] + "." + base64url_encode("short");
  EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::bad_signature);
}

// A correctly signed payload must still have the claims' types.
TEST(Jwt, PayloadOfTheWrongShapeIsRefused) {
  auto header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const std::vector<std::string> payloads{
      R"([1,2])",
      R"({"name":"Ada","iat":1700000000,"exp":1700003600})",
      R"({"sub":42,"name":"Ada","iat":1700000000,"exp":1700003600})",
      R"({"sub":"","name":"Ada","iat":1700000000,"exp":1700003600})",
      R"({"sub":"42","iat":1700000000,"exp":1700003600})",
      R"({"sub":"42","name":"Ada","iat":"1700000000","exp":1700003600})",
      R"({"sub":"42","name":"Ada","iat":1700000000,"exp":1.7e9})",
      R"({"sub":"42","name":"Ada","iat":1700000000})",
      "not json",
  };
  for (const std::string& p : payloads) {
    // Signed with the right secret (HMAC-SHA256 over the signing input, as sign_jwt
    // does), so only the payload is at fault.
    std::string signing_input = header + "." + base64url_encode(p);
    unsigned char mac[32];
    std::size_t len = 0;
    ASSERT_TRUE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, kSecret.data(), kSecret.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
                          sizeof mac, &len));
    std::string token =
        signing_input + "." + base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), len));
    EXPECT_EQ(decode_jwt(token, kSecret, kNow).error(), AuthErrc::malformed_token) << p;
  }
}

}  // namespace
}  // namespace pair::auth
