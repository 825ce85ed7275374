// Simulated threads under the simulator: weft::sync operations are
// scheduling points from the decision stream; locks, waits and joins block
// simulated threads; deadlocks and data races are reported; a run stays a
// pure function of its decisions.
#include "sim/threads/sim_threads.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {
namespace {

// Two threads add to a counter; `atomic_add` chooses fetch_add over a load
// then a store (the lost update a preemption between them causes).
template <bool atomic_add>
Async<void> counter_scenario() {
  sync::atomic<int> counter{0};
  const auto add = [&counter] {
    for (int i = 0; i < 2; ++i) {
      if constexpr (atomic_add) {
        counter.fetch_add(1);
      } else {
        counter.store(counter.load() + 1);
      }
    }
  };
  sync::thread first(add);
  sync::thread second(add);
  first.join();
  second.join();
  WEFT_ASSERT_EQ(counter.load(), 4);
  co_return;
}

SweepConfig random_config(std::uint64_t iterations) {
  SweepConfig config;
  config.strategy = std::get<StrategySpec>(parse_strategy("random"));
  config.iterations = iterations;
  config.jobs = 1;
  return config;
}

TEST(SimThreads, LostUpdateBetweenLoadAndStoreIsFound) {
  SweepOutcome outcome =
      find_failure(counter_scenario<false>, SimOptions{}, random_config(200));
  ASSERT_TRUE(outcome.failure.has_value());
  EXPECT_EQ(outcome.failure->failure.checker, Checker::kInvariant);
}

TEST(SimThreads, FetchAddIsCleanUnderEveryStrategy) {
  for (const char* name : {"fifo", "random", "pct:3"}) {
    SweepConfig config;
    config.strategy = std::get<StrategySpec>(parse_strategy(name));
    config.iterations = 200;
    config.jobs = 1;
    SweepOutcome outcome =
        find_failure(counter_scenario<true>, SimOptions{}, config);
    EXPECT_FALSE(outcome.failure.has_value())
        << name << ": " << outcome.failure->to_string();
  }
}

TEST(SimThreads, ExhaustiveSearchProvesTheFixedCounterAndFindsTheBug) {
  SweepConfig config;
  config.strategy = std::get<StrategySpec>(parse_strategy("exhaustive:2"));
  config.jobs = 1;
  SweepOutcome fixed =
      find_failure(counter_scenario<true>, SimOptions{}, config);
  EXPECT_FALSE(fixed.failure.has_value()) << fixed.failure->to_string();
  EXPECT_TRUE(fixed.exhausted);
  EXPECT_FALSE(fixed.capped);
  SweepOutcome buggy =
      find_failure(counter_scenario<false>, SimOptions{}, config);
  ASSERT_TRUE(buggy.failure.has_value());
  // One preemption between the load and the store is enough.
  ASSERT_TRUE(buggy.failure->shrunk.has_value());
  EXPECT_LE(buggy.failure->shrunk->decisions.perturbed.size(), 1u)
      << buggy.failure->to_string();
}

// Two threads take two mutexes in opposite orders (`same_order` fixes it).
template <bool same_order>
Async<void> lock_order_scenario() {
  sync::mutex a;
  sync::mutex b;
  sync::thread first([&] {
    sync::lock_guard one(a);
    sync::lock_guard two(b);
  });
  sync::thread second([&] {
    if constexpr (same_order) {
      sync::lock_guard one(a);
      sync::lock_guard two(b);
    } else {
      sync::lock_guard two(b);
      sync::lock_guard one(a);
    }
  });
  first.join();
  second.join();
  co_return;
}

TEST(SimThreads, LockOrderInversionIsADeadlockNamingHoldersAndWaiters) {
  SweepOutcome outcome = find_failure(lock_order_scenario<false>, SimOptions{},
                                      random_config(500));
  ASSERT_TRUE(outcome.failure.has_value());
  EXPECT_EQ(outcome.failure->failure.checker, Checker::kDeadlock);
  const std::string text = outcome.failure->to_string();
  EXPECT_NE(text.find("to lock a mutex held by thread"), std::string::npos)
      << text;
  EXPECT_NE(text.find("to join thread"), std::string::npos) << text;
  SweepOutcome fixed =
      find_failure(lock_order_scenario<true>, SimOptions{}, random_config(500));
  EXPECT_FALSE(fixed.failure.has_value()) << fixed.failure->to_string();
}

// A thread writes a plain field and raises a flag; the executor waits for
// the flag, then reads the field. `release_acquire` orders the two.
template <bool release_acquire>
Async<void> publish_scenario() {
  sync::Cell<int> payload(0);
  sync::atomic<bool> ready{false};
  constexpr auto kStore =
      release_acquire ? std::memory_order_release : std::memory_order_relaxed;
  constexpr auto kLoad =
      release_acquire ? std::memory_order_acquire : std::memory_order_relaxed;
  sync::thread writer([&] {
    payload.write(42);
    ready.store(true, kStore);
  });
  while (!ready.load(kLoad)) sync::yield_now();
  WEFT_ASSERT_EQ(payload.read(), 42);
  writer.join();
  co_return;
}

TEST(SimThreads, RelaxedPublicationIsADataRaceWithBothSites) {
  SweepOutcome outcome =
      find_failure(publish_scenario<false>, SimOptions{}, random_config(50));
  ASSERT_TRUE(outcome.failure.has_value());
  EXPECT_EQ(outcome.failure->failure.checker, Checker::kDataRace);
  const std::string text = outcome.failure->to_string();
  EXPECT_NE(text.find("wrote it at tests/sim/sim_threads_test.cc"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("read it at tests/sim/sim_threads_test.cc"),
            std::string::npos)
      << text;
  SweepOutcome fixed =
      find_failure(publish_scenario<true>, SimOptions{}, random_config(200));
  EXPECT_FALSE(fixed.failure.has_value()) << fixed.failure->to_string();
}

// A producer thread hands items to a consumer thread through a mutex and a
// condition variable; the executor joins both.
Async<void> condvar_scenario() {
  sync::mutex mutex;
  sync::condition_variable changed;
  int items = 0;
  int taken = 0;
  sync::thread consumer([&] {
    sync::unique_lock lock(mutex);
    while (taken < 3) {
      changed.wait(lock, [&] { return items > taken; });
      ++taken;
    }
  });
  sync::thread producer([&] {
    for (int i = 0; i < 3; ++i) {
      sync::lock_guard lock(mutex);
      ++items;
      changed.notify_one();
    }
  });
  producer.join();
  consumer.join();
  WEFT_ASSERT_EQ(taken, 3);
  co_return;
}

TEST(SimThreads, ConditionVariableHandOffCompletesUnderEveryStrategy) {
  for (const char* name : {"fifo", "random", "pct:3", "exhaustive:2"}) {
    SweepConfig config;
    config.strategy = std::get<StrategySpec>(parse_strategy(name));
    config.iterations = 200;
    config.jobs = 1;
    SweepOutcome outcome = find_failure(condvar_scenario, SimOptions{}, config);
    EXPECT_FALSE(outcome.failure.has_value())
        << name << ": " << outcome.failure->to_string();
  }
}

// A simulated thread wakes a task (a foreign wake) through a flag and the
// task's waker, as an I/O thread would.
struct ForeignDone {
  sync::mutex mutex;
  Waker waiter;
  sync::atomic<bool> done{false};
};

// Waits for ForeignDone::done; `register_first` fixes the race.
template <bool register_first>
struct WaitForDone {
  using Output = void;
  ForeignDone* shared;
  Poll<void> poll(Context& cx) {
    if constexpr (register_first) {
      sync::lock_guard lock(shared->mutex);
      shared->waiter = cx.waker();
      if (shared->done.load()) return ready();
      return kPending;
    } else {
      // Bug: checks, then registers; a wake in between is lost.
      if (shared->done.load()) return ready();
      sync::lock_guard lock(shared->mutex);
      shared->waiter = cx.waker();
      return kPending;
    }
  }
};

template <bool register_first>
Async<void> foreign_wake_scenario() {
  ForeignDone shared;
  sync::thread worker([&shared] {
    shared.done.store(true);
    sync::lock_guard lock(shared.mutex);
    if (shared.waiter) shared.waiter.wake_by_ref();
  });
  co_await WaitForDone<register_first>{&shared};
  worker.join();
}

TEST(SimThreads, ForeignWakeLostBetweenCheckAndRegisterIsFound) {
  SweepOutcome outcome = find_failure(foreign_wake_scenario<false>,
                                      SimOptions{}, random_config(500));
  ASSERT_TRUE(outcome.failure.has_value());
  const std::string text = outcome.failure->to_string();
  EXPECT_NE(text.find("simulated threads:"), std::string::npos) << text;
  SweepOutcome fixed = find_failure(foreign_wake_scenario<true>, SimOptions{},
                                    random_config(500));
  EXPECT_FALSE(fixed.failure.has_value()) << fixed.failure->to_string();
}

TEST(SimThreads, ReplayOfADecisionListGivesTheSameTrace) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    RandomWalkSource first_source(seed);
    RunResult first = run_once(condvar_scenario, SimOptions{}, first_source);
    ReplaySource replay(first.decisions);
    RunResult again = run_once(condvar_scenario, SimOptions{}, replay);
    ASSERT_EQ(first.trace_hash, again.trace_hash) << "seed " << seed;
    ASSERT_EQ(first.decisions, again.decisions) << "seed " << seed;
  }
}

TEST(SimThreads, AnExceptionLeavingAThreadFailsTheRun) {
  FifoSource fifo;
  RunResult run = run_once(
      []() -> Async<void> {
        sync::thread thrower([] { throw std::runtime_error("boom"); });
        thrower.join();
        co_return;
      },
      SimOptions{}, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kUncaughtException);
  EXPECT_NE(run.failure->message.find("boom"), std::string::npos);
}

TEST(SimThreads, AJoinableThreadDroppedIsReported) {
  FifoSource fifo;
  RunResult run = run_once(
      []() -> Async<void> {
        sync::thread forgotten([] {});
        co_return;
      },
      SimOptions{}, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
  EXPECT_NE(run.failure->message.find("join or detach"), std::string::npos);
}

TEST(SimThreads, ASpinningThreadHitsTheOperationBudget) {
  SimOptions options;
  options.limits.sync_operations_max = 10'000;
  FifoSource fifo;
  RunResult run = run_once(
      []() -> Async<void> {
        sync::atomic<bool> never{false};
        sync::thread spinner([&never] {
          while (!never.load()) sync::spin_loop_hint();
        });
        spinner.join();
        co_return;
      },
      options, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kStepBudget);
}

// Before the first thread, locks are kept as a short list (alone mode); a
// lock held when a thread starts must still exclude it.
Async<void> lock_held_across_spawn() {
  sync::mutex mutex;
  int shared = 0;
  sync::thread later;
  {
    sync::lock_guard lock(mutex);
    later = sync::thread([&] {
      sync::lock_guard inner(mutex);
      WEFT_ASSERT_EQ(shared, 1);
      shared = 2;
    });
    sync::yield_now();  // the thread runs and must block on the lock
    shared = 1;
  }
  later.join();
  WEFT_ASSERT_EQ(shared, 2);
  co_return;
}

TEST(SimThreads, ALockHeldWhenTheFirstThreadStartsStillExcludesIt) {
  for (const char* name : {"fifo", "random", "exhaustive:2"}) {
    SweepConfig config;
    config.strategy = std::get<StrategySpec>(parse_strategy(name));
    config.iterations = 100;
    config.jobs = 1;
    SweepOutcome outcome =
        find_failure(lock_held_across_spawn, SimOptions{}, config);
    EXPECT_FALSE(outcome.failure.has_value())
        << name << ": " << outcome.failure->to_string();
  }
}

TEST(SimThreads, RelockingAHeldMutexIsADeadlockEvenWithoutThreads) {
  FifoSource fifo;
  RunResult run = run_once(
      []() -> Async<void> {
        sync::mutex mutex;
        sync::lock_guard first(mutex);
        sync::lock_guard second(mutex);
        co_return;
      },
      SimOptions{}, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kDeadlock);
  EXPECT_NE(run.failure->message.find("already holds"), std::string::npos)
      << run.failure->message;
}

TEST(SimThreads, AThreadBlockedForeverAfterTheRootFinishedIsADeadlock) {
  FifoSource fifo;
  RunResult run = run_once(
      []() -> Async<void> {
        // Static: the detached thread outlives the scenario's frame.
        static sync::mutex mutex;
        static sync::condition_variable never;
        sync::thread waiter([] {
          sync::unique_lock lock(mutex);
          never.wait(lock);
        });
        waiter.detach();
        co_return;
      },
      SimOptions{}, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kDeadlock);
  EXPECT_NE(run.failure->message.find("waits on a condition variable"),
            std::string::npos)
      << run.failure->message;
}

TEST(SimThreads, ProductionBuildIsPlainStd) {
  // Outside a simulation the facade runs real threads.
  sync::atomic<int> counter{0};
  sync::mutex mutex;
  sync::Cell<int> plain(0);
  sync::thread a([&] {
    counter.fetch_add(1);
    sync::lock_guard lock(mutex);
    plain.write(plain.read() + 1);
  });
  sync::thread b([&] {
    counter.fetch_add(1);
    sync::lock_guard lock(mutex);
    plain.write(plain.read() + 1);
  });
  a.join();
  b.join();
  EXPECT_EQ(counter.load(), 2);
  EXPECT_EQ(plain.read(), 2);
}

TEST(SimThreads, GuardsNameTheirMutexTypeAsStdDoes) {
  // Code written for std (`lock_guard<mutex>`) compiles unchanged.
  sync::mutex mutex;
  sync::condition_variable ready;
  bool flag = false;
  sync::thread setter([&] {
    sync::lock_guard<sync::mutex> lock(mutex);
    flag = true;
    ready.notify_one();
  });
  {
    sync::unique_lock<sync::mutex> lock(mutex);
    ready.wait(lock, [&] { return flag; });
  }
  setter.join();
  EXPECT_TRUE(flag);
}

}  // namespace
}  // namespace weft::sim
