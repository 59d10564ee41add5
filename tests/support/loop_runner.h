// LoopRunner: runs a test body as a coroutine on a real net::Loop (so Loop::current() is set),
// on a fresh thread per run, with a bounded wall-clock limit.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <thread>

#include "roost/core/metrics.h"
#include "roost/core/task.h"
#include "roost/net/loop.h"

namespace roost::testing {

// Lets every handler already queued on the calling coroutine's executor run, `rounds`
// times over: enough for posted work, co_spawned runners and mailbox drains to settle.
inline Task<void> settle(int rounds = 32) {
  auto ex = co_await boost::asio::this_coro::executor;
  for (int i = 0; i < rounds; ++i) co_await boost::asio::post(ex, use_awaitable);
}

inline Task<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(use_awaitable);
}

// Polls `pred` every millisecond until it holds or `limit` passed; returns pred().
// A template, not std::function: a lambda written inside `co_await eventually(...)` is a
// temporary of the co_await expression, which GCC 12 destroys twice; a lambda capturing
// by reference is trivially destructible, a std::function is not.
template <class Pred>
Task<bool> eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred() && std::chrono::steady_clock::now() < deadline) co_await sleep_for(std::chrono::milliseconds(1));
  co_return pred();
}

class LoopRunner {
 public:
  explicit LoopRunner(std::size_t loops = 1) : metrics_(loops), group_(loops, metrics_) {}

  net::Loop& loop() noexcept { return group_.at(0); }
  net::LoopGroup& group() noexcept { return group_; }

  // Runs `body` on loop 0, on a new thread that exits afterwards (its thread_locals go
  // with it). Returns false when the body did not finish within `limit`; rethrows what
  // the body threw. A LoopRunner runs once: a stopped Loop does not restart.
  bool run(std::function<Task<void>()> body, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    bool finished = false;
    std::exception_ptr error;
    std::thread t([&] {
      net::Loop& l = loop();
      boost::asio::steady_timer guard(l.io(), limit);
      guard.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) l.stop();
      });
      boost::asio::co_spawn(
          l.io(),
          [&]() -> Task<void> {
            co_await body();
            co_await settle();
          },
          [&](std::exception_ptr e) {
            error = e;
            finished = true;
            guard.cancel();
            l.stop();
          });
      l.run();
    });
    t.join();
    if (error) std::rethrow_exception(error);
    return finished;
  }

 private:
  Metrics metrics_;
  net::LoopGroup group_;
};

}  // namespace roost::testing
