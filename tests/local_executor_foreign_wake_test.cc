// LocalExecutor with wakes from other threads: a worker that finishes a
// request wakes the task awaiting it, whether the executor is running,
// sleeping until a timer, parked on its reactor, or waiting with nothing
// armed; block_on's own future can be woken from elsewhere too; and a run
// that nothing can wake still ends in Stalled after the stall timeout.
// Real threads: run under TSan as well.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/async.h"
#include "runtime/net/reactor.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/primitives/oneshot.h"
#include "runtime/time/sleep.h"

namespace weft {
namespace {

using namespace std::chrono_literals;

Async<int> await_reply(oneshot::Receiver<int> reply) {
  auto value = co_await std::move(reply);
  co_return value ? *value : -1;
}

TEST(LocalExecutorForeignWake, AWorkerThreadsReplyWakesTheAwaitingTask) {
  LocalExecutor executor;
  auto [tx, rx] = oneshot::channel<int>();
  auto handle = executor.spawn(await_reply(std::move(rx)));
  std::thread worker([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(20ms);  // the executor is parked by then
    (void)tx.send(42);
  });
  const int value = executor.block_on(std::move(handle));
  worker.join();
  EXPECT_EQ(value, 42);
}

TEST(LocalExecutorForeignWake, BlockOnsOwnFutureIsWokenFromAnotherThread) {
  LocalExecutor executor;
  auto [tx, rx] = oneshot::channel<int>();
  std::thread worker([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(20ms);
    (void)tx.send(7);
  });
  EXPECT_EQ(executor.block_on(await_reply(std::move(rx))), 7);
  worker.join();
}

Async<int> receive_all(mpsc::Receiver<int> rx, int expected) {
  int sum = 0;
  for (int i = 0; i < expected; ++i) {
    auto got = co_await rx.recv();
    if (!got) co_return -1;
    sum += *got;
  }
  co_return sum;
}

TEST(LocalExecutorForeignWake, ManyWakesFromSeveralThreadsAreAllDelivered) {
  LocalExecutor executor;
  auto [tx, rx] = mpsc::unbounded<int>();
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  auto handle = executor.spawn(receive_all(std::move(rx), kThreads * kEach));
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([sender = tx]() mutable {
      for (int i = 0; i < kEach; ++i) (void)sender.try_send(1);
    });
  }
  { auto dropped = std::move(tx); }
  EXPECT_EQ(executor.block_on(std::move(handle)), kThreads * kEach);
  for (std::thread& sender : senders) sender.join();
}

Async<int> sleep_then(int value) {
  co_await sleep_for(std::chrono::seconds(30));
  co_return value;
}

TEST(LocalExecutorForeignWake, AWakeCutsASleepUntilATimerShort) {
  LocalExecutor executor;
  auto [tx, rx] = oneshot::channel<int>();
  executor.spawn(sleep_then(1)).detach();  // a timer 30 s away
  std::thread worker([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(20ms);
    (void)tx.send(5);
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(executor.block_on(await_reply(std::move(rx))), 5);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  worker.join();
}

TEST(LocalExecutorForeignWake, AWakeRousesAnExecutorParkedOnItsReactor) {
  net::Reactor reactor;
  LocalExecutor executor(reactor);
  auto [tx, rx] = oneshot::channel<int>();
  std::thread worker([tx = std::move(tx)]() mutable {
    std::this_thread::sleep_for(20ms);
    (void)tx.send(9);
  });
  EXPECT_EQ(executor.block_on(await_reply(std::move(rx))), 9);
  worker.join();
}

Async<void> wait_forever(oneshot::Receiver<int> never) {
  (void)co_await std::move(never);
}

TEST(LocalExecutorForeignWake, NothingThatCanWakeStillStallsAfterTheTimeout) {
  LocalExecutor executor;
  executor.set_stall_timeout(50ms);
  auto [tx, rx] = oneshot::channel<int>();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(executor.block_on(wait_forever(std::move(rx))), Stalled);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
  (void)tx;
}

}  // namespace
}  // namespace weft
