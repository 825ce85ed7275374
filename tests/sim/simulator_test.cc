// The simulator on correct code: runs finish, virtual time works, every
// strategy runs, and a run is a pure function of its decisions.
#include "sim/core/simulator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;

// Producers, a consumer, a mutex, timers and a cancellable worker: enough
// moving parts that every kind of decision comes up.
Async<void> busy_scenario() {
  auto [tx, rx] = mpsc::bounded<int>(2);
  Mutex<int> total(0);
  JoinSet<void> producers;
  for (int p = 0; p < 3; ++p) {
    producers.spawn([](mpsc::Sender<int> tx, int p) -> Async<void> {
      for (int i = 0; i < 4; ++i) {
        if (i == 2) co_await sleep_for(std::chrono::milliseconds(p + 1));
        EXPECT_TRUE((co_await tx.send(p * 10 + i)).ok());
      }
    }(tx, p));
  }
  { auto last = std::move(tx); }
  auto idle = spawn_cancellable([]() -> Async<void> {
    for (int i = 0; i < 3; ++i) co_await sleep_for(2ms);
  }());
  auto consumer =
      spawn([](mpsc::Receiver<int> rx, Mutex<int>* total) -> Async<int> {
        int count = 0;
        while (auto value = co_await rx.recv()) {
          auto guard = co_await total->lock();
          *guard += *value;
          ++count;
        }
        co_return count;
      }(std::move(rx), &total));
  while (co_await producers.join_next()) {
  }
  WEFT_ASSERT_EQ(co_await std::move(consumer), 12);
  try {
    co_await std::move(idle);
  } catch (const TaskCancelled&) {
  }
}

TEST(Simulator, CleanScenarioPassesUnderEveryStrategy) {
  for (const char* name : {"fifo", "random", "pct:3"}) {
    SweepConfig config;
    config.strategy = std::get<StrategySpec>(parse_strategy(name));
    config.iterations = 100;
    SweepOutcome outcome = run_sweep(busy_scenario, SimOptions{}, config);
    EXPECT_FALSE(outcome.failure.has_value())
        << name << ": " << outcome.failure->to_string();
    EXPECT_GE(outcome.runs, 1u);
  }
}

TEST(Simulator, VirtualTimeJumpsToTheNextTimer) {
  FifoSource fifo;
  Instant seen;
  RunResult run = run_once(
      [&seen]() -> Async<void> {
        return [](Instant* seen) -> Async<void> {
          co_await sleep_for(std::chrono::hours(3));
          *seen = weft::now();
        }(&seen);
      },
      SimOptions{}, fifo);
  ASSERT_FALSE(run.failure.has_value());
  EXPECT_EQ(
      seen.nanoseconds(),
      std::chrono::duration_cast<Duration>(std::chrono::hours(3)).count());
}

TEST(Simulator, ReplayingRecordedDecisionsReproducesTheTraceForAThousandSeeds) {
  SimOptions options;
  options.perturbations.time_step_probability = 0.1;
  options.perturbations.time_step_max = 1ms;
  options.perturbations.timer_jitter_probability = 0.1;
  options.perturbations.timer_jitter_max = 1ms;
  std::size_t perturbed_runs = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    RandomWalkSource source(seed);
    RunResult recorded = run_once(busy_scenario, options, source);
    ASSERT_FALSE(recorded.failure.has_value())
        << "seed " << seed << ": " << recorded.failure->message;
    ReplaySource replay(recorded.decisions);
    RunResult replayed = run_once(busy_scenario, options, replay);
    ASSERT_FALSE(replayed.failure.has_value())
        << "seed " << seed << ": " << replayed.failure->message;
    ASSERT_EQ(replayed.trace_hash, recorded.trace_hash) << "seed " << seed;
    ASSERT_EQ(replayed.decisions, recorded.decisions) << "seed " << seed;
    RandomWalkSource again(seed);
    ASSERT_EQ(run_once(busy_scenario, options, again).trace_hash,
              recorded.trace_hash)
        << "seed " << seed;
    if (count_perturbations(recorded.decisions) > 0) ++perturbed_runs;
  }
  // The runs really were perturbed, so the replays had something to follow.
  EXPECT_GT(perturbed_runs, 900u);
}

TEST(Simulator, DifferentSeedsExploreDifferentSchedules) {
  std::vector<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomWalkSource source(seed);
    hashes.push_back(run_once(busy_scenario, SimOptions{}, source).trace_hash);
  }
  std::sort(hashes.begin(), hashes.end());
  EXPECT_GT(std::unique(hashes.begin(), hashes.end()) - hashes.begin(), 10);
}

TEST(Simulator, AnEmptyListReplaysTheFifoRun) {
  FifoSource fifo;
  RunResult fifo_run = run_once(busy_scenario, SimOptions{}, fifo);
  DecisionList empty;
  ReplaySource replay(empty);
  EXPECT_EQ(run_once(busy_scenario, SimOptions{}, replay).trace_hash,
            fifo_run.trace_hash);
}

}  // namespace
}  // namespace weft::sim
