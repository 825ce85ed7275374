// A waker that re-enters the primitive that woke it (or takes its lock):
// Notify, Semaphore, watch and TimerService wake only after releasing
// their lock, so none of these deadlocks. (Before, each woke under its
// own std::mutex, and the waker's call back in locked it again.)
#include <gtest/gtest.h>

#include "runtime/future/waker_fn.h"
#include "runtime/primitives/notify.h"
#include "runtime/primitives/semaphore.h"
#include "runtime/primitives/watch.h"
#include "runtime/task/clock.h"
#include "runtime/task/timer_service.h"

namespace weft {
namespace {

TEST(ReentrantWaker, NotifyOneFromInsideAWake) {
  Notify notify;
  auto first = notify.notified();
  int wakes = 0;
  const Waker waker = waker_from_fn([&] {
    ++wakes;
    notify.notify_one();  // re-enters: stores the permit
  });
  Context cx(waker);
  ASSERT_TRUE(first.poll(cx).is_pending());
  notify.notify_one();
  EXPECT_EQ(wakes, 1);
  EXPECT_TRUE(notify.has_permit());
  EXPECT_TRUE(first.poll(cx).is_ready());
}

TEST(ReentrantWaker, NotifyWaitersFromInsideAWake) {
  Notify notify;
  auto waiting = notify.notified();
  const Waker waker = waker_from_fn([&] { (void)notify.waiter_count(); });
  Context cx(waker);
  ASSERT_TRUE(waiting.poll(cx).is_pending());
  notify.notify_waiters();
  EXPECT_TRUE(waiting.poll(cx).is_ready());
}

TEST(ReentrantWaker, SemaphoreGrantFromInsideAWake) {
  Semaphore semaphore(0);
  auto acquire = semaphore.acquire(1);
  std::size_t seen = 99;
  const Waker waker =
      waker_from_fn([&] { seen = semaphore.available_permits(); });
  Context cx(waker);
  ASSERT_TRUE(acquire.poll(cx).is_pending());
  semaphore.add_permits(1);
  EXPECT_EQ(seen, 0u);  // the permit went to the waiter
  auto permit = acquire.poll(cx);
  ASSERT_TRUE(permit.is_ready());
}

TEST(ReentrantWaker, SemaphoreCloseFromInsideAWake) {
  Semaphore semaphore(0);
  auto acquire = semaphore.acquire(1);
  bool closed_seen = false;
  const Waker waker =
      waker_from_fn([&] { closed_seen = semaphore.is_closed(); });
  Context cx(waker);
  ASSERT_TRUE(acquire.poll(cx).is_pending());
  semaphore.close();
  EXPECT_TRUE(closed_seen);
}

TEST(ReentrantWaker, WatchSendFromInsideAWake) {
  auto [tx, rx] = watch::channel<int>(0);
  auto changed = rx.changed();
  int seen = -1;
  const Waker waker = waker_from_fn([&] { seen = rx.borrow(); });
  Context cx(waker);
  ASSERT_TRUE(changed.poll(cx).is_pending());
  ASSERT_TRUE(tx.send(5).ok());
  EXPECT_EQ(seen, 5);
}

TEST(ReentrantWaker, ATimerFiredWakerCanArmAnotherTimer) {
  ManualClock clock;
  TimerService timers(clock);
  TimerEntry first;
  TimerEntry second;
  bool armed_again = false;
  const Waker rearm = waker_from_fn([&] {
    timers.arm(second, clock.now() + std::chrono::seconds(1), Waker(), {});
    armed_again = true;
  });
  timers.arm(first, clock.now() + std::chrono::seconds(1), rearm, {});
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(timers.fire_due(clock.now()), 1u);
  EXPECT_TRUE(armed_again);
  EXPECT_EQ(timers.armed_count(), 1u);
  timers.disarm(second);
}

TEST(WakerFn, CountsReferencesAndWakesTheFunction) {
  int wakes = 0;
  Waker waker = waker_from_fn([&wakes] { ++wakes; });
  Waker copy = waker;
  copy.wake_by_ref();
  std::move(copy).wake();
  EXPECT_EQ(wakes, 2);
  EXPECT_TRUE(copy.empty());
  EXPECT_TRUE(waker.will_wake(Waker(waker)));
}

struct Flag {
  int wakes = 0;
  void wake() { ++wakes; }
};

TEST(WakerFn, ASharedTargetLivesAsLongAsItsWakers) {
  auto flag = std::make_shared<Flag>();
  std::weak_ptr<Flag> watch = flag;
  Waker waker = waker_from_shared(flag);
  flag.reset();
  ASSERT_FALSE(watch.expired());
  waker.wake_by_ref();
  EXPECT_EQ(watch.lock()->wakes, 1);
  waker.reset();
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace weft
