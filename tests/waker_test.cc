#include "runtime/future/waker.h"

#include <gtest/gtest.h>

#include "runtime/future/test_wakers.h"

namespace weft {
namespace {

TEST(Waker, CopyClonesAndDestructionDrops) {
  CountingWaker counter;
  {
    Waker first = counter.waker();
    Waker second = first;
    EXPECT_EQ(counter.live(), 2);
    EXPECT_EQ(counter.clones(), 2u);
  }
  EXPECT_EQ(counter.live(), 0);
}

TEST(Waker, MoveTransfersTheReference) {
  CountingWaker counter;
  Waker first = counter.waker();
  Waker second = std::move(first);
  EXPECT_TRUE(first.empty());
  EXPECT_EQ(counter.live(), 1);
  EXPECT_EQ(counter.clones(), 1u);
}

TEST(Waker, WakeConsumesAndWakeByRefKeeps) {
  CountingWaker counter;
  Waker waker = counter.waker();
  waker.wake_by_ref();
  EXPECT_EQ(counter.wakes(), 1u);
  EXPECT_EQ(counter.live(), 1);
  std::move(waker).wake();
  EXPECT_EQ(counter.wakes(), 2u);
  EXPECT_EQ(counter.live(), 0);
  EXPECT_TRUE(waker.empty());
}

TEST(Waker, WillWakeComparesTargets) {
  CountingWaker a;
  CountingWaker b;
  Waker a1 = a.waker();
  Waker a2 = a.waker();
  Waker b1 = b.waker();
  EXPECT_TRUE(a1.will_wake(a2));
  EXPECT_FALSE(a1.will_wake(b1));
}

TEST(Waker, StoreWakerSkipsTheCloneWhenTheTargetIsTheSame) {
  CountingWaker a;
  CountingWaker b;
  Waker slot;
  Waker incoming = a.waker();
  store_waker(slot, incoming);
  store_waker(slot, incoming);
  EXPECT_EQ(a.clones(), 2u);  // the incoming one and one stored copy
  Waker newer = b.waker();
  store_waker(slot, newer);
  EXPECT_TRUE(slot.will_wake(newer));
  EXPECT_EQ(a.live(), 1);  // the old stored copy was dropped
}

TEST(Waker, EmptyWakerWakesNothing) {
  Waker empty;
  empty.wake_by_ref();
  std::move(empty).wake();
  EXPECT_TRUE(empty.empty());
}

TEST(Waker, NoopWakerClonesFreely) {
  Waker noop = noop_waker();
  Waker copy = noop;
  copy.wake_by_ref();
  EXPECT_TRUE(copy.will_wake(noop));
}

TEST(CountingWakerDeathTest, DestroyedWithLiveWakersIsReported) {
  EXPECT_DEATH(
      {
        Waker leaked;
        {
          CountingWaker counter;
          leaked = counter.waker();
        }
      },
      "CountingWaker destroyed while 1 of its Wakers are alive");
}

}  // namespace
}  // namespace weft
