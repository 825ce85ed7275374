// Every checker fires on a real buggy component and stays quiet on its
// fixed twin, with the default (random) strategy and the same seed budget
// (200 runs); the fixed twins are clean under every strategy (the
// cancellation sweep's part is in cancel_sweep_test);
// exhaustive search finds each bug and proves each fixed twin clean for a
// small number of perturbations. FIFO (what a real executor does) misses
// the scheduling bugs, which is the point of perturbing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/report/failure.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/catalogue.h"

namespace weft::sim {
namespace {

using testing::expect_clean;
using testing::expect_found;
using testing::sweep;

using zoo::catalogue;
using zoo::Component;
using zoo::reported_by_checker;

// The peer-cycle component really leaks, so tests that run the buggy twins
// keep LeakSanitizer from failing the binary for the leak weft must find.
TEST(Checkers, EachBuggyTwinIsFoundByTheDefaultStrategyWithinTheBudget) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (!reported_by_checker(c)) continue;
    expect_found(sweep(c.buggy, "random"), c.expected);
  }
}

TEST(Checkers, EachFixedTwinPassesTheSameBudget) {
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    expect_clean(sweep(c.fixed, "random"));
  }
}

TEST(Checkers, EachFixedTwinIsCleanUnderFifoPctAndCoverage) {
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    expect_clean(sweep(c.fixed, "fifo", 1));
    expect_clean(sweep(c.fixed, "pct:3"));
    expect_clean(sweep(c.fixed, "coverage"));
  }
}

TEST(Checkers, FifoMissesTheSchedulingBugs) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (!reported_by_checker(c)) continue;
    SweepOutcome outcome = sweep(c.buggy, "fifo", 1);
    EXPECT_EQ(outcome.failure.has_value(), c.fifo_finds)
        << testing::describe(outcome);
  }
}

// PCT of depth d makes d-1 changes (lowered priorities or cancellations),
// so a bug that needs k of them needs depth k+1.
TEST(Checkers, PctOfEnoughDepthFindsEachBuggyTwin) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (!reported_by_checker(c)) continue;
    const int depth = std::max(3, c.perturbations_needed + 1);
    expect_found(sweep(c.buggy, "pct:" + std::to_string(depth)), c.expected);
  }
}

TEST(Checkers, TheCoverageGuidedStrategyFindsEachBuggyTwin) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (!reported_by_checker(c)) continue;
    expect_found(sweep(c.buggy, "coverage"), c.expected);
  }
}

TEST(Checkers, ExhaustiveSearchFindsEachBugAndProvesEachFixedTwinClean) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (reported_by_checker(c) && c.perturbations_needed <= 2) {
      expect_found(sweep(c.buggy, "exhaustive:2"), c.expected);
    } else if (reported_by_checker(c)) {
      // A bug that needs more perturbations than k: the search covers its
      // whole space and finds nothing, which proves the bug needs more.
      SweepOutcome buggy = sweep(c.buggy, "exhaustive:2");
      expect_clean(buggy);
      EXPECT_TRUE(buggy.exhausted) << testing::describe(buggy);
    }
    SweepOutcome fixed = sweep(c.fixed, "exhaustive:2");
    expect_clean(fixed);
    EXPECT_TRUE(fixed.exhausted) << testing::describe(fixed);
  }
}

// The portfolio (random, pct:3 and deeper PCT by seed) finds every bug
// within the same budget, and its failing seed replays alone.
TEST(Checkers, ThePortfolioFindsEachBuggyTwinAndItsSeedReplays) {
  testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    if (!reported_by_checker(c)) continue;
    SweepOutcome found = sweep(c.buggy, "portfolio");
    expect_found(found, c.expected);
    if (!found.failure || !found.failure->seed) continue;
    SweepConfig again;
    again.strategy = std::get<StrategySpec>(parse_strategy("portfolio"));
    again.only_seed = *found.failure->seed;
    again.shrink = false;
    SweepOutcome replayed = find_failure(c.buggy, SimOptions{}, again);
    ASSERT_TRUE(replayed.failure) << testing::describe(replayed);
    EXPECT_TRUE(replayed.failure->failure.same_kind_as(found.failure->failure));
  }
}

// A coroutine reading a destroyed temporary is undefined behaviour; the
// zoo's stand-in clears a canary in its destructor, which an optimising
// build may drop and ASan reports as stack-use-after-scope first. So it is
// checked in plain unoptimised builds only (the hunt runs it too).
TEST(Checkers, DanglingTemporaryIsFoundAndItsFixedTwinIsClean) {
#if defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "needs an unoptimised build without ASan";
#endif
  expect_found(sweep(zoo::dangling_temporary_scenario<false>, "random"),
               Checker::kInvariant);
  expect_clean(sweep(zoo::dangling_temporary_scenario<true>, "random"));
  expect_clean(sweep(zoo::dangling_temporary_scenario<true>, "exhaustive:2"));
}

TEST(CheckersDeathTest, UseAfterDropStopsAtTheBadAccessUnderAsan) {
  if (!kBuiltWithAsan)
    GTEST_SKIP() << "without ASan the canary check reports it";
  EXPECT_DEATH((void)sweep(zoo::waiter_list_scenario<false>, "random"),
               "use-after-poison.*weft: use-after-drop: the bad access hit "
               "the memory of a coroutine frame of task");
}

}  // namespace
}  // namespace weft::sim
