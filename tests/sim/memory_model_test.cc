// The memory model of weft::sync::atomic beyond the litmus table: what a
// report says of an older-store read, that a spinning reader sees the
// newest store in the end, the knobs and options that bound the model
// (WEFT_ATOMIC_HISTORY, limits.atomic_history, stale_read_probability),
// that the model follows values of any trivially copyable type of at most
// 8 bytes, and that WEFT_THREADS_MAX reaches the runs of a sweep.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/decision/decision_io.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/search/strategies.h"
#include "sim/sweep/knobs.h"
#include "sim/sweep/single_run.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/join_output.h"

namespace weft::sim {
namespace {

using testing::describe;
using testing::expect_clean;
using testing::expect_found;
using testing::sweep;

TEST(MemoryModel, TheReportNamesTheLoadTheStoreItReadAndTheOneItMissed) {
  SweepOutcome outcome = sweep(zoo::join_output_scenario<false>, "random");
  ASSERT_TRUE(outcome.failure) << describe(outcome);
  const std::string text = outcome.failure->to_string();
  // Shrunk to the older-store read (and the switch that let the worker
  // store at all).
  bool stale = false;
  for (const Decision& d : outcome.failure->shrunk->decisions.perturbed) {
    stale |= d.kind == DecisionKind::kStaleRead;
  }
  EXPECT_TRUE(stale) << text;
  EXPECT_NE(text.find("the relaxed atomic load at sim/zoo/join_output.h:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("read an older value: the value it held before the "
                      "threads first used it, not the store by thread 1 at "
                      "sim/zoo/join_output.h:"),
            std::string::npos)
      << text;
}

// A spin loop on a relaxed load: however the decisions go, it reads the
// newest store within a few loads, so the loop ends (no livelock that
// the model made up).
Async<void> spin_on_relaxed_flag() {
  sync::atomic<int> flag{0};
  sync::thread setter([&flag] { flag.store(1, std::memory_order_relaxed); });
  int spins = 0;
  while (flag.load(std::memory_order_relaxed) == 0) {
    sync::yield_now();
    WEFT_ASSERT(++spins < 10'000, "the spin never ended");
  }
  setter.join();
  co_return;
}

// Answers "as old as possible" to every older-store question.
class AlwaysStale final : public DecisionSource {
 public:
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext&) override {
    return kind == DecisionKind::kStaleRead ? bound - 1 : 0;
  }
};

TEST(MemoryModel, ASpinningReaderSeesTheNewestStoreInTheEnd) {
  AlwaysStale source;
  const RunResult run = run_once(spin_on_relaxed_flag, SimOptions{}, source);
  EXPECT_FALSE(run.failure) << run.failure->message;
  std::size_t stale = 0;
  for (const Decision& d : run.decisions) {
    stale += d.kind == DecisionKind::kStaleRead && d.perturbed() ? 1 : 0;
  }
  EXPECT_GE(stale, 1u);
  EXPECT_LE(stale, 4u) << "the fairness bound is 4 older reads in a row";
}

// Pointers, enums and small structs travel through the history as bits.
struct Pair {
  std::int16_t a;
  std::int16_t b;
};

Async<void> small_struct_published_relaxed() {
  sync::atomic<Pair> pair{Pair{0, 0}};
  sync::atomic<bool> ready{false};
  sync::thread writer([&] {
    pair.store(Pair{3, 4}, std::memory_order_relaxed);
    ready.store(true, std::memory_order_relaxed);
  });
  writer.join();  // the join orders everything: the newest is read
  const Pair seen = pair.load(std::memory_order_relaxed);
  WEFT_ASSERT(seen.a == 3 && seen.b == 4, "after a join, the newest store");
  co_return;
}

Async<void> small_struct_read_before_join() {
  sync::atomic<Pair> pair{Pair{0, 0}};
  sync::atomic<bool> ready{false};
  sync::thread writer([&] {
    pair.store(Pair{3, 4}, std::memory_order_relaxed);
    ready.store(true, std::memory_order_relaxed);
  });
  while (!ready.load(std::memory_order_relaxed)) sync::yield_now();
  const Pair seen = pair.load(std::memory_order_relaxed);
  WEFT_ASSERT(seen.a == 3 && seen.b == 4, "the older pair was read");
  writer.join();
  co_return;
}

TEST(MemoryModel, SmallStructsAreModelledAndAJoinOrdersThem) {
  expect_clean(sweep(small_struct_published_relaxed, "exhaustive:2"));
  expect_found(sweep(small_struct_read_before_join, "random"),
               Checker::kInvariant);
}

TEST(MemoryModel, AHistoryOfOneOrAProbabilityOfZeroTurnsOlderStoresOff) {
  SimOptions sequential;
  sequential.perturbations.stale_read_probability = 0;
  expect_clean(
      sweep(zoo::join_output_scenario<false>, "random", 200, sequential));
  SimOptions one;
  one.limits.atomic_history = 1;
  expect_clean(
      sweep(zoo::join_output_scenario<false>, "exhaustive:2", 200, one));
}

TEST(MemoryModel, TheHistoryIsAKnobAndOutOfRangeValuesAreRefused) {
  const auto from = [](const char* value) {
    return sweep_config_from(
        SweepConfig{},
        [value](const char* name) -> const char* {
          return std::string(name) == "WEFT_ATOMIC_HISTORY" ? value : nullptr;
        },
        {"WEFT_ATOMIC_HISTORY"});
  };
  auto configured = from("1");
  ASSERT_TRUE(std::holds_alternative<SweepConfig>(configured));
  EXPECT_EQ(std::get<SweepConfig>(configured).atomic_history, 1u);
  // The knob reaches the runs: with one store kept, the bug is gone.
  SweepConfig config = std::get<SweepConfig>(configured);
  config.iterations = 200;
  expect_clean(
      find_failure(zoo::join_output_scenario<false>, SimOptions{}, config));
  for (const char* bad : {"0", "65", "x"}) {
    auto refused = from(bad);
    ASSERT_TRUE(std::holds_alternative<std::string>(refused)) << bad;
    EXPECT_NE(std::get<std::string>(refused).find("WEFT_ATOMIC_HISTORY"),
              std::string::npos);
    EXPECT_NE(std::get<std::string>(refused).find("from 1 to 64"),
              std::string::npos)
        << std::get<std::string>(refused);
  }
  SimOptions options;
  options.limits.atomic_history = 0;
  SweepOutcome outcome =
      sweep(zoo::join_output_scenario<true>, "random", 10, options);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find("limits.atomic_history"),
            std::string::npos)
      << outcome.failure->failure.message;
  options.limits.atomic_history = 4;
  options.perturbations.stale_read_probability = 1.5;
  outcome = sweep(zoo::join_output_scenario<true>, "random", 10, options);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find(
                "perturbations.stale_read_probability"),
            std::string::npos)
      << outcome.failure->failure.message;
}

Async<void> spawns_five_threads() {
  std::vector<sync::thread> threads;
  for (int i = 0; i < 5; ++i) threads.emplace_back([] {});
  for (sync::thread& thread : threads) thread.join();
  co_return;
}

TEST(MemoryModel, WeftThreadsMaxReachesTheSweepsRuns) {
  SweepConfig config;
  config.iterations = 5;
  config.threads_max = 4;
  SweepOutcome outcome =
      find_failure(spawns_five_threads, SimOptions{}, config);
  ASSERT_TRUE(outcome.failure) << describe(outcome);
  EXPECT_NE(
      outcome.failure->failure.message.find("more than 4 simulated threads"),
      std::string::npos)
      << outcome.failure->failure.message;
  config.threads_max = 8;
  expect_clean(find_failure(spawns_five_threads, SimOptions{}, config));
}

}  // namespace
}  // namespace weft::sim
