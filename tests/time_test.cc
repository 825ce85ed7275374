// Sleep, timeout and Interval on a LocalExecutor with a ManualClock.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "runtime/time/interval.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"
#include "tests/support/counted.h"
#include "tests/support/hand_poller.h"
#include "tests/support/manual_event.h"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::Counted;
using testing::ManualEvent;

Instant at(Duration since_origin) {
  return Instant::from_nanoseconds(since_origin.count());
}

TEST(Sleep, CompletesWhenTheClockReachesTheDeadline) {
  ManualClock clock;
  LocalExecutor executor(clock);
  auto handle = executor.spawn([]() -> Async<Instant> {
    co_await sleep_for(10ms);
    co_return now();
  }());
  executor.run_until_stalled();
  EXPECT_FALSE(handle.is_finished());
  clock.advance(9ms);
  executor.run_until_stalled();
  EXPECT_FALSE(handle.is_finished());
  clock.advance(1ms);
  executor.run_until_stalled();
  EXPECT_TRUE(handle.is_finished());
  EXPECT_EQ(executor.block_on(std::move(handle)), at(10ms));
}

TEST(Sleep, BlockOnSleepsToTheNextTimer) {
  ManualClock clock;
  LocalExecutor executor(clock);
  executor.block_on([]() -> Async<void> { co_await sleep_for(1s); }());
  EXPECT_EQ(clock.now(), at(1s));
}

TEST(Sleep, DroppingASleepDisarmsItsTimer) {
  ManualClock clock;
  LocalExecutor executor(clock);
  auto handle =
      executor.spawn([]() -> Async<void> { co_await sleep_for(5ms); }());
  executor.run_until_stalled();
  EXPECT_EQ(executor.timers()->armed_count(), 1u);
  handle.abort();
  executor.run_until_stalled();
  EXPECT_EQ(executor.timers()->armed_count(), 0u);
}

TEST(Sleep, ZeroDurationIsReadyAtOnce) {
  ManualClock clock;
  LocalExecutor executor(clock);
  executor.block_on([]() -> Async<void> { co_await sleep_for(0ms); }());
  EXPECT_EQ(executor.timers()->armed_count(), 0u);
}

TEST(Timeout, InnerFutureThatFinishesInTimeWins) {
  ManualClock clock;
  LocalExecutor executor(clock);
  auto result = executor.block_on([]() -> Async<TimeoutResult<int>> {
    co_return co_await timeout(10ms, []() -> Async<int> {
      co_await sleep_for(5ms);
      co_return 7;
    }());
  }());
  ASSERT_FALSE(result.timed_out());
  EXPECT_EQ(result.value(), 7);
  EXPECT_EQ(clock.now(), at(5ms));
}

TEST(Timeout, ExpiryDropsTheInnerFutureAtOnce) {
  ManualClock clock;
  LocalExecutor executor(clock);
  int live = 0;
  ManualEvent never;
  auto result = executor.block_on(
      [](int* live, ManualEvent::Wait wait) -> Async<TimeoutResult<void>> {
        auto slow = [](Counted, ManualEvent::Wait wait) -> Async<void> {
          co_await std::move(wait);
        };
        auto outcome =
            co_await timeout(10ms, slow(Counted(live), std::move(wait)));
        EXPECT_EQ(*live, 0);  // dropped before timeout returned
        co_return outcome;
      }(&live, never.wait()));
  EXPECT_TRUE(result.timed_out());
  EXPECT_EQ(clock.now(), at(10ms));
}

TEST(Interval, TicksOnItsGridAndSkipsMissedTicks) {
  ManualClock clock;
  LocalExecutor executor(clock);
  std::vector<Instant> ticks =
      executor.block_on([](ManualClock* clock) -> Async<std::vector<Instant>> {
        Interval interval(10ms);
        std::vector<Instant> ticks;
        ticks.push_back(co_await interval.tick());  // immediate, at 0
        ticks.push_back(co_await interval.tick());  // at 10
        clock->advance(35ms);                       // now 45: missed 20, 30, 40
        ticks.push_back(co_await interval.tick());  // the late tick (20)
        ticks.push_back(co_await interval.tick());  // next on the grid: 50
        co_return ticks;
      }(&clock));
  EXPECT_EQ(ticks,
            (std::vector<Instant>{at(0ms), at(10ms), at(20ms), at(50ms)}));
}

TEST(SleepDeathTest, PollingOutsideAnExecutorIsReported) {
  testing::HandPoller poller;
  auto sleep = sleep_for(1ms);
  EXPECT_DEATH((void)poller.poll(sleep),
               "a Sleep was polled outside a task \\(no executor\\) \\(at "
               "tests/time_test.cc");
}

TEST(SleepDeathTest, TimerOnAnExecutorThatShutDownIsReported) {
  EXPECT_DEATH(
      {
        ManualClock clock;
        auto executor = std::make_unique<LocalExecutor>(clock);
        auto timers = executor->timers();
        executor.reset();
        TimerEntry entry;
        timers->arm(entry, at(1ms), Waker(), SourceLocation::current());
      },
      "a timer was armed on an executor that has shut down");
}

}  // namespace
}  // namespace weft
