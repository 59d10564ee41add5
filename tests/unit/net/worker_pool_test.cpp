// WorkerPool: work runs off the awaiting thread and resumes on the awaiting executor.
#include "roost/net/worker_pool.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

namespace {

using roost::Task;

TEST(WorkerPool, RunsOnAWorkerAndResumesOnTheCaller) {
  boost::asio::io_context io;
  roost::net::WorkerPool pool(1);
  std::thread::id caller = std::this_thread::get_id(), worker, resumed;
  int result = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        result = co_await pool.run([&] {
          worker = std::this_thread::get_id();
          return 41 + 1;
        });
        resumed = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(result, 42);
  EXPECT_NE(worker, caller);
  EXPECT_EQ(resumed, caller);
}

TEST(WorkerPool, PropagatesExceptionsAndVoid) {
  boost::asio::io_context io;
  roost::net::WorkerPool pool(1);
  bool caught = false, ran = false;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        co_await pool.run([&] { ran = true; });
        try {
          co_await pool.run([]() -> int { throw std::runtime_error("boom"); });
        } catch (const std::runtime_error& e) {
          caught = std::string(e.what()) == "boom";
        }
      },
      boost::asio::detached);
  io.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(caught);
}

}  // namespace
