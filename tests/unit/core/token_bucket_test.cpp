#include "roost/core/token_bucket.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using roost::TokenBucket;

namespace {

TokenBucket::Clock::time_point at(std::chrono::milliseconds ms) { return TokenBucket::Clock::time_point{} + 1h + ms; }

TEST(TokenBucket, AllowsTheBurstThenRefusesUntilTimeRefills) {
  TokenBucket bucket(10, 20);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(bucket.take(at(0ms))) << i;
  EXPECT_FALSE(bucket.take(at(0ms)));
  EXPECT_FALSE(bucket.take(at(50ms)));  // half a token
  EXPECT_TRUE(bucket.take(at(100ms)));  // one token per 100 ms at 10/s
  EXPECT_FALSE(bucket.take(at(100ms)));
}

TEST(TokenBucket, SustainsItsRateIndefinitely) {
  TokenBucket bucket(100, 100);
  int taken = 0;
  for (int ms = 0; ms < 10'000; ++ms)
    if (bucket.take(at(std::chrono::milliseconds(ms)))) ++taken;
  // 100 from the initial burst plus 100 per second for ~10 s.
  EXPECT_GE(taken, 1090);
  EXPECT_LE(taken, 1101);
}

TEST(TokenBucket, RefillIsCappedAtTheBurst) {
  TokenBucket bucket(10, 5);  // burst below the rate is raised to the rate
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(bucket.take(at(0ms)));
  EXPECT_FALSE(bucket.take(at(0ms)));
  int after_long_idle = 0;
  while (bucket.take(at(1h))) ++after_long_idle;
  EXPECT_EQ(after_long_idle, 10);
}

TEST(TokenBucket, ZeroRateMeansUnlimited) {
  TokenBucket bucket(0, 0);
  EXPECT_FALSE(bucket.limited());
  for (int i = 0; i < 100'000; ++i) ASSERT_TRUE(bucket.take(at(0ms)));
  EXPECT_TRUE(TokenBucket(1, 1).limited());
}

}  // namespace
