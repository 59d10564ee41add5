// Role: the classic challenges a new Pair installation starts with, so a first user
// has something to open. Both backends insert them when the challenges table is empty.
// Thread affinity: none (constant data). Ownership: static storage.
#pragma once

#include <span>
#include <string_view>

namespace pair::store {

struct SampleChallenge {
  std::string_view title;
  std::string_view prompt;
  std::string_view language;
  std::string_view response;  // the starter code
};

std::span<const SampleChallenge> sample_challenges() noexcept;

}  // namespace pair::store
