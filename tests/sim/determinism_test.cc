// The determinism checker: the same decisions must give the same run.
#include <gtest/gtest.h>

#include <atomic>

#include "runtime/weft.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

using testing::expect_clean;
using testing::expect_found;

// Reads state that outlives the run (a process-wide counter), the way code
// that reads the wall clock or a global random generator would: the same
// decisions then give different runs.
std::atomic<int> runs_so_far{0};

Async<void> leaks_outside_state() {
  auto helper = spawn([]() -> Async<void> { co_await yield_now(); }());
  if (++runs_so_far % 2 == 0) co_await yield_now();
  co_await std::move(helper);
}

Async<void> self_contained() {
  int local = 0;
  auto helper = spawn([](int* local) -> Async<void> {
    co_await yield_now();
    ++*local;
  }(&local));
  if (local % 2 == 0) co_await yield_now();
  co_await std::move(helper);
}

SweepOutcome sweep_twice(const Scenario& scenario) {
  SweepConfig config;
  config.iterations = 20;
  config.check_determinism = true;
  // One thread: the counter below is shared by the whole process, so on
  // several threads another run could move it between a run and its
  // repetition, and the divergence would not replay.
  config.jobs = 1;
  return find_failure(scenario, SimOptions{}, config);
}

TEST(Determinism, OutsideStateIsReportedWithTheFirstDivergentEvent) {
  SweepOutcome outcome = sweep_twice(leaks_outside_state);
  expect_found(outcome, Checker::kNondeterminism);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find("first divergent event"),
            std::string::npos)
      << outcome.failure->failure.message;
}

TEST(Determinism, SelfContainedScenarioRepeatsExactly) {
  expect_clean(sweep_twice(self_contained));
}

}  // namespace
}  // namespace weft::sim
