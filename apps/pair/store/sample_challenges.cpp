// Role: the text of the sample challenges (see sample_challenges.h).
// Thread affinity: none. Ownership: static storage.
#include "store/sample_challenges.h"

#include <array>

namespace pair::store {
namespace {

constexpr std::array kSamples{
    SampleChallenge{
        "FizzBuzz",
        "Print the numbers from 1 to 100. For multiples of three print \"Fizz\" instead of the number, for "
        "multiples of five print \"Buzz\", and for multiples of both print \"FizzBuzz\".",
        "javascript",
        "function fizzBuzz(n) {\n  const out = [];\n  for (let i = 1; i <= n; i++) {\n    // your code here\n  }\n"
        "  return out;\n}\n\nconsole.log(fizzBuzz(100).join(\"\\n\"));\n",
    },
    SampleChallenge{
        "Two Sum",
        "Given an array of integers `nums` and an integer `target`, return the indices of the two numbers that add "
        "up to `target`. Each input has exactly one solution, and you may not use the same element twice.",
        "python",
        "def two_sum(nums, target):\n    # your code here\n    pass\n\n\nprint(two_sum([2, 7, 11, 15], 9))  # [0, 1]\n",
    },
    SampleChallenge{
        "Reverse a linked list",
        "Given the head of a singly linked list, reverse the list in place and return the new head.",
        "javascript",
        "class Node {\n  constructor(value, next = null) {\n    this.value = value;\n    this.next = next;\n  }\n}\n\n"
        "function reverse(head) {\n  // your code here\n}\n",
    },
    SampleChallenge{
        "Valid parentheses",
        "Given a string containing only the characters '(', ')', '{', '}', '[' and ']', decide whether it is valid: "
        "every opening bracket is closed by the same kind of bracket, in the right order.",
        "python",
        "def is_valid(s: str) -> bool:\n    # your code here\n    pass\n\n\nassert is_valid(\"()[]{}\")\n"
        "assert not is_valid(\"(]\")\n",
    },
};

}  // namespace

std::span<const SampleChallenge> sample_challenges() noexcept { return kSamples; }

}  // namespace pair::store
