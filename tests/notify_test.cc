#include "runtime/primitives/notify.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Notify, NotifyOneBeforeTheWaitIsStoredAsAPermit) {
  Notify notify;
  notify.notify_one();
  notify.notify_one();  // at most one permit
  HandPoller poller;
  auto first = notify.notified();
  EXPECT_TRUE(poller.poll(first).is_ready());
  auto second = notify.notified();
  EXPECT_TRUE(poller.poll(second).is_pending());
}

TEST(Notify, NotifyOneWakesTheOldestWaiter) {
  Notify notify;
  HandPoller a;
  HandPoller b;
  auto first = notify.notified();
  auto second = notify.notified();
  ASSERT_TRUE(a.poll(first).is_pending());
  ASSERT_TRUE(b.poll(second).is_pending());
  notify.notify_one();
  EXPECT_EQ(a.wakes(), 1u);
  EXPECT_EQ(b.wakes(), 0u);
  EXPECT_TRUE(a.poll(first).is_ready());
  EXPECT_TRUE(b.poll(second).is_pending());
}

TEST(Notify, NotifyWaitersWakesOnlyCurrentWaitersAndStoresNothing) {
  Notify notify;
  HandPoller poller;
  auto waiting = notify.notified();
  ASSERT_TRUE(poller.poll(waiting).is_pending());
  notify.notify_waiters();
  EXPECT_TRUE(poller.poll(waiting).is_ready());
  EXPECT_FALSE(notify.has_permit());
  auto later = notify.notified();
  EXPECT_TRUE(poller.poll(later).is_pending());
}

TEST(Notify, CancelWhileQueuedLeavesTheList) {
  Notify notify;
  HandPoller poller;
  {
    auto waiting = notify.notified();
    ASSERT_TRUE(poller.poll(waiting).is_pending());
    EXPECT_EQ(notify.waiter_count(), 1u);
  }
  EXPECT_EQ(notify.waiter_count(), 0u);
  EXPECT_EQ(poller.live_wakers(), 0);
  notify.notify_one();
  EXPECT_TRUE(notify.has_permit());
}

TEST(Notify, CancelAfterBeingChosenPassesTheNotificationOn) {
  Notify notify;
  HandPoller a;
  HandPoller b;
  auto second = notify.notified();
  {
    auto first = notify.notified();
    ASSERT_TRUE(a.poll(first).is_pending());
    ASSERT_TRUE(b.poll(second).is_pending());
    notify.notify_one();  // chooses `first`
    EXPECT_EQ(b.wakes(), 0u);
  }  // `first` is dropped before it saw Ready
  EXPECT_EQ(b.wakes(), 1u);
  EXPECT_TRUE(b.poll(second).is_ready());
}

TEST(Notify, CancelAfterBeingChosenWithNoOtherWaiterRestoresThePermit) {
  Notify notify;
  HandPoller poller;
  {
    auto first = notify.notified();
    ASSERT_TRUE(poller.poll(first).is_pending());
    notify.notify_one();
  }
  EXPECT_TRUE(notify.has_permit());
}

TEST(Notify, RepollWithANewWakerWakesTheNewOne) {
  Notify notify;
  HandPoller old_poller;
  HandPoller new_poller;
  auto waiting = notify.notified();
  ASSERT_TRUE(old_poller.poll(waiting).is_pending());
  ASSERT_TRUE(new_poller.poll(waiting).is_pending());
  notify.notify_one();
  EXPECT_EQ(old_poller.wakes(), 0u);
  EXPECT_EQ(new_poller.wakes(), 1u);
  EXPECT_EQ(old_poller.live_wakers(), 0);
}

TEST(Notify, SpuriousPollsStayPending) {
  Notify notify;
  HandPoller poller;
  auto waiting = notify.notified();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(poller.poll(waiting).is_pending());
  EXPECT_EQ(notify.waiter_count(), 1u);
}

TEST(NotifyDeathTest, DestroyedWithWaitersIsReported) {
  EXPECT_DEATH(
      {
        HandPoller poller;
        auto notify = std::make_unique<Notify>();
        auto waiting = notify->notified();
        (void)poller.poll(waiting);
        notify.reset();
      },
      "a Notify was destroyed while 1 task\\(s\\) wait on it");
}

TEST(NotifyDeathTest, PollAfterReadyIsReported) {
  Notify notify;
  notify.notify_one();
  HandPoller poller;
  auto waiting = notify.notified();
  ASSERT_TRUE(poller.poll(waiting).is_ready());
  EXPECT_DEATH((void)poller.poll(waiting),
               "poll of a Notified after it returned Ready");
}

}  // namespace
}  // namespace weft
