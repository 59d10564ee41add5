// Role: Task<T>, the coroutine type of every asynchronous callback an application
// writes (join, handle_in, handle_info). It is Asio's awaitable, so a handler can
// co_await timers, sockets and Roost's worker pool directly.
// Thread affinity: a task runs on the executor it was spawned on (a channel's tasks on
// its socket's loop).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace roost {

template <class T = void>
using Task = boost::asio::awaitable<T>;

using boost::asio::use_awaitable;

}  // namespace roost
