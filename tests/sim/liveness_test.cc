// Liveness: eventually(condition, name, within) fails a run whose
// condition is still false at its deadline, naming the property and the
// unfinished tasks. It catches work that is silently never done (the
// lost_flush component), which no other checker sees, and it reports a
// run whose other tasks are stuck at the deadline instead of hanging.
#include <gtest/gtest.h>

#include <chrono>

#include "runtime/executors/local_executor.h"
#include "runtime/primitives/notify.h"
#include "sim/core/eventually.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/lost_flush.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;
using testing::expect_clean;
using testing::expect_found;
using testing::sweep;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Liveness, AnItemNeverWrittenIsALivenessFailureNamingTheProperty) {
  SweepOutcome outcome = sweep(zoo::lost_flush_scenario<false>, "random");
  expect_found(outcome, Checker::kLiveness);
  ASSERT_TRUE(outcome.failure);
  const std::string& message = outcome.failure->failure.message;
  EXPECT_TRUE(contains(message,
                       "eventually \"every pushed item is written\" "
                       "was still false after 50 ms of virtual time"))
      << message;
  EXPECT_TRUE(contains(message, "lost_flush.h:")) << message;
  EXPECT_TRUE(contains(message, "no other task is unfinished")) << message;
}

TEST(Liveness, TheFixedTwinIsClean) {
  expect_clean(sweep(zoo::lost_flush_scenario<true>, "random"));
  expect_clean(sweep(zoo::lost_flush_scenario<true>, "exhaustive:2"));
}

// The same buggy log without the property: every run ends cleanly, so the
// lost item goes unnoticed by every other checker.
Async<void> lost_flush_without_the_property() {
  zoo::WriteBehindLog<false> log;
  auto later = spawn([](zoo::WriteBehindLog<false>* log) -> Async<void> {
    co_await sleep_for(2ms);
    log->push(2);
  }(&log));
  co_await sleep_for(1ms);
  log.push(1);
  co_await std::move(later);
  co_await sleep_for(50ms);
  co_await log.close();
}

TEST(Liveness, WithoutThePropertyTheLostItemGoesUnseen) {
  expect_clean(sweep(lost_flush_without_the_property, "random"));
}

// Everything else is stuck: the property's deadline still ends the run,
// with the stuck task described, instead of a hang or a vague budget.
Async<void> waits_for_a_notify_nobody_sends() {
  Notify never;
  bool done = false;
  auto stuck = spawn([](Notify* never, bool* done) -> Async<void> {
    co_await never->notified();
    *done = true;
  }(&never, &done));
  co_await eventually([&done] { return done; }, "the worker finishes", 10ms);
  co_await std::move(stuck);
}

TEST(Liveness, AStuckWorkerIsReportedAtTheDeadlineWithItsAwait) {
  SweepOutcome outcome = sweep(waits_for_a_notify_nobody_sends, "fifo", 1);
  expect_found(outcome, Checker::kLiveness);
  ASSERT_TRUE(outcome.failure);
  const std::string& message = outcome.failure->failure.message;
  EXPECT_TRUE(contains(message,
                       "\"the worker finishes\" was still false "
                       "after 10 ms"))
      << message;
  EXPECT_TRUE(contains(message, "liveness_test.cc:")) << message;
  EXPECT_TRUE(contains(message, "1 other unfinished task(s)")) << message;
}

TEST(Liveness, AConditionAlreadyTrueCostsNoTime) {
  SweepOutcome outcome = sweep(
      []() -> Async<void> {
        co_await eventually([] { return true; }, "true", 1ms);
      },
      "fifo", 1);
  expect_clean(outcome);
  EXPECT_LE(outcome.stats.steps, 2u);
}

TEST(Liveness, OutsideASimulationItWaitsOnTheExecutorsClock) {
  LocalExecutor executor;
  int polls = 0;
  executor.block_on(eventually([&polls] { return ++polls >= 3; }, "third check",
                               std::chrono::milliseconds(64)));
  EXPECT_EQ(polls, 3);
}

}  // namespace
}  // namespace weft::sim
