// socket_origin_policy: Pair's socket checks origins unless told not to.
#include "app/origin_policy.h"

#include <gtest/gtest.h>

namespace {

using Mode = roost::proto::OriginPolicy::Mode;
using roost::proto::origin_allowed;

TEST(SocketOriginPolicy, DefaultsToTheServersOwnOrigin) {
  auto policy = pair::app::socket_origin_policy({});
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->mode, Mode::same_as_request);
  EXPECT_TRUE(origin_allowed(*policy, "http://localhost:4000", "http", "localhost", 4000));
  EXPECT_FALSE(origin_allowed(*policy, "http://evil.example:4000", "http", "localhost", 4000));
  EXPECT_FALSE(origin_allowed(*policy, "http://localhost:5173", "http", "localhost", 4000));
  EXPECT_TRUE(origin_allowed(*policy, std::nullopt, "http", "localhost", 4000)) << "non-browser clients send none";
}

TEST(SocketOriginPolicy, ConfiguredOriginsReplaceTheDefault) {
  pair::app::PairConfig config;
  config.allowed_origins = {"https://pair.example.com", "//*.example.org"};
  auto policy = pair::app::socket_origin_policy(config);
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->mode, Mode::list);
  EXPECT_TRUE(origin_allowed(*policy, "https://pair.example.com", "http", "10.0.0.5", 4000));
  EXPECT_TRUE(origin_allowed(*policy, "http://a.example.org:8080", "http", "10.0.0.5", 4000));
  EXPECT_FALSE(origin_allowed(*policy, "http://pair.example.com", "http", "10.0.0.5", 4000)) << "https only";
  EXPECT_FALSE(origin_allowed(*policy, "http://10.0.0.5:4000", "http", "10.0.0.5", 4000));
}

TEST(SocketOriginPolicy, AnyOriginTurnsTheCheckOff) {
  pair::app::PairConfig config;
  config.any_origin = true;
  config.allowed_origins = {"https://ignored.example"};
  auto policy = pair::app::socket_origin_policy(config);
  ASSERT_TRUE(policy);
  EXPECT_TRUE(origin_allowed(*policy, "http://anything.example", "http", "localhost", 4000));
}

TEST(SocketOriginPolicy, AnOriginWithoutAHostIsAnError) {
  pair::app::PairConfig config;
  config.allowed_origins = {"pair.example.com"};
  EXPECT_FALSE(pair::app::socket_origin_policy(config));
}

}  // namespace
