// Replaces the global allocation functions for the websocket test binary so tests can check
// that the parser's hot paths and idle state use no heap.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "unit/websocket/ws_test_support.h"

namespace {
std::atomic<long> g_total{0};
std::atomic<long> g_live{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  g_total.fetch_add(1, std::memory_order_relaxed);
  g_live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  g_live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace roost::websocket::testing {
long total_allocations() noexcept { return g_total.load(std::memory_order_relaxed); }
long live_allocations() noexcept { return g_live.load(std::memory_order_relaxed); }
}  // namespace roost::websocket::testing

namespace roost::websocket::testing {
namespace {

TEST(AllocCounter, CountsAllocationsAndReleases) {
  const long total = total_allocations();
  const long live = live_allocations();
  auto p = std::make_unique<int[]>(64);
  EXPECT_EQ(total_allocations(), total + 1);
  EXPECT_EQ(live_allocations(), live + 1);
  p.reset();
  EXPECT_EQ(live_allocations(), live);
}

}  // namespace
}  // namespace roost::websocket::testing
