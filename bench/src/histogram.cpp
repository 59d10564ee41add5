#include "histogram.h"

#include <bit>
#include <charconv>
#include <cmath>

namespace roost::bench {

namespace {
constexpr std::uint64_t kSub = 1u << Histogram::kSubBits;
}

std::size_t Histogram::index_of(std::uint64_t v) noexcept {
  if (v < 2 * kSub) return static_cast<std::size_t>(v);
  const int msb = 63 - std::countl_zero(v);
  const int shift = msb - kSubBits;  // >= 1: keeps v >> shift in [64, 128)
  return static_cast<std::size_t>(shift) * kSub + static_cast<std::size_t>(v >> shift);
}

std::uint64_t Histogram::lower_bound(std::size_t index) noexcept {
  if (index < 2 * kSub) return index;
  const std::size_t shift = index / kSub - 1;
  return static_cast<std::uint64_t>(index - shift * kSub) << shift;
}

void Histogram::record(std::int64_t value) noexcept {
  const std::uint64_t v = value < 0 ? 0 : static_cast<std::uint64_t>(value);
  ++buckets_[index_of(v)];
  ++count_;
  sum_ += static_cast<long double>(v);
  if (static_cast<std::int64_t>(v) > max_) max_ = static_cast<std::int64_t>(v);
}

void Histogram::merge(const Histogram& other) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  if (other.max_ > max_) max_ = other.max_;
}

void Histogram::clear() noexcept {
  buckets_.fill(0);
  count_ = 0;
  max_ = 0;
  sum_ = 0;
}

double Histogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::int64_t Histogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  auto target = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (target == 0) target = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= target) {
      const std::uint64_t lo = lower_bound(i);
      const std::uint64_t hi = i + 1 < kBuckets ? lower_bound(i + 1) : lo + 1;
      const auto mid = static_cast<std::int64_t>(lo + (hi - lo) / 2);
      return mid < max_ ? mid : max_;
    }
  }
  return max_;
}

std::string Histogram::encode() const {
  std::string out = std::to_string(count_) + "/" + std::to_string(static_cast<long long>(sum_)) +
                    "/" + std::to_string(max_) + "/";
  bool first = true;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (buckets_[i] == 0) continue;
    if (!first) out += ',';
    first = false;
    out += std::to_string(i);
    out += ':';
    out += std::to_string(buckets_[i]);
  }
  return out;
}

namespace {
template <typename T>
bool take_number(std::string_view& s, T& out, char stop) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{}) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  if (s.empty()) return true;
  if (s.front() != stop) return false;
  s.remove_prefix(1);
  return true;
}
}  // namespace

bool Histogram::decode(std::string_view text) {
  clear();
  long long sum = 0;
  if (!take_number(text, count_, '/') || !take_number(text, sum, '/') || !take_number(text, max_, '/'))
    return false;
  sum_ = static_cast<long double>(sum);
  while (!text.empty()) {
    std::size_t index = 0;
    std::uint64_t n = 0;
    if (!take_number(text, index, ':') || !take_number(text, n, ',') || index >= kBuckets) return false;
    buckets_[index] += n;
  }
  return true;
}

}  // namespace roost::bench
