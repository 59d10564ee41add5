// Endpoint::serve_static over a real loopback connection: routes win over files, GET
// and HEAD are served (a HEAD answer keeps a keep-alive connection usable), other
// methods and unknown paths get 404, and a mount below "/" strips its prefix.
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

#include "roost/server/endpoint.h"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using roost::transport::HttpRequest;
using roost::transport::HttpResponse;

class EndpointStaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("roost-endpoint-static-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "www" / "assets");
    fs::create_directories(dir_ / "manual");
    std::ofstream(dir_ / "www" / "index.html") << "<p>home</p>";
    std::ofstream(dir_ / "www" / "assets" / "app-AB12CD34.js") << "let x = 1;";
    std::ofstream(dir_ / "manual" / "index.html") << "manual";

    roost::server::EndpointConfig config;
    config.port = 0;
    config.loops = 1;
    config.workers = 1;
    endpoint_ = std::make_unique<roost::server::Endpoint>(config);
    endpoint_->route(http::verb::get, "/api/hello", [](const HttpRequest& req, const roost::transport::RequestInfo&)
                         -> roost::Task<HttpResponse> { co_return roost::transport::make_response(req, 200, "route"); });
    endpoint_->route(http::verb::post, "/api/only-post", [](const HttpRequest& req, const roost::transport::RequestInfo&)
                         -> roost::Task<HttpResponse> { co_return roost::transport::make_response(req, 200, "posted"); });
    endpoint_->serve_static(dir_ / "www");  // registered first, yet "/manual" wins below
    endpoint_->serve_static(dir_ / "manual", "/manual/");
    std::promise<std::uint16_t> bound;
    endpoint_->on_listening([&bound](std::uint16_t port) { bound.set_value(port); });
    server_ = std::thread([this] { endpoint_->run(); });
    port_ = bound.get_future().get();
    boost::asio::connect(client_, std::vector{tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_)});
  }
  void TearDown() override {
    boost::system::error_code ec;
    client_.close(ec);
    endpoint_->shutdown();
    server_.join();
    endpoint_.reset();
    fs::remove_all(dir_);
  }

  // One request on the test's keep-alive connection.
  http::response<http::string_body> request(http::verb method, std::string target) {
    http::request<http::empty_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(client_, req);
    http::response_parser<http::string_body> parser;
    parser.skip(method == http::verb::head);  // a HEAD answer announces a body it does not carry
    http::read(client_, buffer_, parser);
    return parser.release();
  }

  fs::path dir_;
  std::unique_ptr<roost::server::Endpoint> endpoint_;
  std::thread server_;
  std::uint16_t port_ = 0;
  boost::asio::io_context io_;
  tcp::socket client_{io_};
  boost::beast::flat_buffer buffer_;
};

TEST_F(EndpointStaticTest, ServesFilesRoutesAndRefusals) {
  auto home = request(http::verb::get, "/");
  EXPECT_EQ(home.result_int(), 200);
  EXPECT_EQ(home.body(), "<p>home</p>");
  EXPECT_EQ(home[http::field::content_type], "text/html; charset=utf-8");

  auto head = request(http::verb::head, "/assets/app-AB12CD34.js");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[http::field::content_length], "10");
  EXPECT_EQ(head[http::field::cache_control], "public, max-age=31536000, immutable");

  // The same connection still frames the next answer correctly after the HEAD.
  auto js = request(http::verb::get, "/assets/app-AB12CD34.js?v=1");
  EXPECT_EQ(js.result_int(), 200);
  EXPECT_EQ(js.body(), "let x = 1;");

  EXPECT_EQ(request(http::verb::get, "/api/hello").body(), "route");
  EXPECT_EQ(request(http::verb::get, "/api/only-post").result_int(), 405);  // a route's path is not a file
  EXPECT_EQ(request(http::verb::post, "/index.html").result_int(), 404);
  EXPECT_EQ(request(http::verb::get, "/missing.css").result_int(), 404);
  EXPECT_EQ(request(http::verb::get, "/../../../../etc/passwd").result_int(), 404);
  EXPECT_EQ(request(http::verb::get, "/%2e%2e/%2e%2e/etc/passwd").result_int(), 404);

  EXPECT_EQ(request(http::verb::get, "/manual/").body(), "manual");
  EXPECT_EQ(request(http::verb::get, "/manual").body(), "manual");
  EXPECT_EQ(request(http::verb::get, "/manualx/index.html").result_int(), 404);
  EXPECT_EQ(request(http::verb::get, "/healthz").body(), "ok\n");
}

TEST(EndpointStatic, RefusesABadMountOrDirectory) {
  roost::server::EndpointConfig config;
  config.port = 0;
  config.loops = 1;
  roost::server::Endpoint endpoint(config);
  EXPECT_THROW(endpoint.serve_static(fs::temp_directory_path(), "static"), std::invalid_argument);
  EXPECT_THROW(endpoint.serve_static("/nonexistent/roost/web"), std::invalid_argument);
}

}  // namespace
