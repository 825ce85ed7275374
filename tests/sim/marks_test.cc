// Coverage marks: a sweep counts the runs that reached each mark, a
// WEFT_SOMETIMES that never held fails the sweep, and so does a required
// mark a scenario cannot reach, instead of passing vacuously.
#include <gtest/gtest.h>

#include "runtime/weft.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/pool_exhaustion.h"

namespace weft::sim {
namespace {

// Two tasks race to a flag; which one wins depends on the schedule.
Async<void> race_for_the_flag(bool second_can_win) {
  int winner = 0;
  auto first = spawn([](int* winner) -> Async<void> {
    co_await yield_now();
    if (*winner == 0) *winner = 1;
  }(&winner));
  auto second = spawn([](int* winner, bool can_win) -> Async<void> {
    co_await yield_now();
    if (*winner == 0 && can_win) *winner = 2;
  }(&winner, second_can_win));
  co_await std::move(first);
  co_await std::move(second);
  WEFT_SOMETIMES(winner == 2, "the second task won");
  if (winner == 1) mark("the first task won");
}

TEST(Marks, ASweepCountsTheRunsThatReachedEachMark) {
  SweepOutcome outcome =
      check_random([] { return race_for_the_flag(true); }, 100);
  EXPECT_FALSE(outcome.failure);
  ASSERT_EQ(outcome.stats.marks.size(), 2u);
  for (const MarkStats& mark : outcome.stats.marks) {
    EXPECT_GT(mark.runs_reached, 0u) << mark.name;
    EXPECT_LT(mark.runs_reached, 100u) << mark.name;
  }
  EXPECT_NE(outcome.summary.find("marks: the second task won "),
            std::string::npos)
      << outcome.summary;
}

TEST(Marks, ASometimesThatNeverHoldsFailsTheSweep) {
  SweepOutcome outcome =
      testing::sweep([] { return race_for_the_flag(false); }, "random", 100);
  testing::expect_found(outcome, Checker::kMarkNeverReached);
  EXPECT_NE(outcome.failure->failure.message.find(
                "sometimes the second task won was never true in 100 runs"),
            std::string::npos)
      << outcome.failure->failure.message;
}

TEST(Marks, ARequiredMarkThatIsNeverReachedFailsTheSweep) {
  SimOptions options;
  options.required_marks = {"the first task won", "a mark nobody sets"};
  SweepOutcome outcome = testing::sweep([] { return race_for_the_flag(true); },
                                        "random", 50, options);
  testing::expect_found(outcome, Checker::kMarkNeverReached);
  EXPECT_NE(outcome.failure->failure.message.find(
                "mark a mark nobody sets was never reached in 50 runs"),
            std::string::npos)
      << outcome.failure->failure.message;
  EXPECT_EQ(outcome.failure->failure.message.find("the first task won"),
            std::string::npos);
}

// A sweep configured so that it cannot reach the bug it is meant to find
// (cancellations turned off, so the pool leak never happens) passes
// vacuously, unless it requires the mark of the state the bug needs.
TEST(Marks, ASweepThatCannotReachItsBugFailsOnTheMarkInsteadOfPassing) {
  SimOptions options;
  options.perturbations.cancel_probability = 0;
  options.perturbations.cancel_waiting_probability = 0;
  const auto leaky = zoo::pool_exhaustion_scenario<false, 3>;
  testing::expect_clean(testing::sweep(leaky, "random", 200, options));

  options.required_marks = {"a request was cancelled"};
  SweepOutcome outcome = testing::sweep(leaky, "random", 200, options);
  testing::expect_found(outcome, Checker::kMarkNeverReached);
  EXPECT_NE(outcome.failure->failure.message.find(
                "mark a request was cancelled was never reached in 200 runs"),
            std::string::npos)
      << outcome.failure->failure.message;
}

TEST(Marks, TheRequiredMarkIsQuietWhenTheSweepReachesIt) {
  SimOptions options;
  options.required_marks = {"a request was cancelled"};
  testing::expect_clean(testing::sweep(zoo::pool_exhaustion_scenario<true, 3>,
                                       "random", 200, options));
}

TEST(Marks, AShardDoesNotJudgeMarksItSawOnlyPartOf) {
  SweepConfig config;
  config.iterations = 100;
  config.shard_index = 1;
  config.shard_count = 4;
  SweepOutcome outcome = find_failure([] { return race_for_the_flag(false); },
                                      SimOptions{}, config);
  EXPECT_FALSE(outcome.failure) << testing::describe(outcome);
  EXPECT_NE(outcome.summary.find("(this shard's runs only)"), std::string::npos)
      << outcome.summary;
}

TEST(Marks, OutsideASimulationMarksCostNothingAndDoNothing) {
  mark("anything");
  EXPECT_TRUE(WEFT_SOMETIMES(true, "anything"));
  EXPECT_FALSE(WEFT_SOMETIMES(false, "anything"));
}

}  // namespace
}  // namespace weft::sim
