// Role: tests of origin_ok's use of the connection's scheme: check_origin :conn
// (same_as_request) compares a page's origin with the scheme, host and port the request
// really came on, which behind the TLS front is https and 443 by default.
// Thread affinity: test thread only. Ownership: values only.
#include "roost/transport/connect_checks.h"

#include <gtest/gtest.h>

namespace roost::transport {
namespace {

namespace http = boost::beast::http;

HttpRequest upgrade(std::string_view host, std::string_view origin) {
  HttpRequest request{http::verb::get, "/socket/websocket", 11};
  request.set(http::field::host, host);
  request.set(http::field::origin, origin);
  return request;
}

bool allowed(std::string_view host, std::string_view origin, bool secure) {
  SocketOptions options;
  options.check_origin.mode = proto::OriginPolicy::Mode::same_as_request;
  RequestInfo info;
  info.secure = secure;
  return origin_ok(options, upgrade(host, origin), info);
}

TEST(OriginOk, SameAsRequestUsesHttpsAndPort443OverTls) {
  EXPECT_TRUE(allowed("pair.example.com", "https://pair.example.com", true));
  EXPECT_FALSE(allowed("pair.example.com", "http://pair.example.com", true));
  EXPECT_TRUE(allowed("127.0.0.1:8443", "https://127.0.0.1:8443", true));
  EXPECT_FALSE(allowed("127.0.0.1:8443", "http://127.0.0.1:8443", true));
}

TEST(OriginOk, SameAsRequestUsesHttpAndPort80InPlain) {
  EXPECT_TRUE(allowed("pair.example.com", "http://pair.example.com", false));
  EXPECT_FALSE(allowed("pair.example.com", "https://pair.example.com", false));
  EXPECT_TRUE(allowed("127.0.0.1:4000", "http://127.0.0.1:4000", false));
  EXPECT_FALSE(allowed("127.0.0.1:4000", "https://127.0.0.1:4000", false));
}

}  // namespace
}  // namespace roost::transport
