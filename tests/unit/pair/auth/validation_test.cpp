// Sign-up rules: password 8–1024 characters, email shape, first_name 1–100 characters.
#include "auth/validation.h"

#include <gtest/gtest.h>

namespace pair::auth {
namespace {

TEST(Validation, AcceptsAGoodSignup) {
  EXPECT_TRUE(validate_signup("Ada", "ada@example.com", "12345678").empty());
}

TEST(Validation, PasswordLengthBounds) {
  EXPECT_EQ(validate_signup("Ada", "ada@example.com", "1234567").at("password"), "must be at least 8 characters");
  EXPECT_FALSE(validate_signup("Ada", "ada@example.com", "").empty());
  EXPECT_TRUE(validate_signup("Ada", "ada@example.com", std::string(1024, 'p')).empty());
  EXPECT_EQ(validate_signup("Ada", "ada@example.com", std::string(1025, 'p')).at("password"),
            "must be at most 1024 characters");
  // Characters, not bytes: eight two-byte letters are long enough.
  EXPECT_TRUE(validate_signup("Ada", "ada@example.com", "éééééééé").empty());
  EXPECT_FALSE(validate_signup("Ada", "ada@example.com", "ééééééé").empty());
}

TEST(Validation, EmailShape) {
  for (std::string_view ok : {"a@b.co", "first.last+tag@sub.example.org", "x@localhost.localdomain"})
    EXPECT_TRUE(email_shape_ok(ok)) << ok;
  for (std::string_view bad : {"", "plain", "@example.com", "a@", "a@b", "a@.com", "a@b.", "a@@b.com", "a b@c.com",
                               "a@b..com", "a@b.com\n"})
    EXPECT_FALSE(email_shape_ok(bad)) << bad;
  EXPECT_FALSE(email_shape_ok(std::string(250, 'a') + "@b.com")) << "over 254 bytes";
  EXPECT_EQ(validate_signup("Ada", "nope", "12345678").at("email"), "must look like name@example.com");
}

TEST(Validation, FirstNameBounds) {
  EXPECT_EQ(validate_signup("", "a@b.co", "12345678").at("first_name"), "can't be blank");
  EXPECT_EQ(validate_signup("   ", "a@b.co", "12345678").at("first_name"), "can't be blank");
  EXPECT_TRUE(validate_signup(std::string(100, 'n'), "a@b.co", "12345678").empty());
  EXPECT_EQ(validate_signup(std::string(101, 'n'), "a@b.co", "12345678").at("first_name"),
            "must be at most 100 characters");
}

TEST(Validation, ReportsEveryFieldAtOnce) {
  auto errors = validate_signup("", "bad", "short");
  EXPECT_EQ(errors.size(), 3u);
}

}  // namespace
}  // namespace pair::auth
