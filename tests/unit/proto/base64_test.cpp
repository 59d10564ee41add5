// Base64 in the standard and URL-safe alphabets (RFC 4648 test vectors).
#include "roost/proto/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace roost::proto {
namespace {

struct Vector {
  std::string_view plain, padded, unpadded;
};

constexpr Vector kRfc4648[] = {
    {"", "", ""},           {"f", "Zg==", "Zg"},           {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"}, {"foob", "Zm9vYg==", "Zm9vYg"}, {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64, EncodesRfcVectors) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base64_encode(v.plain), v.padded);
    EXPECT_EQ(base64_encode(v.plain, false), v.unpadded);
  }
}

TEST(Base64, DecodesPaddedAndUnpadded) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base64_decode(v.padded), std::string(v.plain)) << v.padded;
    EXPECT_EQ(base64_decode(v.unpadded), std::string(v.plain)) << v.unpadded;
  }
  EXPECT_EQ(base64_decode("c2VjcmV0"), "secret");
}

TEST(Base64, UsesTheStandardAlphabet) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(base64_decode("+/+/"), bytes);
  EXPECT_EQ(base64_decode("-_-_"), std::nullopt);
}

TEST(Base64, RejectsInvalidInput) {
  for (std::string_view t : {"Z", "Zm9vY", "Zg=", "Zg===", "Zm9v=", "Zm8==", "=", "==", "Zm=9",
                             "Zm9v Zm9v", "Zm9v\n", "Zm9v!", "Zg==Zg==", "\xc3\xa9"}) {
    EXPECT_EQ(base64_decode(t), std::nullopt) << t;
  }
}

TEST(Base64Url, UnpaddedUrlSafeAlphabet) {
  const std::string bytes("\xfb\xff\xbf\x01", 4);
  EXPECT_EQ(base64url_encode(bytes), "-_-_AQ");
  EXPECT_EQ(base64url_decode("-_-_AQ"), bytes);
  EXPECT_EQ(base64url_decode("-_-_AQ=="), bytes);
  EXPECT_EQ(base64url_decode("+/+/"), std::nullopt);
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
}

TEST(Base64, RandomRoundTrips) {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 70);
  for (int i = 0; i < 1000; ++i) {
    std::string bytes(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(rng));
    const std::string padded = base64_encode(bytes);
    EXPECT_EQ(padded.size() % 4, 0u);
    EXPECT_EQ(base64_decode(padded), bytes);
    EXPECT_EQ(base64_decode(base64_encode(bytes, false)), bytes);
    const std::string url = base64url_encode(bytes);
    EXPECT_EQ(url.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(url), bytes);
  }
}

}  // namespace
}  // namespace roost::proto
