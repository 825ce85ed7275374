#include "runtime/primitives/mpsc.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "tests/support/hand_poller.h"

namespace weft {
namespace {

using testing::HandPoller;

TEST(Mpsc, UnboundedDeliversInOrder) {
  auto [tx, rx] = mpsc::unbounded<int>();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(tx.try_send(i).ok());
  HandPoller poller;
  for (int i = 0; i < 5; ++i) {
    auto recv = rx.recv();
    auto got = poller.poll(recv);
    ASSERT_TRUE(got.is_ready());
    EXPECT_EQ(got.value(), i);
  }
}

TEST(Mpsc, BoundedSendWaitsForCapacityInFifoOrder) {
  auto [tx, rx] = mpsc::bounded<int>(1);
  HandPoller first_poller;
  HandPoller second_poller;
  EXPECT_TRUE(tx.try_send(0).ok());
  EXPECT_EQ(tx.try_send(99).status(), TrySendStatus::kFull);
  auto first = tx.send(1);
  auto second = tx.send(2);
  ASSERT_TRUE(first_poller.poll(first).is_pending());
  ASSERT_TRUE(second_poller.poll(second).is_pending());
  EXPECT_EQ(rx.try_recv(), 0);
  EXPECT_EQ(first_poller.wakes(), 1u);
  EXPECT_EQ(second_poller.wakes(), 0u);
  auto sent = first_poller.poll(first);
  ASSERT_TRUE(sent.is_ready());
  EXPECT_TRUE(sent.value().ok());
  EXPECT_EQ(rx.try_recv(), 1);
  auto sent2 = second_poller.poll(second);
  ASSERT_TRUE(sent2.is_ready());
  EXPECT_EQ(rx.try_recv(), 2);
}

TEST(Mpsc, SendCancelledWhileWaitingSendsNothingAndFreesItsPlace) {
  auto [tx, rx] = mpsc::bounded<int>(1);
  HandPoller poller;
  EXPECT_TRUE(tx.try_send(0).ok());
  auto survivor = tx.send(2);
  {
    auto cancelled = tx.send(1);
    ASSERT_TRUE(poller.poll(cancelled).is_pending());
    ASSERT_TRUE(poller.poll(survivor).is_pending());
  }
  EXPECT_EQ(rx.try_recv(), 0);
  ASSERT_TRUE(poller.poll(survivor).is_ready());
  EXPECT_EQ(rx.try_recv(), 2);
  EXPECT_EQ(rx.try_recv(), std::nullopt);
}

TEST(Mpsc, SendCancelledAfterCapacityWasGrantedPassesItOn) {
  auto [tx, rx] = mpsc::bounded<int>(1);
  HandPoller first_poller;
  HandPoller second_poller;
  EXPECT_TRUE(tx.try_send(0).ok());
  auto second = tx.send(2);
  {
    auto first = tx.send(1);
    ASSERT_TRUE(first_poller.poll(first).is_pending());
    ASSERT_TRUE(second_poller.poll(second).is_pending());
    EXPECT_EQ(rx.try_recv(), 0);  // the slot is granted to `first`
    EXPECT_EQ(first_poller.wakes(), 1u);
  }
  EXPECT_EQ(second_poller.wakes(), 1u);
  ASSERT_TRUE(second_poller.poll(second).is_ready());
  EXPECT_EQ(rx.try_recv(), 2);
}

TEST(Mpsc, RecvCancelledWhileWaitingLosesNoMessage) {
  auto [tx, rx] = mpsc::unbounded<int>();
  HandPoller poller;
  {
    auto recv = rx.recv();
    ASSERT_TRUE(poller.poll(recv).is_pending());
  }
  // The dropped recv took its waker back (found by props/mpsc_model_test:
  // the channel kept a cancelled task alive).
  EXPECT_EQ(poller.live_wakers(), 0);
  EXPECT_TRUE(tx.try_send(7).ok());
  EXPECT_EQ(rx.try_recv(), 7);
}

TEST(Mpsc, LastSenderDroppedClosesAfterTheBufferDrains) {
  auto [tx, rx] = mpsc::unbounded<int>();
  HandPoller poller;
  {
    auto copy = tx;
    EXPECT_EQ(tx.sender_count(), 2u);
    EXPECT_TRUE(copy.try_send(1).ok());
  }
  auto recv = rx.recv();
  ASSERT_TRUE(poller.poll(recv).is_ready());
  auto waiting = rx.recv();
  ASSERT_TRUE(poller.poll(waiting).is_pending());
  { auto last = std::move(tx); }
  EXPECT_EQ(poller.wakes(), 1u);
  auto closed = poller.poll(waiting);
  ASSERT_TRUE(closed.is_ready());
  EXPECT_FALSE(closed.value().has_value());
}

TEST(Mpsc, CloseWhileSendersWaitHandsTheirValuesBack) {
  auto [tx, rx] = mpsc::bounded<std::string>(1);
  HandPoller poller;
  EXPECT_TRUE(tx.try_send("kept").ok());
  auto waiting = tx.send("returned");
  ASSERT_TRUE(poller.poll(waiting).is_pending());
  rx.close();
  EXPECT_EQ(poller.wakes(), 1u);
  auto result = poller.poll(waiting);
  ASSERT_TRUE(result.is_ready());
  ASSERT_FALSE(result.value().ok());
  EXPECT_EQ(result.value().take_rejected(), "returned");
  // What was buffered before the close is still delivered.
  EXPECT_EQ(rx.try_recv(), "kept");
  EXPECT_EQ(tx.try_send("late").status(), TrySendStatus::kClosed);
}

TEST(Mpsc, ReceiverDroppedMakesSendsFail) {
  auto [tx, rx] = mpsc::unbounded<int>();
  { auto dropped = std::move(rx); }
  EXPECT_TRUE(tx.is_closed());
  HandPoller poller;
  auto send = tx.send(3);
  auto result = poller.poll(send);
  ASSERT_TRUE(result.is_ready());
  ASSERT_FALSE(result.value().ok());
  EXPECT_EQ(result.value().take_rejected(), 3);
}

TEST(Mpsc, ProducersAndConsumerOnAnExecutor) {
  LocalExecutor executor;
  auto [tx, rx] = mpsc::bounded<int>(2);
  auto producer = [](mpsc::Sender<int> tx, int base) -> Async<void> {
    for (int i = 0; i < 10; ++i) {
      SendResult<int> sent = co_await tx.send(base + i);
      EXPECT_TRUE(sent.ok());
    }
  };
  auto consumer = [](mpsc::Receiver<int> rx) -> Async<std::vector<int>> {
    std::vector<int> got;
    while (std::optional<int> value = co_await rx.recv()) got.push_back(*value);
    co_return got;
  };
  executor.spawn(producer(tx, 0)).detach();
  executor.spawn(producer(std::move(tx), 100)).detach();
  std::vector<int> got = executor.block_on(consumer(std::move(rx)));
  ASSERT_EQ(got.size(), 20u);
  // Per-producer order holds.
  int last_low = -1;
  int last_high = 99;
  for (int value : got) {
    int& last = value < 100 ? last_low : last_high;
    EXPECT_GT(value, last);
    last = value;
  }
}

}  // namespace
}  // namespace weft
