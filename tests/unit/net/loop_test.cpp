// Loop: cross-thread post() runs tasks in FIFO order on the loop thread; Loop::current() / is_current().
#include "roost/net/loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "roost/core/metrics.h"

namespace {

using roost::Metrics;
using roost::net::Loop;
using roost::net::LoopGroup;

TEST(Loop, CurrentIsNullOffALoopThread) {
  EXPECT_EQ(Loop::current(), nullptr);
  Metrics metrics(1);
  LoopGroup group(1, metrics);
  EXPECT_FALSE(group.at(0).is_current());
}

TEST(Loop, PostFromAnotherThreadRunsInFifoOrderOnTheLoopThread) {
  Metrics metrics(1);
  LoopGroup group(1, metrics);
  Loop& loop = group.at(0);
  constexpr int kTasks = 5000;

  std::vector<int> order;  // written on the loop thread only, read after it joined
  std::vector<Loop*> current_seen;
  std::atomic<int> ran{0};
  std::thread::id loop_thread_id;
  bool all_on_loop_thread = true;

  std::thread loop_thread([&] {
    loop_thread_id = std::this_thread::get_id();
    loop.run();
  });
  // Producer: a thread that is neither the test thread nor the loop thread.
  std::thread producer([&] {
    for (int i = 0; i < kTasks; ++i) {
      loop.post([&, i] {
        order.push_back(i);
        if (std::this_thread::get_id() != loop_thread_id) all_on_loop_thread = false;
        if (i % 1000 == 0) current_seen.push_back(Loop::current());
        ++ran;
      });
    }
  });
  producer.join();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ran.load() < kTasks && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  loop.stop();
  loop_thread.join();

  ASSERT_EQ(order.size(), static_cast<std::size_t>(kTasks));
  for (int i = 0; i < kTasks; ++i) ASSERT_EQ(order[static_cast<std::size_t>(i)], i) << "task " << i << " out of order";
  EXPECT_TRUE(all_on_loop_thread);
  ASSERT_EQ(current_seen.size(), 5u);
  for (Loop* l : current_seen) EXPECT_EQ(l, &loop);
  EXPECT_EQ(Loop::current(), nullptr);  // the test thread is not a loop thread
}

TEST(Loop, CurrentAndIsCurrentInsideTasks) {
  Metrics metrics(2);
  LoopGroup group(2, metrics);
  Loop* seen0 = reinterpret_cast<Loop*>(1);
  Loop* seen1 = reinterpret_cast<Loop*>(1);
  bool is_current0 = false, other_is_current = true;
  std::atomic<int> done{0};
  group.at(0).post([&] {
    seen0 = Loop::current();
    is_current0 = group.at(0).is_current();
    other_is_current = group.at(1).is_current();
    ++done;
  });
  group.at(1).post([&] {
    seen1 = Loop::current();
    ++done;
  });
  std::thread stopper([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (done.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    group.stop();
  });
  group.run();  // loop 0 on this thread, loop 1 on a thread of its own; returns after stop()
  stopper.join();
  ASSERT_EQ(done.load(), 2);
  EXPECT_EQ(seen0, &group.at(0));
  EXPECT_EQ(seen1, &group.at(1));
  EXPECT_TRUE(is_current0);
  EXPECT_FALSE(other_is_current);
  EXPECT_EQ(Loop::current(), nullptr);  // reset once run() returned
}

TEST(Loop, ATaskThatThrowsDoesNotStopTheMailbox) {
  Metrics metrics(1);
  LoopGroup group(1, metrics);
  Loop& loop = group.at(0);
  std::vector<int> ran;
  loop.post([&] { ran.push_back(1); });
  loop.post([] { throw std::runtime_error("boom"); });
  loop.post([&] {
    ran.push_back(3);
    loop.stop();
  });
  std::thread t([&] { loop.run(); });
  t.join();
  EXPECT_EQ(ran, (std::vector<int>{1, 3}));
}

}  // namespace
