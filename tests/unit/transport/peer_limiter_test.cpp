#include "roost/transport/peer_limiter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using roost::transport::PeerLimiter;
using roost::transport::PeerSlot;
namespace ip = boost::asio::ip;

namespace {

TEST(PeerLimiter, RefusesBeyondTheMaximumPerAddressAndCountsAddressesApart) {
  auto limiter = PeerLimiter::create(2);
  const auto a = ip::make_address("127.0.0.1"), b = ip::make_address("127.0.0.2");
  auto s1 = limiter->acquire(a), s2 = limiter->acquire(a);
  ASSERT_TRUE(s1 && s2);
  EXPECT_FALSE(limiter->acquire(a));
  EXPECT_TRUE(limiter->acquire(b));  // released at once: a temporary
  EXPECT_EQ(limiter->held_by(a), 2u);
  EXPECT_EQ(limiter->held_by(b), 0u);
}

TEST(PeerLimiter, ASlotGivesItsPlaceBackWhenDestroyedOrMovedOver) {
  auto limiter = PeerLimiter::create(1);
  const auto a = ip::make_address("::1");
  {
    auto slot = limiter->acquire(a);
    ASSERT_TRUE(slot);
    PeerSlot moved = std::move(*slot);
    EXPECT_FALSE(limiter->acquire(a));
    moved = PeerSlot{};  // move-assigning releases the old place
    EXPECT_EQ(limiter->held_by(a), 0u);
    auto again = limiter->acquire(a);
    EXPECT_TRUE(again);
  }
  EXPECT_EQ(limiter->held_by(a), 0u);
}

TEST(PeerLimiter, Ipv4AndItsMappedIpv6FormAreOneAddress) {
  auto limiter = PeerLimiter::create(1);
  auto slot = limiter->acquire(ip::make_address("10.0.0.7"));
  ASSERT_TRUE(slot);
  EXPECT_FALSE(limiter->acquire(ip::make_address("::ffff:10.0.0.7")));
}

TEST(PeerLimiter, ZeroMeansUnlimitedAndCountsNothing) {
  auto limiter = PeerLimiter::create(0);
  std::vector<PeerSlot> slots;
  for (int i = 0; i < 1000; ++i) slots.push_back(std::move(*limiter->acquire(ip::make_address("127.0.0.1"))));
  EXPECT_EQ(limiter->held_by(ip::make_address("127.0.0.1")), 0u);
}

TEST(PeerLimiter, SlotsTakenAndReleasedOnManyThreadsBalance) {
  auto limiter = PeerLimiter::create(1'000'000);
  const auto a = ip::make_address("127.0.0.9");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        auto slot = limiter->acquire(a);
        ASSERT_TRUE(slot);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(limiter->held_by(a), 0u);
}

}  // namespace
