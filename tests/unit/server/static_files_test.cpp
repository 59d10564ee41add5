// StaticFiles against a real temporary directory: bodies and headers, HEAD, ETag/304,
// and refusals (traversal, symlinks leading out, directories, missing files).
#include "roost/server/static_files.h"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using roost::server::StaticFiles;
using roost::transport::HttpRequest;
using roost::transport::HttpResponse;

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("roost-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "www";
    write_file(root_ / "index.html", "<!doctype html><title>hi</title>");
    write_file(root_ / "assets" / "app-3F7A2B9C.js", "console.log('app')");
    write_file(root_ / "docs" / "index.html", "docs");
    write_file(root_ / ".env", "SECRET=1");
    write_file(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_directory_symlink(base_, root_ / "up");
    write_file(base_ / "www-evil" / "x.txt", "sibling with a common prefix");
    files_.emplace(root_, pool_);
  }
  void TearDown() override { fs::remove_all(base_); }

  HttpResponse get(std::string_view path, http::verb method = http::verb::get, std::string if_none_match = {}) {
    HttpRequest req{method, std::string(path), 11};
    if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
    return files_->respond(req, path);
  }

  fs::path base_, root_;
  roost::net::WorkerPool pool_{1};
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesIndexAtTheRoot) {
  auto res = get("/");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "<!doctype html><title>hi</title>");
  EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res[http::field::cache_control], "no-cache");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
  EXPECT_FALSE(res[http::field::etag].empty());
  EXPECT_EQ(get("/docs/").body(), "docs");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  auto res = get("/assets/app-3F7A2B9C.js");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "console.log('app')");
  EXPECT_EQ(res[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(res[http::field::cache_control], "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, HeadHasTheLengthButNoBody) {
  auto res = get("/assets/app-3F7A2B9C.js", http::verb::head);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[http::field::content_length], std::to_string(std::string("console.log('app')").size()));
  EXPECT_EQ(res[http::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, MatchingEtagGives304AndAChangedFileDoesNot) {
  std::string etag(get("/index.html")[http::field::etag]);
  auto res = get("/index.html", http::verb::get, etag);
  EXPECT_EQ(res.result_int(), 304);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(get("/index.html", http::verb::get, "\"other\", W/" + etag).result_int(), 304);
  EXPECT_EQ(get("/index.html", http::verb::get, "\"other\"").result_int(), 200);

  write_file(root_ / "index.html", "<!doctype html><title>a new build</title>");
  auto fresh = get("/index.html", http::verb::get, etag);
  EXPECT_EQ(fresh.result_int(), 200);
  EXPECT_EQ(fresh.body(), "<!doctype html><title>a new build</title>");
  EXPECT_NE(fresh[http::field::etag], etag);
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsReachable) {
  EXPECT_EQ(get("/../secret.txt").result_int(), 404);
  EXPECT_EQ(get("/%2e%2e/secret.txt").result_int(), 404);
  EXPECT_EQ(get("/..%2fsecret.txt").result_int(), 404);
  EXPECT_EQ(get("/leak.txt").result_int(), 404);         // symlink to a file outside
  EXPECT_EQ(get("/up/secret.txt").result_int(), 404);    // symlink to a directory outside
  EXPECT_EQ(get("/../www-evil/x.txt").result_int(), 404);
  EXPECT_EQ(get("/.env").result_int(), 404);
  for (std::string_view p : {"/../secret.txt", "/leak.txt", "/up/secret.txt"})
    EXPECT_EQ(get(p).body().find("outside"), std::string::npos) << p;
}

TEST_F(StaticFilesTest, MissingFilesAndDirectoriesAre404) {
  EXPECT_EQ(get("/nope.js").result_int(), 404);
  EXPECT_EQ(get("/assets").result_int(), 404);   // a directory is not a file
  EXPECT_EQ(get("/assets/").result_int(), 404);  // and has no index.html
}

TEST_F(StaticFilesTest, ServeReadsOnAWorkerAndResumesOnTheLoop) {
  boost::asio::io_context io;
  HttpRequest req{http::verb::get, "/assets/app-3F7A2B9C.js", 11};
  HttpResponse res;
  boost::asio::co_spawn(
      io, [&]() -> roost::Task<void> { res = co_await files_->serve(req, "/assets/app-3F7A2B9C.js"); },
      boost::asio::detached);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "console.log('app')");
}

TEST(StaticFiles, ARootThatIsNotADirectoryIsAStartUpError) {
  roost::net::WorkerPool pool(1);
  EXPECT_THROW(StaticFiles("/nonexistent/roost/web", pool), std::invalid_argument);
  EXPECT_THROW(StaticFiles("/etc/hostname", pool), std::invalid_argument);
}

}  // namespace
