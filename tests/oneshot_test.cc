#include "runtime/primitives/oneshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Oneshot, SendThenReceive) {
  auto [tx, rx] = oneshot::channel<std::string>();
  HandPoller poller;
  ASSERT_TRUE(poller.poll(rx).is_pending());
  EXPECT_TRUE(tx.send("hello").ok());
  EXPECT_EQ(poller.wakes(), 1u);
  auto received = poller.poll(rx);
  ASSERT_TRUE(received.is_ready());
  EXPECT_EQ(received.value(), "hello");
}

TEST(Oneshot, SenderDroppedUnsentWakesTheReceiverWithNothing) {
  auto [tx, rx] = oneshot::channel<int>();
  HandPoller poller;
  ASSERT_TRUE(poller.poll(rx).is_pending());
  { auto dropped = std::move(tx); }
  EXPECT_EQ(poller.wakes(), 1u);
  auto received = poller.poll(rx);
  ASSERT_TRUE(received.is_ready());
  EXPECT_FALSE(received.value().has_value());
}

TEST(Oneshot, SendToADroppedReceiverReturnsTheValue) {
  auto [tx, rx] = oneshot::channel<std::unique_ptr<int>>();
  { auto dropped = std::move(rx); }
  EXPECT_TRUE(tx.is_closed());
  auto result = tx.send(std::make_unique<int>(9));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(*result.take_rejected(), 9);
}

TEST(Oneshot, RepollWithANewWakerWakesTheNewOne) {
  auto [tx, rx] = oneshot::channel<int>();
  HandPoller old_poller;
  HandPoller new_poller;
  ASSERT_TRUE(old_poller.poll(rx).is_pending());
  ASSERT_TRUE(new_poller.poll(rx).is_pending());
  EXPECT_TRUE(tx.send(1).ok());
  EXPECT_EQ(old_poller.wakes(), 0u);
  EXPECT_EQ(new_poller.wakes(), 1u);
}

TEST(OneshotDeathTest, SendingTwiceIsReported) {
  auto [tx, rx] = oneshot::channel<int>();
  EXPECT_TRUE(tx.send(1).ok());
  EXPECT_DEATH((void)tx.send(2), "send on a used or moved-from sender");
}

}  // namespace
}  // namespace weft
