#include "runtime/executors/local_executor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/task/task.h"
#include "tests/support/counted.h"
#include "tests/support/manual_event.h"

namespace weft {
namespace {

using testing::Counted;
using testing::ManualEvent;

// A hand-written future that wakes its own task from inside poll the first
// `self_wakes` times, the way a future that yields does.
struct SelfWaking {
  using Output = int;
  int self_wakes;
  int* polls;
  Poll<int> poll(Context& cx) {
    ++*polls;
    if (*polls <= self_wakes) {
      cx.waker().wake_by_ref();
      cx.waker().wake_by_ref();  // a second wake in the same poll adds nothing
      return kPending;
    }
    return *polls;
  }
};

class LocalExecutorTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(TaskHeader::allocated_count(), tasks_before_)
        << "a task cell leaked";
  }
  const std::int64_t tasks_before_ = TaskHeader::allocated_count();
};

TEST_F(LocalExecutorTest, SpawnedTaskRunsAndJoins) {
  LocalExecutor executor;
  auto handle = executor.spawn([]() -> Async<int> { co_return 42; }());
  EXPECT_EQ(executor.block_on(std::move(handle)), 42);
  EXPECT_EQ(executor.task_count(), 0u);
}

TEST_F(LocalExecutorTest, WakeDuringOwnPollRequeuesOnce) {
  LocalExecutor executor;
  int polls = 0;
  auto handle = executor.spawn(SelfWaking{2, &polls});
  // Each run_one polls once; a task woken twice during a poll is queued
  // once, so the queue never holds it more than once.
  ASSERT_TRUE(executor.run_one());
  EXPECT_EQ(executor.queued_count(), 1u);
  ASSERT_TRUE(executor.run_one());
  EXPECT_EQ(executor.queued_count(), 1u);
  ASSERT_TRUE(executor.run_one());
  EXPECT_EQ(executor.queued_count(), 0u);
  EXPECT_EQ(polls, 3);
  EXPECT_EQ(executor.block_on(std::move(handle)), 3);
}

TEST_F(LocalExecutorTest, TaskIsPolledOnlyAfterAWake) {
  LocalExecutor executor;
  ManualEvent event;
  auto handle = executor.spawn(event.wait());
  EXPECT_EQ(executor.run_until_stalled(), 1u);
  EXPECT_EQ(executor.run_until_stalled(), 0u);
  EXPECT_EQ(event.polls(), 1);
  event.fire();
  EXPECT_EQ(executor.run_until_stalled(), 1u);
  EXPECT_EQ(event.polls(), 2);
  EXPECT_TRUE(handle.is_finished());
}

TEST_F(LocalExecutorTest, WakeAfterCompletionDoesNothing) {
  LocalExecutor executor;
  Waker kept;
  struct CaptureWaker {
    using Output = void;
    Waker* out;
    Poll<void> poll(Context& cx) {
      *out = cx.waker();
      return ready();
    }
  };
  // Coroutine lambdas take what they use as parameters, never as captures:
  // the closure is a temporary that dies before the first poll.
  auto handle = executor.spawn(
      [](Waker* out) -> Async<void> { co_await CaptureWaker{out}; }(&kept));
  executor.run_until_stalled();
  ASSERT_TRUE(handle.is_finished());
  kept.wake_by_ref();
  EXPECT_EQ(executor.queued_count(), 0u);
  std::move(kept).wake();
  EXPECT_EQ(executor.run_until_stalled(), 0u);
}

TEST_F(LocalExecutorTest, WakeOfADroppedTaskIsSafe) {
  ManualEvent event;
  {
    LocalExecutor executor;
    executor.spawn(event.wait()).detach();
    executor.run_until_stalled();
    ASSERT_TRUE(event.has_waker());
  }
  // The executor and the task's future are gone; the waker still holds the
  // task's memory, and waking it finds the task cancelled.
  event.fire();
}

TEST_F(LocalExecutorTest, AbortWhilePendingDropsTheFuture) {
  LocalExecutor executor;
  int live = 0;
  ManualEvent event;
  auto handle =
      executor.spawn([](Counted, ManualEvent::Wait wait) -> Async<void> {
        co_await std::move(wait);
      }(Counted(&live), event.wait()));
  executor.run_until_stalled();
  EXPECT_EQ(live, 1);
  handle.abort();
  executor.run_until_stalled();
  EXPECT_EQ(live, 0);
  EXPECT_THROW(executor.block_on(std::move(handle)), TaskCancelled);
}

TEST_F(LocalExecutorTest, AbortWhileScheduledCancelsBeforeTheFirstPoll) {
  LocalExecutor executor;
  bool ran = false;
  auto handle = executor.spawn([](bool* ran) -> Async<void> {
    *ran = true;
    co_return;
  }(&ran));
  handle.abort();
  executor.run_until_stalled();
  EXPECT_FALSE(ran);
  EXPECT_THROW(executor.block_on(std::move(handle)), TaskCancelled);
}

TEST_F(LocalExecutorTest, AbortAfterCompletionKeepsTheOutput) {
  LocalExecutor executor;
  auto handle = executor.spawn([]() -> Async<int> { co_return 5; }());
  executor.run_until_stalled();
  handle.abort();
  executor.run_until_stalled();
  EXPECT_EQ(executor.block_on(std::move(handle)), 5);
}

TEST_F(LocalExecutorTest, DroppedJoinHandleDetachesTheTask) {
  LocalExecutor executor;
  ManualEvent event;
  bool finished = false;
  executor
      .spawn([](ManualEvent::Wait wait, bool* finished) -> Async<void> {
        co_await std::move(wait);
        *finished = true;
      }(event.wait(), &finished))
      .detach();
  executor.run_until_stalled();
  event.fire();
  executor.run_until_stalled();
  EXPECT_TRUE(finished);
  EXPECT_EQ(executor.task_count(), 0u);
}

TEST_F(LocalExecutorTest, AwaitingAJoinHandleFromAnotherTask) {
  LocalExecutor executor;
  ManualEvent event;
  auto producer =
      executor.spawn([](ManualEvent::Wait wait) -> Async<std::string> {
        co_await std::move(wait);
        co_return "produced";
      }(event.wait()));
  auto consumer = executor.spawn(
      [](JoinHandle<std::string> producer) -> Async<std::string> {
        std::string value = co_await std::move(producer);
        co_return value + " and consumed";
      }(std::move(producer)));
  executor.run_until_stalled();
  EXPECT_FALSE(consumer.is_finished());
  event.fire();
  EXPECT_EQ(executor.block_on(std::move(consumer)), "produced and consumed");
}

TEST_F(LocalExecutorTest, ShutdownCancelsEveryTaskAndItsHandleSaysSo) {
  int live = 0;
  ManualEvent event;
  JoinHandle<void> handle;
  {
    LocalExecutor executor;
    handle = executor.spawn([](Counted, ManualEvent::Wait wait) -> Async<void> {
      co_await std::move(wait);
    }(Counted(&live), event.wait()));
    executor.run_until_stalled();
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
  EXPECT_TRUE(handle.is_finished());
  LocalExecutor other;
  EXPECT_THROW(other.block_on(std::move(handle)), TaskCancelled);
}

TEST_F(LocalExecutorTest, SpawnFromInsideATaskUsesTheCurrentExecutor) {
  LocalExecutor executor;
  int result = executor.block_on([]() -> Async<int> {
    auto child = spawn([]() -> Async<int> { co_return 20; }());
    int value = co_await std::move(child);
    co_return value + 1;
  }());
  EXPECT_EQ(result, 21);
  EXPECT_EQ(Executor::current(), nullptr);
}

TEST_F(LocalExecutorTest, BlockOnReportsAStallWithTheAwaitSite) {
  LocalExecutor executor;
  ManualEvent never;
  auto stuck = [](ManualEvent::Wait wait) -> Async<void> {
    co_await std::move(wait);
  };
  executor.spawn(stuck(never.wait())).detach();
  try {
    executor.block_on(stuck(never.wait()));
    FAIL() << "block_on returned";
  } catch (const Stalled& stalled) {
    const std::string report = stalled.what();
    EXPECT_NE(report.find("block_on stalled"), std::string::npos) << report;
    EXPECT_NE(report.find("task 1 (idle)"), std::string::npos) << report;
    EXPECT_NE(report.find("waiting at tests/local_executor_test.cc"),
              std::string::npos)
        << report;
  }
}

TEST_F(LocalExecutorTest, ExceptionInATaskReachesItsJoinHandle) {
  LocalExecutor executor;
  auto handle = executor.spawn([]() -> Async<int> {
    throw std::runtime_error("task failed");
    co_return 0;
  }());
  EXPECT_THROW(
      {
        try {
          executor.block_on(std::move(handle));
        } catch (const std::runtime_error& error) {
          EXPECT_STREQ(error.what(), "task failed");
          throw;
        }
      },
      std::runtime_error);
}

TEST(LocalExecutorDeathTest, SpawnThroughASpawnerOfADestroyedExecutor) {
  EXPECT_DEATH(
      {
        auto executor = std::make_unique<LocalExecutor>();
        Spawner spawner = executor->spawner();
        executor.reset();
        spawner.spawn([]() -> Async<void> { co_return; }()).detach();
      },
      "misuse: spawn on a destroyed executor \\(at "
      "tests/local_executor_test.cc");
}

TEST(LocalExecutorDeathTest, SpawnOutsideATaskIsReported) {
  EXPECT_DEATH(spawn([]() -> Async<void> { co_return; }()).detach(),
               "weft::spawn called outside a task");
}

}  // namespace
}  // namespace weft
