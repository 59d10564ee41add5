// What the API accepts as challenge fields, and how a challenge path names its id.
#include "api/challenge_input.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pair::api {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

TEST(ChallengeInput, NewChallengeWithDefaults) {
  auto r = parse_new_challenge(obj(R"({"title":"Sum","prompt":"Add"})"));
  ASSERT_TRUE(std::holds_alternative<NewChallenge>(r));
  auto& c = std::get<NewChallenge>(r);
  EXPECT_EQ(c.title, "Sum");
  EXPECT_EQ(c.prompt, "Add");
  EXPECT_EQ(c.language, "plaintext");
  EXPECT_EQ(c.response, "");
}

TEST(ChallengeInput, NewChallengeNormalisesLineBreaks) {
  auto r = parse_new_challenge(obj(R"({"title":"T","prompt":"P","language":"c++","response":"a\r\nb\rc\n"})"));
  ASSERT_TRUE(std::holds_alternative<NewChallenge>(r));
  EXPECT_EQ(std::get<NewChallenge>(r).response, "a\nb\nc\n");
  EXPECT_EQ(std::get<NewChallenge>(r).language, "c++");
}

TEST(ChallengeInput, NewChallengeReportsEveryBadField) {
  auto r = parse_new_challenge(obj(R"({"title":"  ","prompt":5,"language":"Has Space","response":[]})"));
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(r));
  auto& e = std::get<FieldErrors>(r);
  EXPECT_EQ(e.at("title"), "can't be blank");
  EXPECT_EQ(e.at("prompt"), "must be a string");
  EXPECT_EQ(e.at("response"), "must be a string");
  EXPECT_TRUE(e.contains("language"));
}

TEST(ChallengeInput, NewChallengeNeedsTitleAndPrompt) {
  auto r = parse_new_challenge(obj("{}"));
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(r));
  EXPECT_TRUE(std::get<FieldErrors>(r).contains("title"));
  EXPECT_TRUE(std::get<FieldErrors>(r).contains("prompt"));
}

TEST(ChallengeInput, Limits) {
  json::object big{{"title", std::string(201, 't')}, {"prompt", std::string(64 * 1024 + 1, 'p')},
                   {"response", std::string(256 * 1024 + 1, 'r')}};
  auto r = parse_new_challenge(big);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(r));
  auto& e = std::get<FieldErrors>(r);
  EXPECT_EQ(e.at("title"), "must be at most 200 characters");
  EXPECT_EQ(e.at("prompt"), "must be at most 64 KiB");
  EXPECT_EQ(e.at("response"), "must be at most 256 KiB");

  json::object at_limit{{"title", std::string(200, 't')}, {"prompt", std::string(64 * 1024, 'p')},
                        {"response", std::string(256 * 1024, 'r')}};
  EXPECT_TRUE(std::holds_alternative<NewChallenge>(parse_new_challenge(at_limit)));
}

TEST(ChallengeInput, NulIsRefused) {
  auto r = parse_new_challenge(obj(R"({"title":"a\u0000b","prompt":"P","response":"x\u0000"})"));
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(r));
  EXPECT_TRUE(std::get<FieldErrors>(r).contains("title"));
  EXPECT_TRUE(std::get<FieldErrors>(r).contains("response"));
}

TEST(ChallengeInput, PatchTakesOnlyWhatIsThere) {
  auto r = parse_challenge_patch(obj(R"({"title":"New"})"));
  ASSERT_TRUE(std::holds_alternative<ChallengePatch>(r));
  auto& p = std::get<ChallengePatch>(r);
  EXPECT_EQ(p.edit.title, "New");
  EXPECT_FALSE(p.edit.prompt);
  EXPECT_FALSE(p.edit.language);
  EXPECT_FALSE(p.response);
  EXPECT_TRUE(p.edits_fields());

  auto only_response = parse_challenge_patch(obj(R"({"response":"x\r\n"})"));
  ASSERT_TRUE(std::holds_alternative<ChallengePatch>(only_response));
  EXPECT_FALSE(std::get<ChallengePatch>(only_response).edits_fields());
  EXPECT_EQ(std::get<ChallengePatch>(only_response).response, "x\n");

  auto empty = parse_challenge_patch(obj("{}"));
  ASSERT_TRUE(std::holds_alternative<ChallengePatch>(empty));
  EXPECT_FALSE(std::get<ChallengePatch>(empty).edits_fields());

  auto bad = parse_challenge_patch(obj(R"({"title":""})"));
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad));
}

TEST(ChallengeInput, IdFromPath) {
  constexpr std::string_view prefix = "/api/challenges/";
  EXPECT_EQ(challenge_id_from_path("/api/challenges/42", prefix), 42);
  EXPECT_EQ(challenge_id_from_path("/api/challenges/999999999999999999", prefix), 999999999999999999);
  for (std::string_view bad : {"/api/challenges/", "/api/challenges/0", "/api/challenges/042", "/api/challenges/-1",
                               "/api/challenges/+1", "/api/challenges/1/x", "/api/challenges/1a",
                               "/api/challenges/9999999999999999999", "/api/other/1"})
    EXPECT_FALSE(challenge_id_from_path(bad, prefix)) << bad;
}

}  // namespace
}  // namespace pair::api
