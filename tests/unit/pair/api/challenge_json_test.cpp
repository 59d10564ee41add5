// The JSON shape of a challenge and a user as clients see it.
#include "api/challenge_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pair::api {
namespace {

TEST(ChallengeJson, TimesAreIso8601Utc) {
  EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_utc(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(iso8601_utc(951'782'400'000), "2000-02-29T00:00:00.000Z");
}

TEST(ChallengeJson, HasEveryField) {
  store::Challenge c{7, "T", "P", "R", "python", 3, 1'700'000'000'000, 1'700'000'001'000};
  auto j = challenge_json(c);
  EXPECT_EQ(boost::json::serialize(j),
            R"({"id":7,"title":"T","prompt":"P","response":"R","language":"python","version":3,)"
            R"("inserted_at":"2023-11-14T22:13:20.000Z","updated_at":"2023-11-14T22:13:21.000Z"})");
}

TEST(ChallengeJson, UserNeverShowsTheHash) {
  store::User u{5, "Ada", "ada@example.com", "$argon2id$secret", 0};
  auto j = user_json(u);
  EXPECT_EQ(boost::json::serialize(j), R"({"id":5,"first_name":"Ada","email":"ada@example.com"})");
}

}  // namespace
}  // namespace pair::api
