// ThreadPoolExecutor: cross-thread spawn and wake, the sync primitives on
// real threads, timers, and shutdown. Run under --config=tsan in CI.
#include "runtime/executors/thread_pool_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/future/cancelled.h"
#include "runtime/future/yield_now.h"
#include "runtime/primitives/join_set.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/primitives/mutex.h"
#include "runtime/primitives/notify.h"
#include "runtime/primitives/semaphore.h"
#include "runtime/task/task.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"
#include "tests/support/counted.h"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::Counted;

class ThreadPoolExecutorTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(TaskHeader::allocated_count(), tasks_before_)
        << "a task cell leaked";
  }
  const std::int64_t tasks_before_ = TaskHeader::allocated_count();
};

TEST_F(ThreadPoolExecutorTest, ManyTasksIncrementASharedMutex) {
  constexpr int kTasks = 200;
  constexpr int kRounds = 20;
  ThreadPoolExecutor pool(4);
  Mutex<int> counter(0);
  int total = pool.block_on([](Mutex<int>* counter) -> Async<int> {
    JoinSet<void> set;
    for (int t = 0; t < kTasks; ++t) {
      set.spawn([](Mutex<int>* counter) -> Async<void> {
        for (int r = 0; r < kRounds; ++r) {
          auto guard = co_await counter->lock();
          ++*guard;
          if (r % 5 == 0) co_await yield_now();
        }
      }(counter));
    }
    while (co_await set.join_next()) {
    }
    auto guard = co_await counter->lock();
    co_return *guard;
  }(&counter));
  EXPECT_EQ(total, kTasks * kRounds);
}

TEST_F(ThreadPoolExecutorTest, WakesFromForeignThreadsAreNeverLost) {
  constexpr int kRounds = 2000;
  ThreadPoolExecutor pool(2);
  Notify ping;
  std::atomic<int> received{0};
  auto listener =
      pool.spawn([](Notify* ping, std::atomic<int>* received) -> Async<void> {
        for (int i = 0; i < kRounds; ++i) {
          co_await ping->notified();
          received->fetch_add(1);
        }
      }(&ping, &received));
  // A plain thread notifies, waiting each time until the task saw it, so
  // every round is a wake from outside the pool; a lost wake would hang
  // the test until Bazel's timeout.
  std::thread notifier([&] {
    for (int i = 0; i < kRounds; ++i) {
      ping.notify_one();
      while (received.load() <= i) std::this_thread::yield();
    }
  });
  pool.block_on(std::move(listener));
  notifier.join();
  EXPECT_EQ(received.load(), kRounds);
}

TEST_F(ThreadPoolExecutorTest, ChannelAcrossWorkersDeliversEverything) {
  constexpr int kProducers = 8;
  constexpr int kMessages = 500;
  ThreadPoolExecutor pool(3);
  auto [tx, rx] = mpsc::bounded<int>(4);
  for (int p = 0; p < kProducers; ++p) {
    pool.spawn([](mpsc::Sender<int> tx) -> Async<void> {
          for (int i = 0; i < kMessages; ++i) {
            EXPECT_TRUE((co_await tx.send(i)).ok());
          }
        }(tx))
        .detach();
  }
  { auto last = std::move(tx); }
  long sum = pool.block_on([](mpsc::Receiver<int> rx) -> Async<long> {
    long sum = 0;
    while (auto value = co_await rx.recv()) sum += *value;
    co_return sum;
  }(std::move(rx)));
  EXPECT_EQ(sum,
            static_cast<long>(kProducers) * kMessages * (kMessages - 1) / 2);
}

TEST_F(ThreadPoolExecutorTest, SemaphoreBoundsConcurrency) {
  ThreadPoolExecutor pool(4);
  Semaphore semaphore(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  pool.block_on([](Semaphore* semaphore, std::atomic<int>* inside,
                   std::atomic<int>* most) -> Async<void> {
    JoinSet<void> set;
    for (int t = 0; t < 50; ++t) {
      set.spawn([](Semaphore* semaphore, std::atomic<int>* inside,
                   std::atomic<int>* most) -> Async<void> {
        auto permit = co_await semaphore->acquire();
        int now = ++*inside;
        int seen = most->load();
        while (now > seen && !most->compare_exchange_weak(seen, now)) {
        }
        co_await yield_now();
        --*inside;
      }(semaphore, inside, most));
    }
    while (co_await set.join_next()) {
    }
  }(&semaphore, &inside, &most));
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST_F(ThreadPoolExecutorTest, TimersFireOnTheRealClock) {
  ThreadPoolExecutor pool(2);
  auto start = std::chrono::steady_clock::now();
  auto result = pool.block_on([]() -> Async<TimeoutResult<void>> {
    co_await sleep_for(5ms);
    co_return co_await timeout(
        5ms, []() -> Async<void> { co_await sleep_for(1h); }());
  }());
  EXPECT_TRUE(result.timed_out());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 10ms);
}

TEST_F(ThreadPoolExecutorTest, ShutdownDropsEveryRemainingTask) {
  int live = 0;
  std::vector<JoinHandle<void>> handles;
  Notify never;
  {
    ThreadPoolExecutor pool(2);
    for (int i = 0; i < 10; ++i) {
      handles.push_back(pool.spawn([](Counted, Notify* never) -> Async<void> {
        co_await never->notified();
      }(Counted(&live), &never)));
    }
    pool.shutdown();
    EXPECT_EQ(live, 0);
    EXPECT_EQ(pool.task_count(), 0u);
  }
  for (auto& handle : handles) EXPECT_TRUE(handle.is_finished());
  ThreadPoolExecutor other(1);
  EXPECT_THROW(other.block_on(std::move(handles[0])), TaskCancelled);
}

// A future that hands its waker to the outside world and never finishes:
// the outside keeps waking it from its own threads.
class ParkedOutside {
 public:
  using Output = void;
  struct Board {
    std::mutex mutex;
    std::vector<Waker> wakers = std::vector<Waker>(8);
  };
  ParkedOutside(Board* board, std::size_t slot) : board_(board), slot_(slot) {}
  Poll<void> poll(Context& cx) {
    std::lock_guard<std::mutex> lock(board_->mutex);
    store_waker(board_->wakers[slot_], cx.waker());
    return kPending;
  }

 private:
  Board* board_;
  std::size_t slot_;
};

// Wakers from threads that are not the pool's keep waking while the pool
// shuts down and after it is gone: the tasks' counted core turns those
// wakes into releases. Run under TSan and ASan in CI.
TEST_F(ThreadPoolExecutorTest, ForeignWakesRacingShutdownTouchNothingFreed) {
  for (int round = 0; round < 30; ++round) {
    ParkedOutside::Board board;
    std::atomic<bool> stop{false};
    auto pool = std::make_unique<ThreadPoolExecutor>(2);
    for (std::size_t i = 0; i < 8; ++i) {
      pool->spawner().spawn(ParkedOutside(&board, i)).detach();
    }
    while (true) {
      std::lock_guard<std::mutex> lock(board.mutex);
      bool all = true;
      for (const Waker& waker : board.wakers) all &= !waker.empty();
      if (all) break;
    }
    std::vector<std::thread> wakers;
    for (int t = 0; t < 2; ++t) {
      wakers.emplace_back([&] {
        while (!stop.load()) {
          std::vector<Waker> copies;
          {
            std::lock_guard<std::mutex> lock(board.mutex);
            copies = board.wakers;
          }
          for (Waker& waker : copies) waker.wake_by_ref();
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200 * (round % 5)));
    pool.reset();  // shutdown while the wakes go on
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    stop = true;
    for (std::thread& thread : wakers) thread.join();
    std::lock_guard<std::mutex> lock(board.mutex);
    board.wakers.clear();  // the last references: the cells go now
  }
}

TEST(ThreadPoolExecutorDeathTest, SpawnAfterShutdownIsReported) {
  EXPECT_DEATH(
      {
        ThreadPoolExecutor pool(1);
        pool.shutdown();
        pool.spawn([]() -> Async<void> { co_return; }()).detach();
      },
      "spawn on an executor that is shutting down");
}

}  // namespace
}  // namespace weft
