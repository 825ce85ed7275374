// What a person reads: the failing path of expect_no_failure (a GoogleTest
// failure with the report), the one-line summary of a clean sweep, leaks
// named by where each leaked frame waits, and one report pinned in full.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "sim/gtest/gtest_sim.h"
#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/report/site_text.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/catalogue.h"

namespace weft::sim {
namespace {

Async<void> clean() {
  auto task = spawn([]() -> Async<void> { co_await yield_now(); });
  co_await std::move(task);
}

void sweep_the_lost_wakeup() {
  expect_no_failure(zoo::lost_wakeup_scenario<false>);
}

TEST(Report, ASiteInsideTheStandardLibrarySaysHowToNameTheUsersLine) {
  // A weft object built by std::make_unique or emplace_back takes the
  // library's line as its default site.
  const SourceLocation library{"/usr/include/c++/12/bits/stl_construct.h",
                               "construct_at", 119};
  EXPECT_EQ(site_text(library),
            "/usr/include/c++/12/bits/stl_construct.h:119 (inside the "
            "standard library: pass weft::SourceLocation::current() from "
            "your code to name your line)");
  const SourceLocation user{"tests/x.cc", "f", 12};
  EXPECT_EQ(site_text(user), "tests/x.cc:12");
}

TEST(Report, ExpectNoFailureFailsTheTestWithTheReport) {
  EXPECT_NONFATAL_FAILURE(sweep_the_lost_wakeup(),
                          "weft: deadlock checker fired");
  // (The line's form depends on how the test runs: bazel or a binary.)
  EXPECT_NONFATAL_FAILURE(sweep_the_lost_wakeup(), "\nreplay: ");
}

TEST(Report, ACleanSweepSaysWhatItExplored) {
  SweepOutcome outcome = check_random(clean, 50);
  EXPECT_FALSE(outcome.failure);
  EXPECT_NE(outcome.summary.find("weft: Report.ACleanSweepSaysWhatItExplored: "
                                 "clean; random, seeds 1-50, 50 runs, "),
            std::string::npos)
      << outcome.summary;
  EXPECT_NE(outcome.summary.find(" perturbations ("), std::string::npos);
  EXPECT_NE(outcome.summary.find(" distinct schedules"), std::string::npos);
  EXPECT_GT(outcome.stats.distinct_schedules, 1u);
  EXPECT_LE(outcome.stats.distinct_schedules, 50u);
}

TEST(Report, ExhaustiveSearchSaysWhetherItCoveredItsSpace) {
  SweepOutcome complete = check_exhaustive(clean, 2);
  EXPECT_TRUE(complete.exhausted);
  EXPECT_NE(complete.summary.find("its space is exhausted"), std::string::npos)
      << complete.summary;
  SweepOutcome partial = check_exhaustive_partial(clean, 8, 3);
  EXPECT_FALSE(partial.failure);
  EXPECT_NE(partial.summary.find(
                "stopped at the cap of 3 runs (partial search accepted)"),
            std::string::npos)
      << partial.summary;
}

TEST(Report, AnExhaustiveSearchStoppedByItsCapFailsUnlessAccepted) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kExhaustive, 8};
  config.exhaustive_runs_max = 3;
  SweepOutcome outcome = find_failure(clean, SimOptions{}, config);
  testing::expect_found(outcome, Checker::kSearchIncomplete);
  EXPECT_NE(
      outcome.failure->failure.message.find("stopped at its cap of 3 runs"),
      std::string::npos);
}

// A coroutine kept alive by a reference cycle: its frame outlives the run,
// suspended in a sleep.
struct Cycle {
  std::shared_ptr<Cycle> self;
  std::optional<Async<void>> sleeper;
};

Async<void> sleeps_long() { co_await sleep_for(std::chrono::hours(1)); }

Async<void> leaks_a_frame() {
  auto cycle = std::make_shared<Cycle>();
  cycle->self = cycle;
  cycle->sleeper.emplace(sleeps_long());
  auto poller = spawn([](Async<void>* sleeper) -> Async<void> {
    co_await *sleeper;
  }(&*cycle->sleeper));
  co_await yield_now();
  poller.abort();
  co_await yield_now();
}

TEST(Report, LeakedFramesAreNamedByWhereTheyWait) {
  testing::LeakSanitizerOff leaks_expected;
  SweepOutcome outcome = testing::sweep(leaks_a_frame, "fifo", 1);
  testing::expect_found(outcome, Checker::kLeak);
  const std::string& message = outcome.failure->failure.message;
  EXPECT_NE(message.find("a coroutine frame ("), std::string::npos) << message;
  EXPECT_NE(message.find("created at step 0 while task 1 (the scenario's "
                         "root) was polled, suspended at "
                         "tests/sim/report_test.cc:"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("a timer armed at tests/sim/report_test.cc:"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace weft::sim
