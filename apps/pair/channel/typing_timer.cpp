// Role: the typing deadline and its watcher coroutine (see typing_timer.h).
// Thread affinity: the channel's loop. Ownership: the watcher shares State.
#include "channel/typing_timer.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>

namespace pair::channel {

namespace {

// tutorial:begin typing-watch
template <class State>
roost::Task<void> watch(std::shared_ptr<State> state, roost::channels::ChannelRef channel) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    timer.expires_at(state->deadline);
    boost::system::error_code ec;  // an aborted wait (the loop shutting down) just ends the watch
    co_await timer.async_wait(boost::asio::redirect_error(roost::use_awaitable, ec));
    if (ec) break;
    if (std::chrono::steady_clock::now() >= state->deadline) {
      state->watching = false;
      channel.send(TypingTimer::Idle{});
      co_return;
    }
    if (!channel.alive()) break;  // edits moved the deadline, but nobody is left to tell
  }
  state->watching = false;
}
// tutorial:end typing-watch

}  // namespace

// tutorial:begin typing-touch
void TypingTimer::touch(const boost::asio::any_io_executor& executor, roost::channels::ChannelRef channel) {
  state_->deadline = Clock::now() + idle_after_;
  if (state_->watching) return;  // the running watcher will see the new deadline
  state_->watching = true;
  boost::asio::co_spawn(executor, watch(state_, std::move(channel)), boost::asio::detached);
}

bool TypingTimer::expired() const { return Clock::now() >= state_->deadline; }
// tutorial:end typing-touch

}  // namespace pair::channel
