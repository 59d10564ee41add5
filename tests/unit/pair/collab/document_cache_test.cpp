// Unit tests of DocumentCache: newest version wins, least recently used entries go.
#include "collab/document_cache.h"

#include <gtest/gtest.h>

namespace pair::collab {
namespace {

DocumentCache::Entry entry(std::int64_t version, std::string text) {
  return {version, std::make_shared<const std::string>(std::move(text))};
}

TEST(DocumentCache, KeepsTheNewestVersion) {
  DocumentCache cache(4);
  EXPECT_FALSE(cache.get(1));
  cache.put(1, entry(3, "three"));
  cache.put(1, entry(2, "two"));  // older: ignored
  EXPECT_EQ(cache.get(1)->version, 3);
  EXPECT_EQ(*cache.get(1)->text, "three");
  cache.put(1, entry(5, "five"));
  EXPECT_EQ(*cache.get(1)->text, "five");
  cache.erase(1);
  EXPECT_FALSE(cache.get(1));
  cache.erase(1);  // erasing what is not there is harmless
}

TEST(DocumentCache, DropsTheLeastRecentlyUsed) {
  DocumentCache cache(2);
  cache.put(1, entry(1, "a"));
  cache.put(2, entry(1, "b"));
  ASSERT_TRUE(cache.get(1));  // 1 is now the most recent
  cache.put(3, entry(1, "c"));
  EXPECT_TRUE(cache.get(1));
  EXPECT_FALSE(cache.get(2));
  EXPECT_TRUE(cache.get(3));
}

}  // namespace
}  // namespace pair::collab
