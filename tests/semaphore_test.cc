#include "runtime/primitives/semaphore.h"

#include <gtest/gtest.h>

#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Semaphore, AcquireTakesFreePermitsAtOnce) {
  Semaphore semaphore(3);
  HandPoller poller;
  auto acquire = semaphore.acquire(2);
  auto result = poller.poll(acquire);
  ASSERT_TRUE(result.is_ready());
  ASSERT_TRUE(result.value().has_value());
  EXPECT_EQ(result.value()->count(), 2u);
  EXPECT_EQ(semaphore.available_permits(), 1u);
  result.value().reset();  // the permit goes back
  EXPECT_EQ(semaphore.available_permits(), 3u);
}

TEST(Semaphore, LargeRequestAtTheFrontIsNotOvertaken) {
  Semaphore semaphore(1);
  HandPoller big_poller;
  HandPoller small_poller;
  auto held = semaphore.try_acquire(1);
  ASSERT_TRUE(held);
  auto big = semaphore.acquire(2);
  auto small = semaphore.acquire(1);
  ASSERT_TRUE(big_poller.poll(big).is_pending());
  ASSERT_TRUE(small_poller.poll(small).is_pending());
  EXPECT_FALSE(semaphore.try_acquire(1));  // no barging past the queue
  held.reset();  // 1 free: not enough for `big`, and `small` must wait
  EXPECT_EQ(small_poller.wakes(), 0u);
  semaphore.add_permits(1);  // 2 free: `big` goes first
  EXPECT_EQ(big_poller.wakes(), 1u);
  EXPECT_EQ(small_poller.wakes(), 0u);
  auto granted = big_poller.poll(big);
  ASSERT_TRUE(granted.is_ready());
  granted.value().reset();
  EXPECT_EQ(small_poller.wakes(), 1u);
}

TEST(Semaphore, CancelWhileQueuedLetsTheNextOneThrough) {
  Semaphore semaphore(0);
  HandPoller poller;
  auto second = semaphore.acquire(1);
  {
    auto first = semaphore.acquire(2);
    ASSERT_TRUE(poller.poll(first).is_pending());
    ASSERT_TRUE(poller.poll(second).is_pending());
    semaphore.add_permits(1);  // `first` needs 2 and blocks `second`
    EXPECT_EQ(semaphore.available_permits(), 1u);
  }
  // `first` left the queue: the permit goes to `second`.
  EXPECT_EQ(semaphore.available_permits(), 0u);
  EXPECT_TRUE(poller.poll(second).is_ready());
}

TEST(Semaphore, CancelAfterGrantBeforeRepollReturnsThePermits) {
  Semaphore semaphore(0);
  HandPoller poller;
  {
    auto acquire = semaphore.acquire(2);
    ASSERT_TRUE(poller.poll(acquire).is_pending());
    semaphore.add_permits(2);  // granted to `acquire`, not yet seen
    EXPECT_EQ(semaphore.available_permits(), 0u);
  }
  EXPECT_EQ(semaphore.available_permits(), 2u);
}

TEST(Semaphore, CancelAfterGrantPassesThePermitsToTheNextWaiter) {
  Semaphore semaphore(0);
  HandPoller first_poller;
  HandPoller second_poller;
  auto second = semaphore.acquire(1);
  {
    auto first = semaphore.acquire(1);
    ASSERT_TRUE(first_poller.poll(first).is_pending());
    ASSERT_TRUE(second_poller.poll(second).is_pending());
    semaphore.add_permits(1);
    EXPECT_EQ(first_poller.wakes(), 1u);
  }
  EXPECT_EQ(second_poller.wakes(), 1u);
  EXPECT_TRUE(second_poller.poll(second).is_ready());
}

TEST(Semaphore, CloseWhileWaitersWaitFailsThemAll) {
  Semaphore semaphore(0);
  HandPoller poller;
  auto first = semaphore.acquire(1);
  auto second = semaphore.acquire(1);
  ASSERT_TRUE(poller.poll(first).is_pending());
  ASSERT_TRUE(poller.poll(second).is_pending());
  semaphore.close();
  EXPECT_EQ(poller.wakes(), 2u);
  auto a = poller.poll(first);
  auto b = poller.poll(second);
  ASSERT_TRUE(a.is_ready());
  ASSERT_TRUE(b.is_ready());
  EXPECT_FALSE(a.value().has_value());
  EXPECT_FALSE(b.value().has_value());
  auto later = semaphore.acquire(1);
  auto c = poller.poll(later);
  ASSERT_TRUE(c.is_ready());
  EXPECT_FALSE(c.value().has_value());
}

TEST(Semaphore, RepollWithANewWakerWakesTheNewOne) {
  Semaphore semaphore(0);
  HandPoller old_poller;
  HandPoller new_poller;
  auto acquire = semaphore.acquire(1);
  ASSERT_TRUE(old_poller.poll(acquire).is_pending());
  ASSERT_TRUE(new_poller.poll(acquire).is_pending());
  semaphore.add_permits(1);
  EXPECT_EQ(old_poller.wakes(), 0u);
  EXPECT_EQ(new_poller.wakes(), 1u);
}

TEST(Semaphore, ForgottenPermitsStayOut) {
  Semaphore semaphore(2);
  auto permit = semaphore.try_acquire(2);
  ASSERT_TRUE(permit);
  permit->forget();
  permit.reset();
  EXPECT_EQ(semaphore.available_permits(), 0u);
}

TEST(SemaphoreDeathTest, DestroyedWithQueuedAcquiresIsReported) {
  EXPECT_DEATH(
      {
        HandPoller poller;
        auto semaphore = std::make_unique<Semaphore>(0);
        auto acquire = semaphore->acquire(1);
        (void)poller.poll(acquire);
        semaphore.reset();
      },
      "a Semaphore was destroyed while 1 acquire\\(s\\) wait on it");
}

}  // namespace
}  // namespace weft
