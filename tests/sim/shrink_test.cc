// Shrinking: every buggy component, run among noisy background tasks so
// the failing run has many perturbed decisions, shrinks to a small fraction
// of them and still fails with the same checker when replayed exactly.
// (The shrunk run may still be long when the program needs many steps to
// reach the bug; what a person reads is the perturbed decisions.)
#include "sim/shrink.h"

#include <gtest/gtest.h>

#include "examples/zoo/catalogue.h"
#include "runtime/weft.h"
#include "sim/replay_source.h"
#include "sim/sweep.h"
#include "tests/sim/support/leak_sanitizer_off.h"
#include "tests/sim/support/sweeps.h"

namespace weft::sim {
namespace {

// Background tasks that only yield: they add hundreds of scheduling
// decisions that have nothing to do with the bug.
Async<void> with_noise(Scenario inner) {
  JoinSet<void> noise;
  for (int t = 0; t < 6; ++t) {
    noise.spawn([]() -> Async<void> {
      for (int i = 0; i < 25; ++i) co_await yield_now();
    }());
  }
  for (int i = 0; i < 30; ++i) co_await yield_now();  // noise first
  co_await inner();
  while (co_await noise.join_next()) {
  }
}

Scenario noisy(Scenario inner) {
  return [inner] { return with_noise(inner); };
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

TEST(Shrink, EveryBuggyComponentShrinksToASmallFractionAndStillFails) {
  testing::LeakSanitizerOff leaks_expected;  // the peer cycle leaks for real
  for (const zoo::Component& component : zoo::catalogue()) {
    SCOPED_TRACE(component.name);
    // Those two are not reported by a checker in every build (catalogue.h).
    if (component.needs_unoptimised_build) continue;
    if (kAsan && component.frees_memory_in_use) continue;
    const Scenario scenario = noisy(component.buggy);
    SweepConfig config;
    config.iterations = 500;
    SweepOutcome outcome = find_failure(scenario, SimOptions{}, config);
    ASSERT_TRUE(outcome.failure) << testing::describe(outcome);
    const FailureReport& report = *outcome.failure;
    ASSERT_TRUE(report.shrunk);
    const std::size_t before = report.decisions.size();
    const std::size_t after = report.shrunk->decisions.size();
    const std::size_t perturbed_before = count_perturbations(report.decisions);
    const std::size_t perturbed_after =
        count_perturbations(report.shrunk->decisions);
    EXPECT_GE(perturbed_before, 20u) << "the noise should perturb a lot";
    EXPECT_LE(perturbed_after * 10, perturbed_before)
        << perturbed_before << " perturbations shrank only to "
        << perturbed_after << "\n"
        << report.to_string();
    EXPECT_LE(perturbed_after, 3u) << report.to_string();
    EXPECT_LE(after, before);
    // The shrunk list replays exactly and fails with the same checker.
    ReplaySource replay(report.shrunk->decisions);
    SingleRun again = run_once(scenario, SimOptions{}, replay);
    ASSERT_TRUE(again.failure);
    EXPECT_TRUE(again.failure->same_kind_as(report.failure))
        << to_string(again.failure->checker) << " vs "
        << to_string(report.failure.checker);
    std::printf(
        "%-24s %5zu decisions, %3zu perturbed -> %3zu decisions, %zu "
        "perturbed (%llu attempts)\n",
        component.name.c_str(), before, perturbed_before, after,
        perturbed_after,
        static_cast<unsigned long long>(report.shrunk->attempts));
  }
}

TEST(Shrink, KeepsAnInvariantFailureAtTheSameSite) {
  SweepConfig config;
  config.iterations = 500;
  SweepOutcome outcome = find_failure(
      noisy(zoo::check_then_act_scenario<false>), SimOptions{}, config);
  ASSERT_TRUE(outcome.failure && outcome.failure->shrunk);
  ReplaySource replay(outcome.failure->shrunk->decisions);
  SingleRun again = run_once(noisy(zoo::check_then_act_scenario<false>),
                             SimOptions{}, replay);
  ASSERT_TRUE(again.failure);
  EXPECT_EQ(again.failure->site.line, outcome.failure->failure.site.line);
}

TEST(Shrink, RespectsItsAttemptBudget) {
  SweepConfig config;
  config.iterations = 500;
  config.shrink_budget.attempts_max = 3;
  SweepOutcome outcome = find_failure(noisy(zoo::lost_wakeup_scenario<false>),
                                      SimOptions{}, config);
  ASSERT_TRUE(outcome.failure && outcome.failure->shrunk);
  EXPECT_LE(outcome.failure->shrunk->attempts, 3u);
  EXPECT_TRUE(outcome.failure->shrunk->budget_ran_out);
  EXPECT_NE(outcome.failure->to_string().find("shrink budget ran out"),
            std::string::npos);
}

TEST(Shrink, CanBeTurnedOff) {
  SweepConfig config;
  config.iterations = 500;
  config.shrink = false;
  SweepOutcome outcome =
      find_failure(zoo::lost_wakeup_scenario<false>, SimOptions{}, config);
  ASSERT_TRUE(outcome.failure);
  EXPECT_FALSE(outcome.failure->shrunk);
}

TEST(Shrink, TrimsTrailingUnperturbedDecisions) {
  const DecisionList list = {{DecisionKind::kPickTask, 2, 1},
                             {DecisionKind::kPickTask, 2, 0},
                             {DecisionKind::kHoldWake, 3, 0}};
  EXPECT_EQ(trim_unperturbed_tail(list).size(), 1u);
}

}  // namespace
}  // namespace weft::sim
