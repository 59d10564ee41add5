// parse_redis_url: the accepted forms, their defaults and canonical text, and a clear
// error for each kind of bad URL.
#include "roost/cluster/redis_url.h"

#include <gtest/gtest.h>

#include <ostream>

#include "roost/cluster/errors.h"

namespace {

using roost::cluster::ClusterError;
using roost::cluster::parse_redis_url;
using roost::cluster::RedisUrl;

TEST(RedisUrl, HostAloneTakesTheDefaultPortAndDatabase) {
  auto url = parse_redis_url("redis://cache.internal");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, (RedisUrl{"cache.internal", 6379, 0}));
  EXPECT_EQ(url->to_string(), "redis://cache.internal:6379");
}

TEST(RedisUrl, PortAndDatabase) {
  auto url = parse_redis_url("redis://127.0.0.1:7000/3");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, (RedisUrl{"127.0.0.1", 7000, 3}));
  EXPECT_EQ(url->to_string(), "redis://127.0.0.1:7000/3");
}

TEST(RedisUrl, TrailingSlashIsDatabaseZeroAndTheSchemeIsCaseInsensitive) {
  auto url = parse_redis_url("REDIS://h:1/");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, (RedisUrl{"h", 1, 0}));
}

TEST(RedisUrl, BracketedIpv6) {
  auto url = parse_redis_url("redis://[::1]:6380");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, (RedisUrl{"::1", 6380, 0}));
  EXPECT_EQ(url->to_string(), "redis://[::1]:6380");
  auto bare = parse_redis_url("redis://[fe80::1]");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, 6379);
}

struct Bad {
  const char* text;
  ClusterError error;
  friend void PrintTo(const Bad& b, std::ostream* os) { *os << '"' << b.text << '"'; }
};

class RedisUrlBad : public ::testing::TestWithParam<Bad> {};

TEST_P(RedisUrlBad, IsRefusedWithItsReason) {
  auto url = parse_redis_url(GetParam().text);
  ASSERT_FALSE(url) << GetParam().text;
  EXPECT_EQ(url.error(), roost::cluster::make_error_code(GetParam().error)) << GetParam().text;
  EXPECT_FALSE(url.error().message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RedisUrlBad,
    ::testing::Values(Bad{"", ClusterError::url_scheme}, Bad{"127.0.0.1:6379", ClusterError::url_scheme},
                      Bad{"http://h:1", ClusterError::url_scheme}, Bad{"rediss://h:1", ClusterError::url_scheme},
                      Bad{"redis://", ClusterError::url_host}, Bad{"redis://:6379", ClusterError::url_host},
                      Bad{"redis://h st", ClusterError::url_host}, Bad{"redis://[::1", ClusterError::url_host},
                      Bad{"redis://[]:1", ClusterError::url_host}, Bad{"redis://[::1]x", ClusterError::url_host},
                      Bad{"redis://[zz]:1", ClusterError::url_host}, Bad{"redis://h:", ClusterError::url_port},
                      Bad{"redis://h:0", ClusterError::url_port}, Bad{"redis://h:65536", ClusterError::url_port},
                      Bad{"redis://h:+1", ClusterError::url_port}, Bad{"redis://h:1a", ClusterError::url_port},
                      Bad{"redis://[::1]:", ClusterError::url_port}, Bad{"redis://h:1/x", ClusterError::url_db},
                      Bad{"redis://h:1/-1", ClusterError::url_db}, Bad{"redis://h:1/1/2", ClusterError::url_db},
                      Bad{"redis://h:1/70000", ClusterError::url_db},
                      Bad{"redis://:pw@h:1", ClusterError::url_unsupported},
                      Bad{"redis://user:pw@h", ClusterError::url_unsupported},
                      Bad{"redis://h:1?timeout=3", ClusterError::url_unsupported},
                      Bad{"redis://h#x", ClusterError::url_unsupported}));

}  // namespace
