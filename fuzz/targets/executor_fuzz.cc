// Spawning, joining, aborting and cancelling tasks that spawn tasks.
#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;

Async<int> child(int depth) {
  co_await weft::yield_now();
  if (depth == 0) co_return 1;
  auto left = weft::sim::spawn_cancellable(child(depth - 1));
  auto right = weft::spawn(child(depth - 1));
  int total = 1;
  try {
    total += co_await std::move(left);
  } catch (const weft::TaskCancelled&) {
  }
  total += co_await std::move(right);
  co_return total;
}

Async<void> scenario() {
  auto tree = weft::spawn(child(3));
  auto doomed = weft::spawn(child(2));
  co_await weft::yield_now();
  doomed.abort();
  bool cancelled = false;
  try {
    (void)co_await std::move(doomed);
  } catch (const weft::TaskCancelled&) {
    cancelled = true;
  }
  WEFT_ASSERT(cancelled || doomed.is_finished(), "abort must end the task");
  const int nodes = co_await std::move(tree);
  // The right spine always completes: at least depth + 1 nodes.
  WEFT_ASSERT(nodes >= 4 && nodes <= 15, "a task tree lost or invented nodes");
}

}  // namespace

WEFT_FUZZ_SCENARIO(executor_fuzz, scenario, weft::sim::SimOptions{})
