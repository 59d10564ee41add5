// Unit tests of TypingTimer's deadline on a real loop: edits push it back; it expires
// after the idle period; a watcher for a channel that is gone ends quietly.
#include "channel/typing_timer.h"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

#include "support/loop_runner.h"

namespace pair::channel {
namespace {

roost::Task<void> sleep_for(std::chrono::milliseconds ms) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, ms);
  co_await timer.async_wait(roost::use_awaitable);
}

TEST(TypingTimer, ExpiresOnlyAfterTheIdlePeriodSinceTheLastEdit) {
  roost::testing::LoopRunner runner;
  ASSERT_TRUE(runner.run([&]() -> roost::Task<void> {
    auto executor = co_await boost::asio::this_coro::executor;
    TypingTimer timer(std::chrono::milliseconds(80));
    roost::channels::ChannelRef nobody;  // no channel: the watcher's message goes nowhere
    timer.touch(executor, nobody);
    EXPECT_FALSE(timer.expired());
    for (int i = 0; i < 4; ++i) {  // edits every 40 ms keep it alive past 80 ms
      co_await sleep_for(std::chrono::milliseconds(40));
      EXPECT_FALSE(timer.expired()) << i;
      timer.touch(executor, nobody);
    }
    co_await sleep_for(std::chrono::milliseconds(120));
    EXPECT_TRUE(timer.expired());
    // Typing again after it expired starts a new watch.
    timer.touch(executor, nobody);
    EXPECT_FALSE(timer.expired());
    co_await sleep_for(std::chrono::milliseconds(120));
    EXPECT_TRUE(timer.expired());
  }));
}

}  // namespace
}  // namespace pair::channel
