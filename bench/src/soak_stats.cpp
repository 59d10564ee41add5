#include "soak_stats.h"

#include <algorithm>

namespace roost::bench {

std::optional<double> least_squares_slope(const std::vector<Sample>& samples, double from, double to) {
  // Centred sums: subtracting the means first keeps the products small, so RSS in KB over
  // minutes of seconds loses no precision.
  double n = 0, mean_t = 0, mean_v = 0;
  for (const Sample& s : samples) {
    if (s.t < from || s.t > to) continue;
    n += 1;
    mean_t += s.t;
    mean_v += s.value;
  }
  if (n < 2) return std::nullopt;
  mean_t /= n;
  mean_v /= n;
  double stt = 0, stv = 0;
  for (const Sample& s : samples) {
    if (s.t < from || s.t > to) continue;
    stt += (s.t - mean_t) * (s.t - mean_t);
    stv += (s.t - mean_t) * (s.value - mean_v);
  }
  if (stt <= 0) return std::nullopt;
  return stv / stt;
}

std::optional<double> value_at(const std::vector<Sample>& samples, double t) {
  if (samples.empty()) return std::nullopt;
  for (const Sample& s : samples)
    if (s.t >= t) return s.value;
  return samples.back().value;
}

double peak(const std::vector<Sample>& samples) {
  double m = 0;
  for (const Sample& s : samples) m = std::max(m, s.value);
  return m;
}

}  // namespace roost::bench
