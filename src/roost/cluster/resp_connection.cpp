#include "roost/cluster/resp_connection.h"

#include <hiredis/hiredis.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/container/small_vector.hpp>

#include "roost/cluster/errors.h"

namespace roost::cluster {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Reads of this size fill the reader; pub/sub messages are small and the kernel buffers
// the rest, so a larger buffer would only sit idle.
constexpr std::size_t kReadChunk = 16 * 1024;

std::error_code to_std(const boost::system::error_code& ec) { return ec; }

}  // namespace

void RespConnection::FreeReader::operator()(redisReader* r) const noexcept { redisReaderFree(r); }

RespConnection::RespConnection(Executor executor)
    : socket_(std::move(executor)), reader_(redisReaderCreate()), buffer_(kReadChunk) {
  if (!reader_) throw std::bad_alloc();
}

RespConnection::~RespConnection() = default;

Task<Result<std::shared_ptr<RespConnection>>> RespConnection::connect(const RedisUrl& url,
                                                                      std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  auto conn = std::make_shared<RespConnection>(executor);
  auto resolver = std::make_shared<tcp::resolver>(executor);
  auto timed_out = std::make_shared<bool>(false);
  // The timer's handler owns what it touches: it may run after this coroutine is gone.
  auto timer = std::make_shared<asio::steady_timer>(executor, timeout);
  timer->async_wait([conn, resolver, timed_out](const boost::system::error_code& ec) {
    if (ec) return;
    *timed_out = true;
    resolver->cancel();
    boost::system::error_code ignored;
    conn->socket_.close(ignored);
  });
  auto finish = [&](std::error_code ec) -> Result<std::shared_ptr<RespConnection>> {
    timer->cancel();
    if (*timed_out) return make_error_code(ClusterError::connect_timeout);
    if (ec) return ec;
    return conn;
  };

  // Named: GCC 12 destroys temporaries of a co_await expression twice.
  const std::string port = std::to_string(url.port);
  auto [rec, endpoints] = co_await resolver->async_resolve(url.host, port, asio::as_tuple(use_awaitable));
  if (rec || *timed_out) co_return finish(rec ? to_std(rec) : std::error_code{});
  auto [cec, ep] = co_await asio::async_connect(conn->socket_, endpoints, asio::as_tuple(use_awaitable));
  if (cec || *timed_out) co_return finish(cec ? to_std(cec) : std::error_code{});
  boost::system::error_code ignored;
  conn->socket_.set_option(tcp::no_delay(true), ignored);
  co_return finish({});
}

void RespConnection::send(std::span<const std::string_view> args) {
  if (!socket_.is_open()) return;
  // Commands here have a handful of arguments: no allocation for the argument tables.
  boost::container::small_vector<const char*, 8> argv;
  boost::container::small_vector<std::size_t, 8> argvlen;
  for (std::string_view a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  char* cmd = nullptr;
  int len = redisFormatCommandArgv(&cmd, static_cast<int>(args.size()), argv.data(), argvlen.data());
  if (len < 0) throw std::bad_alloc();  // its only failure is an allocation failure
  out_.append(cmd, static_cast<std::size_t>(len));
  redisFreeCommand(cmd);
  if (!writing_) {
    writing_ = true;
    // Deferred to the end of the turn: every command sent meanwhile joins this write.
    auto self = shared_from_this();
    auto writer = [self]() -> Task<void> { co_await self->write_all(); };
    asio::co_spawn(socket_.get_executor(), std::move(writer), asio::detached);
  }
}

Task<void> RespConnection::write_all() {
  while (!out_.empty() && socket_.is_open()) {
    inflight_.swap(out_);
    out_.clear();
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(inflight_), asio::as_tuple(use_awaitable));
    inflight_.clear();
    // The reader sees the same failure on the closed socket and reports it.
    if (ec) close();
  }
  out_.clear();
  writing_ = false;
}

Task<Result<RespReply>> RespConnection::read() {
  for (;;) {
    void* reply = nullptr;
    if (redisReaderGetReply(reader_.get(), &reply) != REDIS_OK) {
      close();
      co_return make_error_code(ClusterError::resp_protocol);
    }
    if (reply) co_return RespReply(static_cast<redisReply*>(reply));
    if (!socket_.is_open()) co_return make_error_code(std::errc::not_connected);
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer_), asio::as_tuple(use_awaitable));
    if (ec) {
      close();
      if (ec == asio::error::eof) co_return make_error_code(ClusterError::connection_closed);
      co_return to_std(ec);
    }
    if (redisReaderFeed(reader_.get(), buffer_.data(), n) != REDIS_OK) {
      close();
      co_return make_error_code(ClusterError::resp_protocol);
    }
  }
}

Task<Result<RespReply>> RespConnection::request(std::span<const std::string_view> command,
                                               std::string* error_text) {
  send(command);
  auto reply = co_await read();
  if (!reply) co_return reply;
  if (reply->value().type() == RespType::error) {
    if (error_text) *error_text = std::string(reply->value().str());
    co_return make_error_code(ClusterError::redis_error);
  }
  co_return reply;
}

void RespConnection::close() noexcept {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace roost::cluster
