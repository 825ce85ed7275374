// What a person reads: the failing path of expect_no_failure (a GoogleTest
// failure with the report), the one-line summary of a clean sweep, leaks
// named by where each leaked frame waits, and one report pinned in full.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "sim/gtest/gtest_sim.h"
#include "sim/gtest/leak_sanitizer_off.h"
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
  EXPECT_NE(complete.summary.find("the space of schedules was exhausted"),
            std::string::npos)
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

// One report, in full. If this changes, read the new text as a user would
// before updating it.
TEST(Report, TheFullTextOfAReport) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kRandom, 0};
  config.iterations = 300;
  ReplayCommand command;
  command.head = "bazel test //pkg:t --test_filter=Suite.Name";
  command.env_prefix = " --test_env=";
  config.replay_command = command;
  SweepOutcome outcome =
      find_failure(zoo::lost_wakeup_scenario<false>, SimOptions{}, config);
  ASSERT_TRUE(outcome.failure);
  const std::string text = outcome.failure->to_string();
  const std::string expected =
      R"(weft: deadlock checker fired at step 4 of the shrunk run
no task can run, no timer is armed and no wake is pending, yet 2 task(s) are unfinished (deadlock or lost wakeup):
  task 1 (the scenario's root, idle) waits at sim/zoo/lost_wakeup.h:57
      1 live waker(s) could still wake it; the last was cloned at step 3 while task 1 was polled
  task 2 (spawned at sim/zoo/lost_wakeup.h:49, idle) waits at sim/zoo/lost_wakeup.h:50
      1 live waker(s) could still wake it; the last was cloned at step 2 while task 2 was polled

  strategy:  random
  seed:      7
  runs:      7 (the failing run took 4 steps)
  decisions: 5 (1 perturbed) -> shrunk to 5 decisions (1 perturbed, 4 steps) in 5 attempts; no single perturbation can be removed
  perturbed: pick@1/2=1

last events of the shrunk run:
  step     0  task 1 spawned (the root)
  step     0  task 1 polled
  step     0  task 2 spawned (by task 1)
  step     0  task 3 spawned (by task 1)
  step     0  waker of task 1 cloned (1 alive)
  step     0  task 1 returned Pending
  step     1  task 3 polled
  step     1  task 3 returned Ready
  step     1  task 3 completed
  step     1  task 1 woken (outside any task's poll)
  step     1  waker of task 1 dropped (0 alive)
  step     2  task 2 polled
  step     2  waker of task 2 cloned (1 alive)
  step     2  task 2 returned Pending
  step     3  task 1 polled
  step     3  waker of task 1 cloned (1 alive)
  step     3  task 1 returned Pending
  step     4  checker fired: deadlock
  step     4  task 2 dropped (cancelled)
  step     4  task 1 woken (outside any task's poll)
  step     4  waker of task 1 dropped (0 alive)
  step     4  waker of task 2 dropped (0 alive)
  step     4  task 1 dropped (cancelled)

replay (as found): bazel test //pkg:t --test_filter=Suite.Name --test_env=WEFT_STRATEGY=random --test_env=WEFT_SEED=7 --test_env=WEFT_SHRINK=0
replay: bazel test //pkg:t --test_filter=Suite.Name --test_env=WEFT_DECISIONS='5;pick@1/2=1'
)";
  EXPECT_EQ(text, expected);
}

}  // namespace
}  // namespace weft::sim
