// The simulator's hot loop does not allocate per poll: doubling the number
// of polls in a steady-state run adds only the few allocations of its
// growing buffers (trace and decision vectors double), not one per poll.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "runtime/weft.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

// Counts every allocation in this test binary.
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }

namespace weft::sim {
namespace {

// Tasks pass a token around a ring of Notify objects for `rounds` rounds.
Async<void> ring(int tasks, int rounds) {
  std::vector<Notify> turns(static_cast<std::size_t>(tasks));
  JoinSet<void> set;
  for (int i = 0; i < tasks; ++i) {
    set.spawn([](std::vector<Notify>* turns, int i, int rounds) -> Async<void> {
      const auto n = turns->size();
      for (int r = 0; r < rounds; ++r) {
        co_await (*turns)[static_cast<std::size_t>(i)].notified();
        (*turns)[(static_cast<std::size_t>(i) + 1) % n].notify_one();
      }
    }(&turns, i, rounds));
  }
  turns[0].notify_one();
  while (co_await set.join_next()) {
  }
}

std::uint64_t allocations_for(int rounds, std::uint64_t* polls) {
  RandomWalkSource source(3);
  const std::uint64_t before = allocations.load();
  RunResult run =
      run_once([rounds] { return ring(10, rounds); }, SimOptions{}, source);
  EXPECT_FALSE(run.failure.has_value());
  *polls = run.steps;
  return allocations.load() - before;
}

TEST(HotLoop, PollsDoNotAllocate) {
  std::uint64_t short_polls = 0;
  std::uint64_t long_polls = 0;
  const std::uint64_t short_run = allocations_for(500, &short_polls);
  const std::uint64_t long_run = allocations_for(1000, &long_polls);
  std::printf("%llu allocations for %llu polls; %llu for %llu polls\n",
              static_cast<unsigned long long>(short_run),
              static_cast<unsigned long long>(short_polls),
              static_cast<unsigned long long>(long_run),
              static_cast<unsigned long long>(long_polls));
  ASSERT_GT(long_polls, short_polls + 4000);
  // A few buffer doublings at most, for thousands of extra polls (fewer
  // when a buffer of the earlier run is reused).
  EXPECT_LT(long_run, short_run + 16u)
      << short_run << " allocations for " << short_polls << " polls, "
      << long_run << " for " << long_polls;
}

}  // namespace
}  // namespace weft::sim
