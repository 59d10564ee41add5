#include "roost/websocket/mask.h"

#include <gtest/gtest.h>

#include <string>

namespace roost::websocket {
namespace {

std::string reference_mask(std::string data, const MaskKey& key, std::size_t phase) {
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>(data[i] ^ key[(i + phase) % 4]);
  return data;
}

TEST(Mask, MatchesBytewiseReferenceForEveryLengthAndAlignment) {
  const MaskKey key = {0x37, 0xfa, 0x21, 0x3d};
  std::string source;
  for (int i = 0; i < 64; ++i) source.push_back(static_cast<char>(i * 7 + 3));
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t len = 0; len + offset <= source.size(); ++len) {
      std::string data = source;
      MaskKey k = key;
      apply_mask({data.data() + offset, len}, k);
      EXPECT_EQ(data.substr(offset, len), reference_mask(source.substr(offset, len), key, 0))
          << "offset " << offset << " len " << len;
      EXPECT_EQ(data.substr(0, offset), source.substr(0, offset));  // bytes outside untouched
      EXPECT_EQ(data.substr(offset + len), source.substr(offset + len));
    }
  }
}

TEST(Mask, PiecewiseMaskingEqualsWholeMasking) {
  const MaskKey key = {0x01, 0x80, 0xFF, 0x5A};
  const std::string source = "The quick brown fox jumps over the lazy dog, twice over.";
  const std::string whole = reference_mask(source, key, 0);
  for (std::size_t a = 0; a <= source.size(); ++a) {
    for (std::size_t b = a; b <= source.size(); b += 3) {
      std::string data = source;
      MaskKey k = key;
      apply_mask({data.data(), a}, k);
      apply_mask({data.data() + a, b - a}, k);
      apply_mask({data.data() + b, data.size() - b}, k);
      ASSERT_EQ(data, whole) << a << "," << b;
    }
  }
}

TEST(Mask, MaskingTwiceRestores) {
  const MaskKey key = {9, 8, 7, 6};
  const std::string source(1001, 'q');
  std::string data = source;
  MaskKey k1 = key, k2 = key;
  apply_mask(data, k1);
  EXPECT_NE(data, source);
  apply_mask(data, k2);
  EXPECT_EQ(data, source);
}

}  // namespace
}  // namespace roost::websocket
