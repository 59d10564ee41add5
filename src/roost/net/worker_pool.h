// Role: WorkerPool, a bounded pool of threads for blocking or CPU-heavy application work
// (a database call, password hashing), so it never runs on an event loop. From a
// coroutine: `auto v = co_await pool.run([]{ return slow(); });` runs the function on a
// worker and resumes the coroutine on its own loop with the result (or the exception).
// Thread affinity: run() may be awaited from any loop; the function runs on a worker.
// Ownership: the pool owns its threads; work still queued when it is destroyed is run
// to completion by join() in the destructor.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "roost/core/task.h"

namespace roost::net {

class WorkerPool {
 public:
  // The default is small on purpose: workers compete with the loops for the same cores.
  explicit WorkerPool(std::size_t threads = 2) : pool_(threads) {}
  ~WorkerPool() { pool_.join(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <class F, class R = std::invoke_result_t<F>>
  Task<R> run(F fn) {
    using Outcome = std::pair<std::exception_ptr, std::optional<Value<R>>>;
    auto outcome = co_await start<Outcome>(std::move(fn));
    if (outcome.first) std::rethrow_exception(outcome.first);
    if constexpr (!std::is_void_v<R>) co_return std::move(*outcome.second);
  }

 private:
  template <class R>
  using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;

  // Not a coroutine: GCC 12 mishandles lambda temporaries inside co_await expressions.
  template <class Outcome, class F>
  auto start(F fn) {
    return boost::asio::async_initiate<decltype(use_awaitable), void(Outcome)>(
        [this, fn = std::move(fn)](auto handler) mutable {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          boost::asio::post(pool_, [fn = std::move(fn), shared, executor]() mutable {
            Outcome outcome;
            try {
              if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
                fn();
                outcome.second.emplace();
              } else {
                outcome.second.emplace(fn());
              }
            } catch (...) {
              outcome.first = std::current_exception();
            }
            boost::asio::post(executor, [shared, outcome = std::move(outcome)]() mutable {
              (*shared)(std::move(outcome));
            });
          });
        },
        use_awaitable);
  }

  boost::asio::thread_pool pool_;
};

}  // namespace roost::net
