// static_path: which request paths name which files, and which are refused (path
// traversal, encoded separators, dot-files), content types and cache policy.
#include "roost/server/static_path.h"

#include <gtest/gtest.h>

namespace {

using roost::server::cache_control_for;
using roost::server::content_type_for;
using roost::server::is_hashed_asset;
using roost::server::resolve_static_path;

TEST(StaticPath, RootAndDirectoriesNameTheirIndex) {
  EXPECT_EQ(resolve_static_path("/"), "index.html");
  EXPECT_EQ(resolve_static_path("/docs/"), "docs/index.html");
}

TEST(StaticPath, PlainFilesAndDecodedSegments) {
  EXPECT_EQ(resolve_static_path("/app.js"), "app.js");
  EXPECT_EQ(resolve_static_path("/assets/app-3F7A2B9C.js"), "assets/app-3F7A2B9C.js");
  EXPECT_EQ(resolve_static_path("/my%20file.txt"), "my file.txt");
  EXPECT_EQ(resolve_static_path("/caf%C3%A9.html"), "caf\xC3\xA9.html");
}

TEST(StaticPath, RefusesParentSteps) {
  EXPECT_FALSE(resolve_static_path("/.."));
  EXPECT_FALSE(resolve_static_path("/../etc/passwd"));
  EXPECT_FALSE(resolve_static_path("/assets/../../etc/passwd"));
  EXPECT_FALSE(resolve_static_path("/assets/.."));
  EXPECT_FALSE(resolve_static_path("/./index.html"));
}

TEST(StaticPath, RefusesEncodedTraversalAndSeparators) {
  EXPECT_FALSE(resolve_static_path("/%2e%2e/etc/passwd"));
  EXPECT_FALSE(resolve_static_path("/%2E%2E%2Fetc%2Fpasswd"));
  EXPECT_FALSE(resolve_static_path("/assets%2F..%2F..%2Fsecret"));
  EXPECT_FALSE(resolve_static_path("/..%5c..%5cwindows"));
  EXPECT_FALSE(resolve_static_path("/a%5Cb"));
  EXPECT_FALSE(resolve_static_path("/index.html%00.png"));
}

TEST(StaticPath, RefusesMalformedPaths) {
  EXPECT_FALSE(resolve_static_path(""));
  EXPECT_FALSE(resolve_static_path("index.html"));
  EXPECT_FALSE(resolve_static_path("//etc/passwd"));
  EXPECT_FALSE(resolve_static_path("/assets//app.js"));
  EXPECT_FALSE(resolve_static_path("/bad%zzescape"));
  EXPECT_FALSE(resolve_static_path("/trailing%"));
}

TEST(StaticPath, RefusesDotFiles) {
  EXPECT_FALSE(resolve_static_path("/.env"));
  EXPECT_FALSE(resolve_static_path("/.git/config"));
  EXPECT_FALSE(resolve_static_path("/%2egit/config"));
}

TEST(StaticPath, ContentTypes) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/app-3F7A2B9C.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("app.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("shot.png"), "image/png");
  EXPECT_EQ(content_type_for("app.js.map"), "application/json");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("data.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.d/noext"), "application/octet-stream");
}

TEST(StaticPath, HashedAssetsAreCachedForAYear) {
  EXPECT_TRUE(is_hashed_asset("app-3F7A2B9C.js"));
  EXPECT_TRUE(is_hashed_asset("assets/chunk-QXMBZPAL.css"));
  EXPECT_TRUE(is_hashed_asset("app-3F7A2B9C.js.map"));
  EXPECT_FALSE(is_hashed_asset("index.html"));
  EXPECT_FALSE(is_hashed_asset("app.js"));
  EXPECT_FALSE(is_hashed_asset("lang-python.js"));
  EXPECT_FALSE(is_hashed_asset("app-3F7A2B9.js"));  // 7 characters: too short for a hash
  EXPECT_FALSE(is_hashed_asset("app-3f7a2b9c.js"));
  EXPECT_EQ(cache_control_for("app-3F7A2B9C.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("index.html"), "no-cache");
}

}  // namespace
