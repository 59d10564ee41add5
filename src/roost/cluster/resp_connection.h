// Role: RespConnection, one TCP connection to Redis speaking RESP2, as coroutines on one
// executor (a loop). hiredis is used only as a codec: redisFormatCommandArgv encodes
// commands, a redisReader decodes replies; the socket is Asio's.
// Commands are pipelined: send() appends to an outgoing buffer and every command sent
// during one loop turn goes out in one write. read() yields replies and pub/sub pushes
// in arrival order; a caller that pipelines N commands reads N replies.
// Thread affinity: the executor's thread only (connect() runs on the awaiting
// coroutine's executor). One read() in flight at a time.
// Ownership: held by shared_ptr; the write coroutine keeps the connection alive until
// its write completes. close() is idempotent; after it (or any socket error) read()
// fails and send() is a no-op.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "roost/cluster/redis_url.h"
#include "roost/cluster/resp_reply.h"
#include "roost/core/result.h"
#include "roost/core/task.h"

struct redisReader;

namespace roost::cluster {

class RespConnection : public std::enable_shared_from_this<RespConnection> {
 public:
  using Executor = boost::asio::any_io_executor;

  // Resolves `url.host` and connects, all within `timeout`; TCP_NODELAY is set so a lone
  // PUBLISH is not held back by Nagle. Does not SELECT the database (see select_db()).
  static Task<Result<std::shared_ptr<RespConnection>>> connect(const RedisUrl& url, std::chrono::milliseconds timeout);

  explicit RespConnection(Executor executor);
  ~RespConnection();
  RespConnection(const RespConnection&) = delete;
  RespConnection& operator=(const RespConnection&) = delete;

  // Queues one command (binary-safe arguments); written at the end of this loop turn.
  void send(std::span<const std::string_view> args);
  void send(std::initializer_list<std::string_view> args) { send(std::span(args.begin(), args.size())); }
  // Bytes queued or being written, not yet accepted by the kernel.
  std::size_t pending_bytes() const noexcept { return out_.size() + inflight_.size(); }

  // The next reply or push. Errors: the socket's (eof, reset, operation_aborted after
  // close()), or ClusterError::resp_protocol when the bytes are not RESP.
  Task<Result<RespReply>> read();
  // Sends `command` and reads its reply; an error reply becomes ClusterError::redis_error
  // (its text in *error_text when given). For setup steps, before pipelining starts.
  // Takes a span, not a braced list: GCC 12 cannot keep an initializer_list's array
  // alive across the co_await inside ("array used as initializer").
  Task<Result<RespReply>> request(std::span<const std::string_view> command, std::string* error_text = nullptr);

  void close() noexcept;
  bool is_open() const noexcept { return socket_.is_open(); }

 private:
  Task<void> write_all();

  boost::asio::ip::tcp::socket socket_;
  struct FreeReader {
    void operator()(redisReader* r) const noexcept;
  };
  std::unique_ptr<redisReader, FreeReader> reader_;
  std::vector<char> buffer_;  // read scratch, fed to the reader at once
  std::string out_;       // commands not yet handed to a write
  std::string inflight_;  // the bytes of the write in progress
  bool writing_ = false;
};

}  // namespace roost::cluster
