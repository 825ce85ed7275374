// The thread pool on simulated workers: tasks joined through a JoinSet, a
// task woken round after round from another simulated thread, one waiting
// task aborted, then the pool shut down; the fuzzer's bytes choose every
// switch between the threads (and every other decision).
#include "fuzz/fuzz_scenario.h"
#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;

constexpr int kRounds = 3;

Async<int> quick(int value) {
  co_await weft::yield_now();
  co_return value;
}

Async<void> wait_forever(weft::Notify* never) { co_await never->notified(); }

Async<void> listen(weft::Notify* ping, weft::sync::atomic<int>* received) {
  for (int i = 0; i < kRounds; ++i) {
    co_await ping->notified();
    received->fetch_add(1);
  }
}

Async<void> scenario() {
  weft::ThreadPoolExecutor pool(2);
  weft::Spawner on_pool = pool.spawner();
  weft::JoinSet<int> set;
  for (int i = 1; i <= 2; ++i) set.spawn_on(on_pool, quick(i));
  weft::Notify never;
  auto doomed = pool.spawn(wait_forever(&never));
  weft::Notify ping;
  weft::sync::atomic<int> received{0};
  auto listener = pool.spawn(listen(&ping, &received));
  weft::sync::thread pinger([&ping, &received] {
    for (int i = 0; i < kRounds; ++i) {
      ping.notify_one();
      while (received.load() <= i) weft::sync::yield_now();
    }
  });
  doomed.abort();
  int total = 0;
  while (auto next = co_await set.join_next()) total += *next;
  pool.block_on(std::move(listener));
  pinger.join();
  bool cancelled = false;
  try {
    pool.block_on(std::move(doomed));
  } catch (const weft::TaskCancelled&) {
    cancelled = true;
  }
  WEFT_ASSERT_EQ(total, 3);
  WEFT_ASSERT(cancelled, "an aborted task that never finishes ends cancelled");
  WEFT_ASSERT_EQ(received.load(), kRounds);
  pool.shutdown();
}

}  // namespace

WEFT_FUZZ_SCENARIO(thread_pool_fuzz, scenario, weft::sim::SimOptions{})
