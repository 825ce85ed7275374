// Mutex under cancellation: never two holders, the count is exact for the
// tasks that finished, and the lock is free at the end.
#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;

struct Shared {
  weft::Mutex<int> counter{0};
  int inside = 0;
};

Async<int> worker(Shared* shared, int rounds) {
  int done = 0;
  for (int i = 0; i < rounds; ++i) {
    auto guard = co_await shared->counter.lock();
    WEFT_ASSERT_EQ(shared->inside, 0);
    ++shared->inside;
    // Leaves on drop too, so a holder cancelled mid-way is not left counted.
    struct LeaveOnDrop {
      int* inside;
      ~LeaveOnDrop() { --*inside; }
    } leave{&shared->inside};
    co_await weft::yield_now();  // hold the lock across a suspension
    ++*guard;
    ++done;
  }
  co_return done;
}

Async<void> scenario() {
  Shared shared;
  std::vector<weft::JoinHandle<int>> workers;
  for (int i = 0; i < 4; ++i) {
    workers.push_back(i % 2 == 0
                          ? weft::spawn(worker(&shared, 3))
                          : weft::sim::spawn_cancellable(worker(&shared, 3)));
  }
  int finished_rounds = 0;
  int cancelled = 0;
  for (auto& handle : workers) {
    try {
      finished_rounds += co_await std::move(handle);
    } catch (const weft::TaskCancelled&) {
      ++cancelled;
    }
  }
  auto guard = shared.counter.try_lock();
  WEFT_ASSERT(guard.has_value(),
              "the lock is still held after every task ended");
  // Cancelled workers may have added some rounds before they were dropped.
  WEFT_ASSERT(**guard >= finished_rounds && **guard <= 12,
              "the counter does not match the rounds that ran");
  if (cancelled == 0) WEFT_ASSERT_EQ(**guard, 12);
}

}  // namespace

WEFT_FUZZ_SCENARIO(mutex_fuzz, scenario, weft::sim::SimOptions{})
