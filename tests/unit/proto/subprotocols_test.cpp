// Sec-WebSocket-Protocol parsing (protocol.md §1.3; conformance items 9, 10).
#include "roost/proto/subprotocols.h"

#include <gtest/gtest.h>

namespace roost::proto {
namespace {

TEST(Subprotocols, AuthTokenOfItem9) {
  const auto offer = parse_subprotocols("phoenix, base64url.bearer.phx.c2VjcmV0");
  EXPECT_TRUE(offer.offered_any);
  EXPECT_TRUE(offer.offered_phoenix);
  EXPECT_EQ(offer.auth_token, "secret");
  EXPECT_TRUE(offer.others.empty());
  EXPECT_FALSE(offer.malformed);
}

TEST(Subprotocols, PhoenixOnlyOfItem10) {
  const auto offer = parse_subprotocols("phoenix");
  EXPECT_TRUE(offer.offered_any);
  EXPECT_TRUE(offer.offered_phoenix);
  EXPECT_EQ(offer.auth_token, std::nullopt);
  EXPECT_FALSE(offer.malformed);
}

TEST(Subprotocols, NothingOffered) {
  for (std::string_view h : {"", "   ", " , ,\t"}) {
    const auto offer = parse_subprotocols(h);
    EXPECT_FALSE(offer.offered_any) << '"' << h << '"';
    EXPECT_FALSE(offer.offered_phoenix);
    EXPECT_TRUE(offer.others.empty());
    EXPECT_FALSE(offer.malformed);
  }
}

TEST(Subprotocols, OthersAreTrimmedAndKeptInOrder) {
  const auto offer = parse_subprotocols(" chat ,phoenix,\tv2.json ,,Phoenix");
  EXPECT_TRUE(offer.offered_phoenix);
  EXPECT_EQ(offer.others, (std::vector<std::string>{"chat", "v2.json", "Phoenix"}));
  EXPECT_FALSE(offer.offered_phoenix && offer.others.empty());
}

TEST(Subprotocols, TokenIsUnpaddedStandardBase64) {
  // btoa("a+b/c?") == "YStiL2M/" (standard alphabet, '/' included); btoa("ab") == "YWI=".
  EXPECT_EQ(parse_subprotocols("base64url.bearer.phx.YStiL2M/, phoenix").auth_token, "a+b/c?");
  const auto offer = parse_subprotocols("base64url.bearer.phx.YWI");
  EXPECT_EQ(offer.auth_token, "ab");
  EXPECT_FALSE(offer.offered_phoenix);
  EXPECT_TRUE(offer.offered_any);
}

TEST(Subprotocols, EmptyBearerIsAnEmptyToken) {
  const auto offer = parse_subprotocols("phoenix, base64url.bearer.phx.");
  EXPECT_EQ(offer.auth_token, "");
  EXPECT_FALSE(offer.malformed);
}

TEST(Subprotocols, TwoBearersAreMalformed) {
  const auto offer =
      parse_subprotocols("phoenix, base64url.bearer.phx.c2VjcmV0, base64url.bearer.phx.b3RoZXI");
  EXPECT_TRUE(offer.malformed);
  EXPECT_EQ(offer.auth_token, std::nullopt);
  EXPECT_TRUE(offer.offered_phoenix);
  EXPECT_TRUE(offer.others.empty());
}

TEST(Subprotocols, UndecodableBearerIsMalformed) {
  const auto offer = parse_subprotocols("phoenix, base64url.bearer.phx.!!!");
  EXPECT_TRUE(offer.malformed);
  EXPECT_EQ(offer.auth_token, std::nullopt);
}

}  // namespace
}  // namespace roost::proto
