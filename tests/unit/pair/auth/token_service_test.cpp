// TokenService: issue/verify with a manual clock, expiry after the TTL, and the
// Authorization header parsing of the API.
#include "auth/token_service.h"

#include <gtest/gtest.h>

#include "auth/auth_errors.h"
#include "roost/core/errors.h"

namespace pair::auth {
namespace {

TEST(TokenService, IssuedTokenNamesTheUser) {
  std::int64_t now = 1'700'000'000;
  TokenService tokens("0123456789abcdef0123456789abcdef", std::chrono::seconds(60), [&] { return now; });
  std::string token = tokens.issue(7, "Grace");
  auto user = tokens.verify(token);
  ASSERT_TRUE(user) << user.error().message();
  EXPECT_EQ(user->id, 7);
  EXPECT_EQ(user->first_name, "Grace");
}

TEST(TokenService, TokenExpiresAfterItsTtl) {
  std::int64_t now = 1'700'000'000;
  TokenService tokens("0123456789abcdef0123456789abcdef", std::chrono::seconds(60), [&] { return now; });
  std::string token = tokens.issue(7, "Grace");
  now += 59;
  EXPECT_TRUE(tokens.verify(token));
  now += 1;
  EXPECT_EQ(tokens.verify(token).error(), AuthErrc::expired);
}

TEST(TokenService, DefaultLifetimeIsFourteenDays) {
  std::int64_t now = 1'700'000'000;
  TokenService tokens("0123456789abcdef0123456789abcdef", TokenService::kDefaultTtl, [&] { return now; });
  std::string token = tokens.issue(1, "A");
  now += 14 * 24 * 3600 - 1;
  EXPECT_TRUE(tokens.verify(token));
  now += 1;
  EXPECT_FALSE(tokens.verify(token));
}

TEST(TokenService, AnotherServersTokenIsRefused) {
  TokenService ours("0123456789abcdef0123456789abcdef");
  TokenService theirs("fedcba9876543210fedcba9876543210");
  EXPECT_EQ(ours.verify(theirs.issue(1, "A")).error(), AuthErrc::bad_signature);
  EXPECT_EQ(ours.verify("").error(), AuthErrc::malformed_token);
}

TEST(TokenService, RefusalsAreTheAuthCondition) {
  TokenService tokens("0123456789abcdef0123456789abcdef");
  auto r = tokens.verify("x.y.z");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), roost::Condition::auth);
  EXPECT_NE(std::error_code(AuthErrc::secret_unavailable), roost::Condition::auth) << "a server fault, not the client's";
}

TEST(BearerToken, ParsesTheAuthorizationHeader) {
  EXPECT_EQ(bearer_token("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(bearer_token("bearer abc"), "abc");
  EXPECT_EQ(bearer_token("BEARER   abc  "), "abc");
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token("Bearerabc"), "");
  EXPECT_EQ(bearer_token(""), "");
}

}  // namespace
}  // namespace pair::auth
