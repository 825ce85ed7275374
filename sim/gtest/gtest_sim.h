// GoogleTest glue for simulated tests.
//
// The shortest simulated test: the body is the scenario coroutine.
//
//   WEFT_SIM_TEST(MyQueue, NoLostWakeups) {
//     ...  // spawn tasks, co_await, WEFT_ASSERT / EXPECT_*
//     co_return;
//   }
//
// It sweeps the scenario as the environment knobs say (knobs.h; by default
// 200 seeds of the random strategy), prints one summary line of what it
// explored, and fails the test with the full report if a checker fires.
// WEFT_SIM_TEST_WITH(Suite, Name, options) passes SimOptions too.
//
// The same as functions, for a scenario you already have (a lambda may
// capture: it lives for the whole sweep):
//
//   expect_no_failure(scenario, options)        the knobs decide
//   check_random(scenario, iterations, options) random walk, n seeds
//   check_pct(scenario, depth, iterations, options)
//   check_exhaustive(scenario, k, options)      every schedule with at most
//                                               k perturbations; stopping
//                                               at the run cap fails unless
//                                               check_exhaustive_partial
//   check_fifo(scenario, options)               the one unperturbed run
//
// The check_* functions choose the strategy in code; the environment can
// still narrow or replace it (a report's replay line sets WEFT_DECISIONS
// or WEFT_SEED, and it must work with any of them). EXPECT_* failures
// inside the scenario count as invariant failures of the run that made
// them; ASSERT_* cannot be used inside a coroutine (it returns), use
// WEFT_ASSERT. Each returns the sweep's outcome for tests that look at it.
//
// find_failure runs with exactly the given config (the environment is
// ignored) and returns the outcome, for tests that expect a bug to be found.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "runtime/future/async.h"
#include "runtime/seam/source_location.h"
#include "sim/core/options.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {

// `at`: the caller's line, where GoogleTest shows the failure.
SweepOutcome expect_no_failure(const Scenario& scenario,
                               SimOptions options = {},
                               SweepConfig defaults = {},
                               SourceLocation at = SourceLocation::current());

SweepOutcome check_random(const Scenario& scenario,
                          std::uint64_t iterations = 200,
                          SimOptions options = {},
                          SourceLocation at = SourceLocation::current());
SweepOutcome check_pct(const Scenario& scenario, std::uint32_t depth = 3,
                       std::uint64_t iterations = 200, SimOptions options = {},
                       SourceLocation at = SourceLocation::current());
SweepOutcome check_exhaustive(const Scenario& scenario,
                              std::uint32_t perturbations_max = 2,
                              SimOptions options = {},
                              SourceLocation at = SourceLocation::current());
SweepOutcome check_exhaustive_partial(
    const Scenario& scenario, std::uint32_t perturbations_max,
    std::uint64_t runs_max, SimOptions options = {},
    SourceLocation at = SourceLocation::current());
SweepOutcome check_fifo(const Scenario& scenario, SimOptions options = {},
                        SourceLocation at = SourceLocation::current());

SweepOutcome find_failure(const Scenario& scenario, SimOptions options,
                          SweepConfig config);

}  // namespace weft::sim

// A failure is shown at the line of WEFT_SIM_TEST (the caller's line).
#define WEFT_SIM_TEST_WITH(suite, name, options)                         \
  static ::weft::Async<void> weft_sim_test_body_##suite##_##name();      \
  TEST(suite, name) {                                                    \
    ::weft::sim::expect_no_failure(&weft_sim_test_body_##suite##_##name, \
                                   (options), {},                        \
                                   ::weft::SourceLocation::current());   \
  }                                                                      \
  static ::weft::Async<void> weft_sim_test_body_##suite##_##name()

#define WEFT_SIM_TEST(suite, name) \
  WEFT_SIM_TEST_WITH(suite, name, ::weft::sim::SimOptions{})
