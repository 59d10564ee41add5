// Role: the arithmetic of the soak scenario's verdicts, kept pure so it is unit-tested
// (tests/unit/bench/soak_stats_test.cpp): the least-squares slope of a sampled series (the
// server's RSS after warm-up, reported in KB per minute), the values of a series at given
// times, and whether the server's open file descriptors came back to their baseline.
// Thread affinity: none (pure functions). Ownership: values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace roost::bench {

// One sample of a series: seconds since some origin, and the value then.
struct Sample {
  double t = 0;
  double value = 0;
};

// The slope (value units per second) of the ordinary least-squares line through the
// samples with from <= t <= to. Nothing if fewer than two samples fall there or they all
// share one time.
std::optional<double> least_squares_slope(const std::vector<Sample>& samples, double from, double to);

// The value of the first sample at or after t (the last one if none is): what the series
// read at that moment. Nothing for an empty series.
std::optional<double> value_at(const std::vector<Sample>& samples, double t);

// The largest value of the series (0 when empty).
double peak(const std::vector<Sample>& samples);

// File descriptors are back when `after` is at most `tolerance` above `baseline` (a few
// may stay open for reasons of their own: a log file rotated, an epoll set grown).
struct FdVerdict {
  std::int64_t baseline = 0, peak = 0, after = 0, tolerance = 0;
  bool pass() const noexcept { return after <= baseline + tolerance; }
};

}  // namespace roost::bench
