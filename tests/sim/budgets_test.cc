// Limits turn runaway runs into reported failures, never hangs.
#include <gtest/gtest.h>

#include <chrono>

#include "runtime/weft.h"
#include "sim/core/simulator.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

using testing::expect_clean;
using testing::expect_found;
using testing::sweep;

// Two tasks that hand a turn back and forth; `rounds` < 0 means forever.
Async<void> ping_pong(int rounds) {
  Notify ping;
  Notify pong;
  auto other = spawn([](Notify* ping, Notify* pong, int rounds) -> Async<void> {
    for (int i = 0; rounds < 0 || i < rounds; ++i) {
      co_await ping->notified();
      pong->notify_one();
    }
  }(&ping, &pong, rounds));
  for (int i = 0; rounds < 0 || i < rounds; ++i) {
    ping.notify_one();
    co_await pong.notified();
  }
  co_await std::move(other);
}

SimOptions small_limits() {
  SimOptions options;
  options.limits.steps_max = 500;
  options.limits.tasks_max = 50;
  options.limits.virtual_time_max = std::chrono::hours(1);
  return options;
}

TEST(Budgets, LivelockHitsTheStepBudget) {
  expect_found(sweep([] { return ping_pong(-1); }, "random", 3, small_limits()),
               Checker::kStepBudget);
}

TEST(Budgets, ABoundedExchangeStaysWithinIt) {
  expect_clean(
      sweep([] { return ping_pong(40); }, "random", 30, small_limits()));
}

Async<void> spawn_many(int count) {
  JoinSet<void> set;
  for (int i = 0; i < count; ++i) {
    set.spawn([]() -> Async<void> { co_await yield_now(); }());
  }
  while (co_await set.join_next()) {
  }
}

TEST(Budgets, TooManyTasksHitTheTaskBudget) {
  expect_found(sweep([] { return spawn_many(200); }, "fifo", 1, small_limits()),
               Checker::kTaskBudget);
  expect_clean(sweep([] { return spawn_many(20); }, "fifo", 1, small_limits()));
}

Async<void> sleep_hours(int hours) {
  co_await sleep_for(std::chrono::hours(hours));
}

TEST(Budgets, SleepingPastTheTimeBudgetIsReported) {
  expect_found(sweep([] { return sleep_hours(2); }, "fifo", 1, small_limits()),
               Checker::kTimeBudget);
  expect_clean(sweep([] { return sleep_hours(0); }, "fifo", 1, small_limits()));
}

}  // namespace
}  // namespace weft::sim
