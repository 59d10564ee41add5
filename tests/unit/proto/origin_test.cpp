// Origin checking (protocol.md §1.4; conformance items 5–7, 106).
#include "roost/proto/origin.h"

#include <gtest/gtest.h>

namespace roost::proto {
namespace {

OriginRule rule(std::string_view text) {
  auto r = parse_origin_rule(text);
  EXPECT_TRUE(r.has_value()) << text;
  return r ? *r : OriginRule{};
}

OriginPolicy list_policy(std::initializer_list<std::string_view> rules) {
  OriginPolicy p{.mode = OriginPolicy::Mode::list, .endpoint_host = {}, .allowed = {}};
  for (auto r : rules) p.allowed.push_back(rule(r));
  return p;
}

bool allowed(const OriginPolicy& p, std::optional<std::string_view> origin) {
  return origin_allowed(p, origin, "https", "app.test", 443);
}

TEST(OriginRule, ParsesTheThreeSpecForms) {
  EXPECT_EQ(rule("https://example.com"), (OriginRule{"https", "example.com", 443}));
  EXPECT_EQ(rule("//another.com:888"), (OriginRule{std::nullopt, "another.com", 888}));
  EXPECT_EQ(rule("//*.other.com"), (OriginRule{std::nullopt, "*.other.com", std::nullopt}));
}

TEST(OriginRule, NormalisesCaseAndFillsWellKnownPorts) {
  EXPECT_EQ(rule("HTTP://Example.COM"), (OriginRule{"http", "example.com", 80}));
  EXPECT_EQ(rule("wss://x.test:9000"), (OriginRule{"wss", "x.test", 9000}));
  EXPECT_EQ(rule("custom://x.test"), (OriginRule{"custom", "x.test", std::nullopt}));
  EXPECT_EQ(rule("http://[::1]:4000"), (OriginRule{"http", "::1", 4000}));
}

TEST(OriginRule, RefusesRulesWithoutHost) {
  for (std::string_view t : {"example.com", "https://", "null", "", "//"}) {
    auto r = parse_origin_rule(t);
    ASSERT_FALSE(r.has_value()) << t;
    EXPECT_EQ(r.error(), ProtoError::bad_origin);
  }
}

TEST(OriginAllowed, MissingHeaderAlwaysPasses) {
  EXPECT_TRUE(allowed(list_policy({"//example.com"}), std::nullopt));
  EXPECT_TRUE(allowed(OriginPolicy{.mode = OriginPolicy::Mode::endpoint_host,
                                   .endpoint_host = "example.com", .allowed = {}},
                      std::nullopt));
}

TEST(OriginAllowed, FixtureListOfItems5And6) {
  const auto p = list_policy({"//example.com"});
  EXPECT_TRUE(allowed(p, "https://example.com"));
  EXPECT_TRUE(allowed(p, "http://example.com:8080"));
  EXPECT_FALSE(allowed(p, "http://evil.test"));
  EXPECT_FALSE(allowed(p, "https://sub.example.com"));
  EXPECT_FALSE(allowed(p, "https://example.com.evil.test"));
}

TEST(OriginAllowed, WildcardMatchesDomainAndSubdomains) {
  const auto p = list_policy({"//*.other.com"});
  EXPECT_TRUE(allowed(p, "https://other.com"));
  EXPECT_TRUE(allowed(p, "https://a.other.com"));
  EXPECT_TRUE(allowed(p, "http://a.b.other.com:81"));
  EXPECT_FALSE(allowed(p, "https://evilother.com"));
  EXPECT_FALSE(allowed(p, "https://other.com.evil"));
}

TEST(OriginAllowed, PortsAndSchemesWhenTheRuleNamesThem) {
  const auto p = list_policy({"//another.com:888", "https://example.com"});
  EXPECT_TRUE(allowed(p, "http://another.com:888"));
  EXPECT_TRUE(allowed(p, "https://another.com:888"));
  EXPECT_FALSE(allowed(p, "http://another.com:889"));
  EXPECT_FALSE(allowed(p, "http://another.com"));
  EXPECT_TRUE(allowed(p, "https://example.com"));
  EXPECT_TRUE(allowed(p, "https://example.com:443"));
  EXPECT_TRUE(allowed(p, "HTTPS://EXAMPLE.com"));
  EXPECT_FALSE(allowed(p, "http://example.com"));
  EXPECT_FALSE(allowed(p, "https://example.com:8443"));
}

TEST(OriginAllowed, OriginWithoutHostIsRejectedWheneverChecking) {
  EXPECT_FALSE(allowed(list_policy({"//example.com"}), "null"));
  EXPECT_FALSE(allowed(OriginPolicy{.mode = OriginPolicy::Mode::endpoint_host, .endpoint_host = {},
                                    .allowed = {}},
                       "null"));
  EXPECT_FALSE(allowed(OriginPolicy{.mode = OriginPolicy::Mode::same_as_request,
                                    .endpoint_host = {}, .allowed = {}},
                       "file://"));
  EXPECT_TRUE(allowed(OriginPolicy{.mode = OriginPolicy::Mode::off, .endpoint_host = {}, .allowed = {}},
                      "null"));
}

TEST(OriginAllowed, EndpointHostIgnoresSchemeAndPort) {
  const OriginPolicy p{.mode = OriginPolicy::Mode::endpoint_host, .endpoint_host = "Example.com",
                       .allowed = {}};
  EXPECT_TRUE(allowed(p, "http://example.com:4000"));
  EXPECT_TRUE(allowed(p, "https://example.com"));
  EXPECT_FALSE(allowed(p, "https://www.example.com"));
  const OriginPolicy any{.mode = OriginPolicy::Mode::endpoint_host, .endpoint_host = {}, .allowed = {}};
  EXPECT_TRUE(allowed(any, "http://anything.test"));
}

TEST(OriginAllowed, SameAsRequestComparesSchemeHostAndPort) {
  const OriginPolicy p{.mode = OriginPolicy::Mode::same_as_request, .endpoint_host = {}, .allowed = {}};
  EXPECT_TRUE(origin_allowed(p, "https://app.test", "https", "app.test", 443));
  EXPECT_TRUE(origin_allowed(p, "http://app.test:4000", "http", "APP.test", 4000));
  EXPECT_FALSE(origin_allowed(p, "http://app.test", "https", "app.test", 443));
  EXPECT_FALSE(origin_allowed(p, "https://app.test:8443", "https", "app.test", 443));
  EXPECT_FALSE(origin_allowed(p, "https://other.test", "https", "app.test", 443));
}

TEST(OriginAllowed, EmptyListRejectsEveryOrigin) {
  EXPECT_FALSE(allowed(list_policy({}), "https://example.com"));
}

}  // namespace
}  // namespace roost::proto
