#include "roost/websocket/handshake.h"

#include <gtest/gtest.h>

namespace roost::websocket {
namespace {

TEST(Handshake, RfcAcceptKeyExample) {
  // RFC 6455 §1.3.
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Handshake, AcceptKeyDependsOnEveryByteOfTheKey) {
  const std::string a = accept_key("dGhlIHNhbXBsZSBub25jZQ==");
  const std::string b = accept_key("dGhlIHNhbXBsZSBub25jZA==");
  EXPECT_NE(a, b);
  EXPECT_EQ(b.size(), 28u);  // base64 of a 20-byte SHA-1 digest
  EXPECT_EQ(b.back(), '=');
}

TEST(Handshake, AcceptKeyOfAnotherKnownPair) {
  // The example handshake of the Wikipedia "WebSocket" article.
  EXPECT_EQ(accept_key("x3JJHMbDL1EzLkh9GBhXDw=="), "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

TEST(Handshake, ValidClientKeys) {
  EXPECT_TRUE(valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(valid_client_key("AAAAAAAAAAAAAAAAAAAAAA=="));
  EXPECT_TRUE(valid_client_key("+/+/+/+/+/+/+/+/+/+/+w=="));
}

TEST(Handshake, InvalidClientKeys) {
  EXPECT_FALSE(valid_client_key(""));
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25jZQ="));    // 23 chars
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25jZQ==="));  // 25 chars
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25jZQAA"));   // no padding: 18 bytes
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25jZ==="));   // 15 bytes
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25jZ-=="));   // base64url char
  EXPECT_FALSE(valid_client_key("dGhlIHNhbXBsZSBub25j Q=="));   // space
  EXPECT_FALSE(valid_client_key(std::string_view("dGhlIHNhbXBsZSBub25jZQ=\0", 24)));
}

}  // namespace
}  // namespace roost::websocket
