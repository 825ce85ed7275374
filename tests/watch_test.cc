#include "runtime/primitives/watch.h"

#include <gtest/gtest.h>

#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Watch, ReceiversSeeTheNewestValue) {
  auto [tx, rx] = watch::channel<int>(1);
  EXPECT_EQ(rx.borrow(), 1);
  EXPECT_TRUE(tx.send(2).ok());
  EXPECT_TRUE(tx.send(3).ok());
  EXPECT_EQ(rx.borrow_and_update(), 3);
}

TEST(Watch, ChangedWakesEveryWaitingReceiver) {
  auto [tx, rx] = watch::channel<int>(0);
  auto other = rx;
  HandPoller a;
  HandPoller b;
  auto changed_a = rx.changed();
  auto changed_b = other.changed();
  ASSERT_TRUE(a.poll(changed_a).is_pending());
  ASSERT_TRUE(b.poll(changed_b).is_pending());
  EXPECT_TRUE(tx.send(5).ok());
  EXPECT_EQ(a.wakes(), 1u);
  EXPECT_EQ(b.wakes(), 1u);
  auto seen = a.poll(changed_a);
  ASSERT_TRUE(seen.is_ready());
  EXPECT_TRUE(seen.value());
  EXPECT_EQ(rx.borrow(), 5);
}

TEST(Watch, ChangedIsReadyAtOnceForAnUnseenVersion) {
  auto [tx, rx] = watch::channel<int>(0);
  EXPECT_TRUE(tx.send(1).ok());
  HandPoller poller;
  auto changed = rx.changed();
  EXPECT_TRUE(poller.poll(changed).is_ready());
  auto again = rx.changed();
  EXPECT_TRUE(poller.poll(again).is_pending());
}

TEST(Watch, SenderDroppedEndsTheWaitWithFalse) {
  auto [tx, rx] = watch::channel<int>(0);
  HandPoller poller;
  auto changed = rx.changed();
  ASSERT_TRUE(poller.poll(changed).is_pending());
  { auto dropped = std::move(tx); }
  auto result = poller.poll(changed);
  ASSERT_TRUE(result.is_ready());
  EXPECT_FALSE(result.value());
}

TEST(Watch, CancelledChangedUnlinksAndConsumesNothing) {
  auto [tx, rx] = watch::channel<int>(0);
  HandPoller poller;
  {
    auto changed = rx.changed();
    ASSERT_TRUE(poller.poll(changed).is_pending());
  }
  EXPECT_EQ(poller.live_wakers(), 0);
  EXPECT_TRUE(tx.send(1).ok());
  auto changed = rx.changed();
  EXPECT_TRUE(poller.poll(changed).is_ready());
}

TEST(Watch, SendWithNoReceiverReturnsTheValue) {
  auto [tx, rx] = watch::channel<int>(0);
  { auto dropped = std::move(rx); }
  auto result = tx.send(4);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.take_rejected(), 4);
}

}  // namespace
}  // namespace weft
