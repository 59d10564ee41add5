// Role: a log-bucketed latency histogram (HDR-like: 64 linear sub-buckets per power of two,
// so a reported value is within ~1.6% of the recorded one). Recording is an index computation
// and an increment, no allocation. Histograms from several processes merge by addition; they
// travel between processes as sparse "index:count" text.
// Thread affinity: one thread. Ownership: owns its fixed bucket array.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace roost::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr std::size_t kBuckets = (64 - kSubBits) * (1u << kSubBits) + (2u << kSubBits);

  void record(std::int64_t value) noexcept;
  void merge(const Histogram& other) noexcept;
  void clear() noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::int64_t max() const noexcept { return max_; }
  double mean() const noexcept;
  // The value below which a fraction q (0..1) of the recorded values lie (bucket midpoint);
  // q = 1 gives the exact maximum. 0 when empty.
  std::int64_t percentile(double q) const noexcept;

  // "count/sum/max/idx:n,idx:n,..."; parse returns false on malformed text.
  std::string encode() const;
  bool decode(std::string_view text);

 private:
  static std::size_t index_of(std::uint64_t v) noexcept;
  static std::uint64_t lower_bound(std::size_t index) noexcept;

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace roost::bench
