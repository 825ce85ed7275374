// GoogleTest glue for simulated tests.
//
//   TEST(MyQueue, NoLostWakeups) {
//     weft::sim::expect_no_failure([]() -> weft::Async<void> {
//       ...  // the scenario: spawn tasks, await, WEFT_ASSERT / EXPECT_*
//     });
//   }
//
// expect_no_failure sweeps the scenario as the environment knobs say (see
// knobs.h; by default 200 seeds of the random strategy) and fails the test
// with the full report if any checker fires. EXPECT_* failures inside the
// scenario count as invariant failures of the run that made them.
// ASSERT_* cannot be used inside a coroutine (it returns); use WEFT_ASSERT.
//
// find_failure runs with exactly the given config (the environment is
// ignored) and returns the outcome, for tests that expect a bug to be found.
#pragma once

#include "sim/options.h"
#include "sim/sweep.h"

namespace weft::sim {

void expect_no_failure(const Scenario& scenario, SimOptions options = {},
                       SweepConfig defaults = {});

SweepOutcome find_failure(const Scenario& scenario, SimOptions options,
                          SweepConfig config);

}  // namespace weft::sim
