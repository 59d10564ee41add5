// Role: call_on, the awaitable form of a cross-loop request: run a function on another
// loop (through its mailbox) and resume the awaiting coroutine on its own executor with
// the value that function hands to `done`, now or later.
//   auto n = co_await net::call_on<int>(loop, [](auto done) { done(42); });
// Thread affinity: awaited on any executor; `fn` runs on `target`'s thread; `done` must
// be called exactly once, on `target`'s thread.
// Why not a coroutine: GCC 12 destroys lambda temporaries inside a co_await expression
// twice, so callers name their lambda before awaiting, and this function only returns
// the awaitable.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <memory>

#include "roost/core/task.h"
#include "roost/net/loop.h"

namespace roost::net {

template <class T, class F>
Task<T> call_on(Loop& target, F fn) {
  return boost::asio::async_initiate<decltype(use_awaitable), void(T)>(
      [&target, fn = std::move(fn)](auto handler) mutable {
        auto executor = boost::asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        target.post([fn = std::move(fn), shared, executor]() mutable {
          fn([shared, executor](T value) {
            boost::asio::post(executor, [shared, value = std::move(value)]() mutable { (*shared)(std::move(value)); });
          });
        });
      },
      use_awaitable);
}

}  // namespace roost::net
