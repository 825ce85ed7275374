// The cancellation sweep: one unperturbed run records every point where a
// cancellable task waits; then each point is cancelled alone (and, with
// cancel-sweep:2, in pairs). It finds a component that is not cancellation
// safe at the await where it is not, names that await, replays from its
// line, and passes every fixed twin in the zoo.
#include <gtest/gtest.h>

#include "sim/decision/decision_io.h"
#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/catalogue.h"
#include "sim/zoo/once_init.h"
#include "sim/zoo/partial_read.h"
#include "sim/zoo/slot_leak.h"

namespace weft::sim {
namespace {

using testing::describe;
using testing::expect_clean;
using testing::expect_found;
using testing::sweep;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CancelSweep, FindsTheSlotLostByACancelledWaiterAndNamesItsAwait) {
  SweepOutcome outcome = sweep(zoo::slot_leak_scenario<false>, "cancel-sweep");
  expect_found(outcome, Checker::kDeadlock);
  ASSERT_TRUE(outcome.failure);
  // The report says which wait was cancelled: the one in acquire() that
  // holds the slot without a guard.
  EXPECT_TRUE(contains(outcome.failure->notes, "the run was cancelling task "))
      << outcome.failure->to_string();
  EXPECT_TRUE(contains(outcome.failure->notes, "slot_leak.h:47"))
      << outcome.failure->to_string();
  // The unperturbed probe is not a run of the sweep; the points are few.
  EXPECT_LE(outcome.runs, 4u) << describe(outcome);
}

// Each zoo bug that one cancellation of a waiting task reaches, with the
// await (and the await in the component that led there) it must name.
struct CancellationBug {
  const char* name;
  Scenario buggy;
  Checker checker;
  const char* cancelled_at;
};

TEST(CancelSweep, FindsEachCancellationBugAtItsExactAwait) {
  const CancellationBug bugs[] = {
      {"slot_leak", zoo::slot_leak_scenario<false>, Checker::kDeadlock,
       "slot_leak.h:47 <- sim/zoo/slot_leak.h:66"},
      // The shared wait_for helper parks at :33; the caller at :60 is the
      // read that has already taken the length byte.
      {"partial_read", zoo::partial_read_scenario<false>, Checker::kInvariant,
       "partial_read.h:33 <- sim/zoo/partial_read.h:60"},
      {"once_init", zoo::once_init_scenario<false>, Checker::kDeadlock,
       "once_init.h:65 <- sim/zoo/once_init.h:34"},
  };
  for (const CancellationBug& bug : bugs) {
    SCOPED_TRACE(bug.name);
    SweepOutcome outcome = sweep(bug.buggy, "cancel-sweep");
    expect_found(outcome, bug.checker);
    ASSERT_TRUE(outcome.failure);
    EXPECT_TRUE(contains(outcome.failure->notes, bug.cancelled_at))
        << outcome.failure->to_string();
  }
}

TEST(CancelSweep, TheFixedTwinIsCleanAndTheSummaryListsThePoints) {
  SweepOutcome outcome = sweep(zoo::slot_leak_scenario<true>, "cancel-sweep");
  expect_clean(outcome);
  EXPECT_TRUE(outcome.exhausted);
  EXPECT_TRUE(contains(outcome.summary, "cancellation points: "))
      << outcome.summary;
  EXPECT_TRUE(contains(outcome.summary, "slot_leak.h:44")) << outcome.summary;
  EXPECT_GE(outcome.runs, 1u);
}

TEST(CancelSweep, TheFailureReplaysFromItsLine) {
  SweepOutcome found = sweep(zoo::slot_leak_scenario<false>, "cancel-sweep");
  ASSERT_TRUE(found.failure);
  ASSERT_TRUE(found.failure->shrunk);
  const std::string line =
      format_sparse_decisions(found.failure->shrunk->decisions);
  EXPECT_TRUE(contains(line, "cancel-waiting@")) << line;
  auto parsed = parse_sparse_decisions(line, "line");
  ASSERT_TRUE(std::holds_alternative<SparseDecisions>(parsed));
  SweepConfig config;
  config.replay = ReplayRequest{};
  config.replay->origin = "test";
  config.replay->sparse = std::get<SparseDecisions>(parsed);
  SweepOutcome again =
      find_failure(zoo::slot_leak_scenario<false>, SimOptions{}, config);
  ASSERT_TRUE(again.failure);
  EXPECT_TRUE(again.failure->failure.same_kind_as(found.failure->failure));
  EXPECT_EQ(again.runs, 1u);
}

TEST(CancelSweep, PairsCancelASecondWaitAfterTheFirst) {
  SweepOutcome single = sweep(zoo::slot_leak_scenario<true>, "cancel-sweep:1");
  SweepOutcome pairs = sweep(zoo::slot_leak_scenario<true>, "cancel-sweep:2");
  expect_clean(single);
  expect_clean(pairs);
  EXPECT_GE(pairs.runs, single.runs);
  EXPECT_TRUE(contains(pairs.summary, " pairs")) << pairs.summary;
}

TEST(CancelSweep, EveryFixedTwinInTheZooIsCancellationSafe) {
  for (const zoo::Component& c : zoo::catalogue()) {
    SCOPED_TRACE(c.name);
    expect_clean(sweep(c.fixed, "cancel-sweep:2"));
  }
}

TEST(CancelSweep, AScenarioWithNothingCancellableSaysSo) {
  SweepOutcome outcome = sweep(
      []() -> Async<void> { co_await sleep_for(std::chrono::milliseconds(1)); },
      "cancel-sweep");
  expect_clean(outcome);
  EXPECT_EQ(outcome.runs, 0u);
  EXPECT_TRUE(contains(outcome.summary, "cancellation points: 0"))
      << outcome.summary;
}

}  // namespace
}  // namespace weft::sim
