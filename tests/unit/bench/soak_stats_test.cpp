// The soak scenario's verdict arithmetic (bench/src/soak_stats.h): the least-squares slope
// of the RSS series, sampling a series at a time, the peak, and the fd verdict.
#include "soak_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace roost::bench {
namespace {

TEST(SoakStats, SlopeOfAnExactLine) {
  std::vector<Sample> s;
  for (int i = 0; i <= 60; ++i) s.push_back({static_cast<double>(i), 1000.0 + 2.5 * i});
  auto slope = least_squares_slope(s, 0, 60);
  ASSERT_TRUE(slope);
  EXPECT_NEAR(*slope, 2.5, 1e-9);
}

TEST(SoakStats, SlopeIgnoresSamplesOutsideTheRange) {
  // A steep warm-up, then flat: only the flat part is fitted.
  std::vector<Sample> s;
  for (int i = 0; i < 10; ++i) s.push_back({static_cast<double>(i), 100.0 * i});
  for (int i = 10; i <= 100; ++i) s.push_back({static_cast<double>(i), 5000.0});
  auto slope = least_squares_slope(s, 10, 100);
  ASSERT_TRUE(slope);
  EXPECT_NEAR(*slope, 0.0, 1e-9);
}

TEST(SoakStats, SlopeOfNoisyFlatSeriesIsNearZero) {
  // Alternating noise of ±50 KB around a flat line: the fit stays near zero, not ±50.
  std::vector<Sample> s;
  for (int i = 0; i <= 600; ++i) s.push_back({static_cast<double>(i), 80000.0 + ((i % 2) ? 50.0 : -50.0)});
  auto slope = least_squares_slope(s, 0, 600);
  ASSERT_TRUE(slope);
  EXPECT_LT(std::fabs(*slope * 60.0), 1.0);  // KB per minute
}

TEST(SoakStats, SlopeMatchesTheClosedFormOnUnevenSamples) {
  // Points (0,1), (1,3), (3,4), (6,10): slope = Σ(t−t̄)(v−v̄) / Σ(t−t̄)² with t̄ = 2.5, v̄ = 4.5.
  std::vector<Sample> s{{0, 1}, {1, 3}, {3, 4}, {6, 10}};
  auto slope = least_squares_slope(s, 0, 6);
  ASSERT_TRUE(slope);
  const double stv = (-2.5 * -3.5) + (-1.5 * -1.5) + (0.5 * -0.5) + (3.5 * 5.5);
  const double stt = 6.25 + 2.25 + 0.25 + 12.25;
  EXPECT_NEAR(*slope, stv / stt, 1e-12);
}

TEST(SoakStats, NoSlopeWithoutTwoDistinctTimes) {
  EXPECT_FALSE(least_squares_slope({}, 0, 10));
  EXPECT_FALSE(least_squares_slope({{1, 5}}, 0, 10));
  EXPECT_FALSE(least_squares_slope({{1, 5}, {1, 7}}, 0, 10));
  EXPECT_FALSE(least_squares_slope({{1, 5}, {20, 7}}, 0, 10));  // one of them outside
}

TEST(SoakStats, ValueAtTakesTheFirstSampleAtOrAfter) {
  std::vector<Sample> s{{0, 10}, {1, 20}, {2, 30}};
  EXPECT_EQ(value_at(s, 0.5), 20);
  EXPECT_EQ(value_at(s, 2), 30);
  EXPECT_EQ(value_at(s, 9), 30);  // past the end: the last
  EXPECT_FALSE(value_at({}, 1));
  EXPECT_EQ(peak(s), 30);
  EXPECT_EQ(peak({}), 0);
}

TEST(SoakStats, FdVerdictAllowsTheTolerance) {
  EXPECT_TRUE((FdVerdict{20, 10020, 20, 4}).pass());
  EXPECT_TRUE((FdVerdict{20, 10020, 24, 4}).pass());
  EXPECT_FALSE((FdVerdict{20, 10020, 25, 4}).pass());
  EXPECT_TRUE((FdVerdict{20, 10020, 18, 0}).pass());
}

}  // namespace
}  // namespace roost::bench
