// PasswordHasher: argon2id PHC strings that verify the right password only.
#include "auth/password.h"

#include <gtest/gtest.h>

namespace pair::auth {
namespace {

const PasswordHasher& hasher() {
  static const PasswordHasher h;  // computing the dummy hash costs one hash: do it once
  return h;
}

TEST(PasswordHasher, HashVerifiesTheRightPasswordOnly) {
  auto hash = hasher().hash("correct horse battery");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos) << "the password is not in the hash";
  EXPECT_TRUE(hasher().verify(*hash, "correct horse battery"));
  EXPECT_FALSE(hasher().verify(*hash, "correct horse batterz"));
  EXPECT_FALSE(hasher().verify(*hash, ""));
}

TEST(PasswordHasher, SaltsEveryHash) {
  auto a = hasher().hash("same password");
  auto b = hasher().hash("same password");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(hasher().verify(*b, "same password"));
}

TEST(PasswordHasher, GarbageHashNeverVerifies) {
  EXPECT_FALSE(hasher().verify("", "x"));
  EXPECT_FALSE(hasher().verify("$argon2id$nonsense", "x"));
  EXPECT_FALSE(hasher().verify(std::string(1000, 'a'), "x"));
}

TEST(PasswordHasher, UnknownUserAlwaysFailsButStillVerifies) {
  EXPECT_FALSE(hasher().verify_or_dummy(std::nullopt, "anything at all"));
  auto hash = hasher().hash("secret-password");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hasher().verify_or_dummy(*hash, "secret-password"));
  EXPECT_FALSE(hasher().verify_or_dummy(*hash, "other-password"));
}

}  // namespace
}  // namespace pair::auth
