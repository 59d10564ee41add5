// Connect-param decoding of query strings (protocol.md §1.1; conformance items 11–13).
#include "roost/proto/query.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace roost::proto {
namespace {

boost::json::object parsed(std::string_view query) {
  auto r = parse_query(query);
  EXPECT_TRUE(r.has_value()) << query;
  return r ? *r : boost::json::object{};
}

boost::json::object json_object(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(ParseQuery, SimplePairs) {
  EXPECT_EQ(parsed("user_token=abc&vsn=2.0.0"), json_object(R"({"user_token":"abc","vsn":"2.0.0"})"));
}

TEST(ParseQuery, NestedKeysOfItem11) {
  EXPECT_EQ(parsed("user[id]=5&ids[0]=a&ids[1]=b&vsn=2.0.0"),
            json_object(R"({"user":{"id":"5"},"ids":{"0":"a","1":"b"},"vsn":"2.0.0"})"));
}

TEST(ParseQuery, PercentEncodedBracketsAsPhoenixJsSendsThem) {
  // encodeURIComponent("user[id]") == "user%5Bid%5D"
  EXPECT_EQ(parsed("user%5Bid%5D=5&user%5Bname%5D=Ann%20Lee&vsn=2.0.0"),
            json_object(R"({"user":{"id":"5","name":"Ann Lee"},"vsn":"2.0.0"})"));
}

TEST(ParseQuery, DeepNesting) {
  EXPECT_EQ(parsed("a[b][c][d]=1&a[b][e]=2"), json_object(R"({"a":{"b":{"c":{"d":"1"},"e":"2"}}})"));
}

TEST(ParseQuery, ListKeys) {
  EXPECT_EQ(parsed("a[]=x&a[]=y"), json_object(R"({"a":["x","y"]})"));
  EXPECT_EQ(parsed("a[][b]=1&a[][b]=2"), json_object(R"({"a":[{"b":"1"},{"b":"2"}]})"));
  EXPECT_EQ(parsed("x[a][]=1&x[a][]=2&x[a][]=3"), json_object(R"({"x":{"a":["1","2","3"]}})"));
}

TEST(ParseQuery, EmptyPairsAreIgnored) {
  EXPECT_EQ(parsed("vsn=2.0.0&"), json_object(R"({"vsn":"2.0.0"})"));
  EXPECT_EQ(parsed("&&vsn=2.0.0&&"), json_object(R"({"vsn":"2.0.0"})"));
  EXPECT_EQ(parsed(""), json_object("{}"));
  EXPECT_EQ(parsed("?"), json_object("{}"));
}

TEST(ParseQuery, LeadingQuestionMarkIsTolerated) {
  EXPECT_EQ(parsed("?vsn=2.0.0"), json_object(R"({"vsn":"2.0.0"})"));
}

TEST(ParseQuery, LastDuplicateWinsAsInItem13) {
  EXPECT_EQ(parsed("token=a&vsn=2.0.0&token=b"), json_object(R"({"token":"b","vsn":"2.0.0"})"));
  EXPECT_EQ(parsed("u[id]=1&u[id]=2"), json_object(R"({"u":{"id":"2"}})"));
}

TEST(ParseQuery, ConflictingShapesFollowTheLastOccurrence) {
  EXPECT_EQ(parsed("a=1&a[b]=2"), json_object(R"({"a":{"b":"2"}})"));
  EXPECT_EQ(parsed("a[b]=2&a=1"), json_object(R"({"a":"1"})"));
  EXPECT_EQ(parsed("a[]=x&a=1&a[]=y"), json_object(R"({"a":["x","y"]})"));
  EXPECT_EQ(parsed("a[b]=1&a[]=2"), json_object(R"({"a":[ "2" ]})"));
}

TEST(ParseQuery, ValueDecoding) {
  EXPECT_EQ(parsed("q=a+b%2Bc%26d%3De&flag"), json_object(R"({"q":"a b+c&d=e","flag":""})"));
  EXPECT_EQ(parsed("name=%C3%A9t%C3%A9&eq=a=b"), json_object(R"({"name":"été","eq":"a=b"})"));
  EXPECT_EQ(parsed("=v"), json_object(R"({"":"v"})"));
}

TEST(ParseQuery, KeysThatAreNotBracketed) {
  EXPECT_EQ(parsed("a]=1&b[c=2&d[e]f=3"), json_object(R"({"a]":"1","b[c":"2","d[e]f":"3"})"));
}

TEST(ParseQuery, KeysKeepTheOrderOfTheQuery) {
  auto r = parse_query("user_token=abc&user[id]=5&vsn=2.0.0");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(boost::json::serialize(*r), R"({"user_token":"abc","user":{"id":"5"},"vsn":"2.0.0"})");
}

TEST(ParseQuery, MalformedInputIsRefused) {
  for (std::string_view q : {"a=%", "a=%4", "a=%zz", "%G1=1", "a=%FF", "a=%C3", "a=%ED%A0%80",
                             "a=%C0%AF"}) {
    auto r = parse_query(q);
    ASSERT_FALSE(r.has_value()) << q;
    EXPECT_EQ(r.error(), ProtoError::bad_query) << q;
  }
}

}  // namespace
}  // namespace roost::proto
