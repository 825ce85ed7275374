// Shrinking: every buggy component, run among noisy background tasks so
// the failing run has many perturbed decisions, shrinks to a few of them,
// to a list that is 1-minimal (no single remaining perturbation can be
// removed), that is the same on every run (no wall clock), and that still
// fails the same way when replayed exactly.
#include "sim/sweep/shrink.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "runtime/weft.h"
#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/catalogue.h"

namespace weft::sim {
namespace {

// Background tasks that only yield: they add hundreds of scheduling
// decisions that have nothing to do with the bug.
Async<void> with_noise(const Scenario* inner) {
  JoinSet<void> noise;
  for (int t = 0; t < 6; ++t) {
    noise.spawn([]() -> Async<void> {
      for (int i = 0; i < 25; ++i) co_await yield_now();
    }());
  }
  for (int i = 0; i < 30; ++i) co_await yield_now();  // noise first
  co_await (*inner)();
  while (co_await noise.join_next()) {
  }
}

// Whether removing any single perturbation of `shrunk` still fails the
// same way (it must not, for a 1-minimal list).
std::optional<std::string> removable_perturbation(const Scenario& scenario,
                                                  const SparseDecisions& shrunk,
                                                  const Failure& failure) {
  for (std::size_t i = 0; i < shrunk.perturbed.size(); ++i) {
    SparseDecisions fewer;
    for (std::size_t j = 0; j < shrunk.perturbed.size(); ++j) {
      if (j != i) fewer.perturbed.push_back(shrunk.perturbed[j]);
    }
    RunResult run = replay_sparse(scenario, SimOptions{}, fewer,
                                  LabelledReplaySource::Mode::kLenient);
    if (run.failure && run.failure->same_kind_as(failure)) {
      return format_decision(shrunk.perturbed[i]);
    }
  }
  return std::nullopt;
}

TEST(Shrink, EveryBuggyComponentShrinksToAOneMinimalList) {
  testing::LeakSanitizerOff leaks_expected;  // the peer cycle leaks for real
  for (const zoo::Component& component : zoo::catalogue()) {
    SCOPED_TRACE(component.name);
    if (!zoo::reported_by_checker(component)) continue;
    const Scenario inner = component.buggy;
    const Scenario scenario = [&inner] { return with_noise(&inner); };
    SweepConfig config;
    config.iterations = 500;
    SweepOutcome outcome = find_failure(scenario, SimOptions{}, config);
    ASSERT_TRUE(outcome.failure) << testing::describe(outcome);
    const FailureReport& report = *outcome.failure;
    ASSERT_TRUE(report.shrunk);
    const std::size_t perturbed_before = report.found.perturbed.size();
    const std::size_t perturbed_after =
        report.shrunk->decisions.perturbed.size();
    EXPECT_GE(perturbed_before, 20u) << "the noise should perturb a lot";
    EXPECT_LE(perturbed_after, static_cast<std::size_t>(
                                   std::max(2, component.perturbations_needed)))
        << report.to_string();
    if (component.perturbations_needed > 2) {
      EXPECT_EQ(perturbed_after,
                static_cast<std::size_t>(component.perturbations_needed))
          << report.to_string();
    }
    EXPECT_TRUE(report.shrunk->one_minimal) << report.to_string();
    const std::optional<std::string> removable = removable_perturbation(
        scenario, report.shrunk->decisions, report.failure);
    EXPECT_FALSE(removable) << *removable << " can be removed:\n"
                            << report.to_string();
    // The shrunk list replays exactly (strictly, with its count) and fails
    // the same way.
    RunResult again =
        replay_sparse(scenario, SimOptions{}, report.shrunk->decisions,
                      LabelledReplaySource::Mode::kStrict);
    ASSERT_TRUE(again.failure);
    EXPECT_TRUE(again.failure->same_kind_as(report.failure))
        << to_string(again.failure->checker) << ": " << again.failure->message;
    std::printf("%-22s %3zu perturbed -> %zu (%llu attempts): %s\n",
                component.name.c_str(), perturbed_before, perturbed_after,
                static_cast<unsigned long long>(report.shrunk->attempts),
                format_sparse_decisions(report.shrunk->decisions).c_str());
  }
}

TEST(Shrink, GivesTheSameResultEveryTime) {
  const Scenario inner = zoo::check_then_act_scenario<false>;
  const Scenario scenario = [&inner] { return with_noise(&inner); };
  SweepConfig config;
  config.iterations = 500;
  SweepOutcome first = find_failure(scenario, SimOptions{}, config);
  SweepOutcome second = find_failure(scenario, SimOptions{}, config);
  ASSERT_TRUE(first.failure && first.failure->shrunk);
  ASSERT_TRUE(second.failure && second.failure->shrunk);
  EXPECT_EQ(first.failure->shrunk->decisions,
            second.failure->shrunk->decisions);
  EXPECT_EQ(first.failure->shrunk->attempts, second.failure->shrunk->attempts);
  EXPECT_EQ(first.failure->replay_command, second.failure->replay_command);
}

TEST(Shrink, KeepsAnInvariantFailureAtTheSameSite) {
  const Scenario inner = zoo::check_then_act_scenario<false>;
  const Scenario scenario = [&inner] { return with_noise(&inner); };
  SweepConfig config;
  config.iterations = 500;
  SweepOutcome outcome = find_failure(scenario, SimOptions{}, config);
  ASSERT_TRUE(outcome.failure && outcome.failure->shrunk);
  RunResult again =
      replay_sparse(scenario, SimOptions{}, outcome.failure->shrunk->decisions,
                    LabelledReplaySource::Mode::kStrict);
  ASSERT_TRUE(again.failure);
  EXPECT_EQ(again.failure->site.line, outcome.failure->failure.site.line);
}

TEST(Shrink, RespectsItsAttemptBudgetAndSaysSo) {
  const Scenario inner = zoo::lost_wakeup_scenario<false>;
  const Scenario scenario = [&inner] { return with_noise(&inner); };
  SweepConfig config;
  config.iterations = 500;
  config.shrink_budget.attempts_max = 3;
  SweepOutcome outcome = find_failure(scenario, SimOptions{}, config);
  ASSERT_TRUE(outcome.failure && outcome.failure->shrunk);
  EXPECT_LE(outcome.failure->shrunk->attempts, 3u);
  EXPECT_TRUE(outcome.failure->shrunk->budget_ran_out);
  EXPECT_FALSE(outcome.failure->shrunk->one_minimal);
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

}  // namespace
}  // namespace weft::sim
