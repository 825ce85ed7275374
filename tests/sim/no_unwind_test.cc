// Reports where unwinding is not allowed: a misuse or a failed assertion
// in a destructor, a noexcept move or a cancellation is recorded and the
// run stops at the next poll boundary with the report, instead of
// std::terminate; and code that swallows the simulator's unwinding with
// catch (...) still leaves the run reported as failed.
#include <gtest/gtest.h>

#include <memory>

#include "runtime/weft.h"
#include "sim/core/simulator.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;
using testing::expect_found;
using testing::sweep;

Async<void> wait_on(Notify* notify) { co_await notify->notified(); }

Async<void> notify_destroyed_while_waited_on() {
  auto notify = std::make_unique<Notify>();
  auto waiter = spawn(wait_on(notify.get()));
  co_await yield_now();
  notify.reset();  // ~Notify: a misuse, in a destructor
  co_await yield_now();
  WEFT_ASSERT(false, "the run should have stopped before this");
}

TEST(NoUnwind, ANotifyDestroyedWhileWaitedOnIsAReportedMisuse) {
  SweepOutcome outcome =
      sweep(notify_destroyed_while_waited_on, "fifo", 1, SimOptions{});
  expect_found(outcome, Checker::kProtocolMisuse);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find(
                "a Notify was destroyed while 1 task(s) wait on it"),
            std::string::npos)
      << outcome.failure->failure.message;
}

Async<void> acquire_from(Semaphore* semaphore) {
  auto permit = co_await semaphore->acquire(2);
  (void)permit;
}

Async<void> semaphore_destroyed_while_waited_on() {
  auto semaphore = std::make_unique<Semaphore>(1);
  auto waiter = spawn(acquire_from(semaphore.get()));
  co_await yield_now();
  semaphore.reset();
  co_await yield_now();
}

TEST(NoUnwind, ASemaphoreDestroyedWhileWaitedOnIsAReportedMisuse) {
  SweepOutcome outcome =
      sweep(semaphore_destroyed_while_waited_on, "fifo", 1, SimOptions{});
  expect_found(outcome, Checker::kProtocolMisuse);
  EXPECT_NE(outcome.failure->failure.message.find(
                "a Semaphore was destroyed while 1 acquire(s) wait on it"),
            std::string::npos);
}

struct ChecksWhenDropped {
  ~ChecksWhenDropped() { WEFT_ASSERT(false, "dropped while holding work"); }
};

Async<void> holds_a_checker() {
  ChecksWhenDropped checker;
  co_await sleep_for(1s);
}

Async<void> cancels_a_task_whose_drop_asserts() {
  auto task = spawn(holds_a_checker());
  co_await yield_now();
  task.abort();  // the future is dropped: its destructor asserts
  co_await yield_now();
  co_await yield_now();
}

TEST(NoUnwind, AnAssertionInADestructorRunByCancellationIsRecorded) {
  SweepOutcome outcome =
      sweep(cancels_a_task_whose_drop_asserts, "fifo", 1, SimOptions{});
  expect_found(outcome, Checker::kInvariant);
  EXPECT_NE(outcome.failure->failure.message.find("dropped while holding work"),
            std::string::npos);
}

Async<void> swallows_the_abort() {
  try {
    WEFT_ASSERT(1 + 1 == 3, "arithmetic");
  } catch (...) {
    // User code that catches everything: the run must still fail.
  }
  co_await yield_now();
}

TEST(NoUnwind, ACatchAllThatSwallowsTheAbortStillFailsTheRun) {
  SweepOutcome outcome = sweep(swallows_the_abort, "fifo", 1, SimOptions{});
  expect_found(outcome, Checker::kInvariant);
  EXPECT_NE(outcome.failure->failure.message.find("arithmetic"),
            std::string::npos);
}

Async<void> moves_an_armed_sleep() {
  Sleep sleep = sleep_for(1s);
  const Waker waker;
  // Arm it by polling once through a select with an immediately ready
  // branch; then move it: a misuse inside a noexcept move.
  Context cx(waker);
  (void)sleep.poll(cx);
  Sleep moved(std::move(sleep));
  co_await yield_now();
}

TEST(NoUnwind, MovingAnArmedSleepIsAReportedMisuseNotATerminate) {
  SweepOutcome outcome = sweep(moves_an_armed_sleep, "fifo", 1, SimOptions{});
  expect_found(outcome, Checker::kProtocolMisuse);
  EXPECT_NE(outcome.failure->failure.message.find(
                "a Sleep was moved after its first poll"),
            std::string::npos);
}

}  // namespace
}  // namespace weft::sim
