// The coverage-guided strategy: deterministic from its seed, it finds a
// bug that needs several rare perturbations in far fewer runs than random
// search, because it keeps each run that got one step further (here, one
// more lost connection) and builds on it; its failures replay from their
// line like any other.
#include <gtest/gtest.h>

#include "sim/decision/decision_io.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/pool_exhaustion.h"

namespace weft::sim {
namespace {

using testing::describe;
using testing::sweep;

constexpr auto kDeepLeak = zoo::pool_exhaustion_scenario<false, 5>;

TEST(CoverageStrategy, FindsALeakThatNeedsFiveCancellations) {
  SweepOutcome outcome = sweep(kDeepLeak, "coverage", 400);
  testing::expect_found(outcome, Checker::kDeadlock);
  ASSERT_TRUE(outcome.failure && outcome.failure->shrunk);
  EXPECT_EQ(outcome.failure->shrunk->decisions.perturbed.size(), 5u)
      << describe(outcome);
}

TEST(CoverageStrategy, TheSameSweepMakesTheSameRuns) {
  SweepOutcome first = sweep(kDeepLeak, "coverage", 400);
  SweepOutcome second = sweep(kDeepLeak, "coverage", 400);
  ASSERT_TRUE(first.failure && second.failure);
  EXPECT_EQ(first.runs, second.runs);
  EXPECT_EQ(format_sparse_decisions(first.failure->found),
            format_sparse_decisions(second.failure->found));
}

TEST(CoverageStrategy, ACleanSweepSaysWhatItCovered) {
  SweepOutcome outcome =
      sweep(zoo::pool_exhaustion_scenario<true, 5>, "coverage", 100);
  testing::expect_clean(outcome);
  EXPECT_EQ(outcome.runs, 100u);
  EXPECT_NE(outcome.summary.find("schedule features"), std::string::npos)
      << outcome.summary;
}

TEST(CoverageStrategy, ItsFailureReplaysFromTheReportedLine) {
  SweepOutcome found = sweep(kDeepLeak, "coverage", 400);
  ASSERT_TRUE(found.failure && found.failure->shrunk);
  SweepConfig config;
  config.replay = ReplayRequest{};
  config.replay->origin = "test";
  config.replay->sparse = found.failure->shrunk->decisions;
  SweepOutcome again = find_failure(kDeepLeak, SimOptions{}, config);
  ASSERT_TRUE(again.failure);
  EXPECT_EQ(again.failure->failure.checker, Checker::kDeadlock);
  EXPECT_EQ(again.runs, 1u);
}

TEST(CoverageStrategy, ShardsSplitTheRunsBetweenThem) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kCoverage, 0};
  config.iterations = 10;
  config.shard_count = 3;
  std::uint64_t total = 0;
  for (std::uint32_t shard = 0; shard < 3; ++shard) {
    config.shard_index = shard;
    total += find_failure(zoo::pool_exhaustion_scenario<true, 3>, SimOptions{},
                          config)
                 .runs;
  }
  EXPECT_EQ(total, 10u);
}

}  // namespace
}  // namespace weft::sim
