#include "runtime/primitives/mutex.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "runtime/future/yield_now.h"
#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Mutex, GuardGivesAccessAndUnlocksOnDestruction) {
  Mutex<std::string> mutex("a");
  HandPoller poller;
  {
    auto lock = mutex.lock();
    auto guard = poller.poll(lock);
    ASSERT_TRUE(guard.is_ready());
    *guard.value() += "b";
    EXPECT_TRUE(mutex.is_locked());
  }
  EXPECT_FALSE(mutex.is_locked());
  auto guard = mutex.try_lock();
  ASSERT_TRUE(guard);
  EXPECT_EQ(**guard, "ab");
}

TEST(Mutex, WaitersGetTheLockInFifoOrder) {
  Mutex<std::vector<int>> mutex;
  LocalExecutor executor;
  auto worker = [](Mutex<std::vector<int>>* mutex, int id) -> Async<void> {
    for (int round = 0; round < 3; ++round) {
      auto guard = co_await mutex->lock();
      guard->push_back(id);
      co_await yield_now();  // hold the lock across a suspension
    }
  };
  for (int id = 0; id < 3; ++id) executor.spawn(worker(&mutex, id)).detach();
  executor.run_until_stalled();
  auto guard = mutex.try_lock();
  ASSERT_TRUE(guard);
  // Task 0 takes the lock first; each release hands it to the oldest waiter.
  EXPECT_EQ(**guard, (std::vector<int>{0, 1, 2, 0, 1, 2, 0, 1, 2}));
}

TEST(Mutex, LockCancelledAfterGrantPassesTheLockOn) {
  Mutex<int> mutex(0);
  HandPoller first_poller;
  HandPoller second_poller;
  auto held = mutex.try_lock();
  auto second = mutex.lock();
  {
    auto first = mutex.lock();
    ASSERT_TRUE(first_poller.poll(first).is_pending());
    ASSERT_TRUE(second_poller.poll(second).is_pending());
    held.reset();  // the lock goes to `first`, which is then dropped
  }
  EXPECT_EQ(second_poller.wakes(), 1u);
  EXPECT_TRUE(second_poller.poll(second).is_ready());
}

TEST(MutexDeathTest, DestroyedWhileAGuardLivesIsReported) {
  EXPECT_DEATH(
      {
        auto mutex = std::make_unique<Mutex<int>>(1);
        auto guard = mutex->try_lock();
        mutex.reset();
      },
      "a weft::Mutex was destroyed while a guard holds it");
}

TEST(MutexDeathTest, AwaitingALockAfterItCompletedIsReported) {
  Mutex<int> mutex(1);
  HandPoller poller;
  auto lock = mutex.lock();
  auto guard = poller.poll(lock);
  ASSERT_TRUE(guard.is_ready());
  EXPECT_DEATH((void)poller.poll(lock),
               "poll of a Mutex::Lock after it returned Ready");
}

}  // namespace
}  // namespace weft
