#include "runtime/primitives/join_set.h"

#include <gtest/gtest.h>

#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "runtime/future/cancelled.h"
#include "runtime/future/yield_now.h"
#include "tests/support/counted.h"
#include "tests/support/manual_event.h"

namespace weft {
namespace {

using testing::Counted;
using testing::ManualEvent;

Async<int> after(ManualEvent::Wait wait, int value) {
  co_await std::move(wait);
  co_return value;
}

TEST(JoinSet, CollectsOutputsInTheOrderTasksFinish) {
  LocalExecutor executor;
  ManualEvent events[3];
  auto collected =
      executor.spawn([](ManualEvent* events) -> Async<std::vector<int>> {
        JoinSet<int> set;
        for (int i = 0; i < 3; ++i) set.spawn(after(events[i].wait(), i));
        std::vector<int> order;
        while (std::optional<int> next = co_await set.join_next()) {
          order.push_back(*next);
        }
        co_return order;
      }(events));
  executor.run_until_stalled();
  events[2].fire();
  executor.run_until_stalled();
  events[0].fire();
  executor.run_until_stalled();
  events[1].fire();
  EXPECT_EQ(executor.block_on(std::move(collected)),
            (std::vector<int>{2, 0, 1}));
}

// Many members finishing in the reverse of their spawn order, in rounds
// that reuse the slots of members already joined: each comes out as it
// finishes, and a reused slot is not confused with its earlier member.
TEST(JoinSet, ManyMembersComeOutInFinishingOrderAcrossReusedSlots) {
  LocalExecutor executor;
  constexpr int kMembers = 300;
  JoinSet<int> set;  // one set: later rounds reuse the slots of earlier ones
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    std::vector<ManualEvent> events(kMembers);
    std::vector<int> order;
    auto collector =
        executor.spawn([](JoinSet<int>* set, std::vector<ManualEvent>* events,
                          std::vector<int>* order) -> Async<void> {
          for (int i = 0; i < kMembers; ++i) {
            set->spawn(after((*events)[static_cast<std::size_t>(i)].wait(), i));
          }
          while (std::optional<int> next = co_await set->join_next()) {
            order->push_back(*next);
          }
        }(&set, &events, &order));
    executor.run_until_stalled();
    for (int i = kMembers - 1; i >= 0; --i) {
      events[static_cast<std::size_t>(i)].fire();
      executor.run_until_stalled();
    }
    executor.block_on(std::move(collector));
    ASSERT_EQ(order.size(), static_cast<std::size_t>(kMembers));
    for (int i = 0; i < kMembers; ++i) {
      EXPECT_EQ(order[static_cast<std::size_t>(i)], kMembers - 1 - i);
    }
    EXPECT_TRUE(set.empty());
  }
}

TEST(JoinSet, DroppingTheSetAbortsEveryRemainingTask) {
  LocalExecutor executor;
  int live = 0;
  ManualEvent never;
  executor.block_on([](int* live, ManualEvent* never) -> Async<void> {
    JoinSet<void> set;
    auto waiter = [](Counted, ManualEvent::Wait wait) -> Async<void> {
      co_await std::move(wait);
    };
    for (int i = 0; i < 4; ++i) set.spawn(waiter(Counted(live), never->wait()));
    co_await yield_now();  // let them start
    EXPECT_EQ(*live, 4);
  }(&live, &never));
  executor.run_until_stalled();
  EXPECT_EQ(live, 0);
  EXPECT_EQ(executor.task_count(), 0u);
}

TEST(JoinSet, AbortedTaskIsReportedAsCancelled) {
  LocalExecutor executor;
  ManualEvent never;
  int cancelled = executor.block_on([](ManualEvent* never) -> Async<int> {
    JoinSet<int> set;
    set.spawn(after(never->wait(), 1));
    set.spawn(after(never->wait(), 2));
    co_await yield_now();
    set.abort_all();
    int cancelled = 0;
    while (!set.empty()) {
      try {
        co_await set.join_next();
      } catch (const TaskCancelled&) {
        ++cancelled;
      }
    }
    co_return cancelled;
  }(&never));
  EXPECT_EQ(cancelled, 2);
}

TEST(JoinSet, TaskExceptionComesOutOfJoinNext) {
  LocalExecutor executor;
  bool caught = executor.block_on([]() -> Async<bool> {
    JoinSet<int> set;
    set.spawn([]() -> Async<int> {
      throw std::runtime_error("boom");
      co_return 0;
    }());
    try {
      co_await set.join_next();
    } catch (const std::runtime_error&) {
      co_return set.empty();
    }
    co_return false;
  }());
  EXPECT_TRUE(caught);
}

// Found by props/join_set_model_test: join_next() registered only with the
// tasks present when it started waiting.
TEST(JoinSet, ATaskSpawnedWhileJoinNextWaitsCanWakeIt) {
  LocalExecutor executor;
  ManualEvent first_event;
  ManualEvent second_event;
  JoinSet<int> set;
  Spawner spawner = executor.spawner();
  set.spawn_on(spawner, after(first_event.wait(), 1));
  auto joiner =
      executor.spawn([](JoinSet<int>* set) -> Async<std::optional<int>> {
        co_return co_await set->join_next();
      }(&set));
  executor.run_until_stalled();
  set.spawn_on(spawner, after(second_event.wait(), 2));
  executor.run_until_stalled();
  second_event.fire();
  executor.run_until_stalled();
  ASSERT_TRUE(joiner.is_finished());
  EXPECT_EQ(executor.block_on(std::move(joiner)), std::optional<int>(2));
  set.abort_all();
}

TEST(JoinSet, EmptySetIsReadyWithNothing) {
  LocalExecutor executor;
  auto next = executor.block_on([]() -> Async<std::optional<int>> {
    JoinSet<int> set;
    co_return co_await set.join_next();
  }());
  EXPECT_FALSE(next.has_value());
}

}  // namespace
}  // namespace weft
