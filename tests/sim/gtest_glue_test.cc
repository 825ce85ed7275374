// The GoogleTest glue: a clean scenario passes expect_no_failure, and a
// GoogleTest assertion failing inside a simulated run ends that run as an
// invariant failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include "runtime/weft.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/zoo/lost_wakeup.h"

namespace weft::sim {
namespace {

TEST(GtestGlue, CleanScenarioPassesUnderTheEnvironmentKnobs) {
  expect_no_failure(zoo::lost_wakeup_scenario<true>);
}

Async<void> expects_inside() {
  int value = 1;
  auto task = spawn([](int* value) -> Async<void> {
    co_await yield_now();
    *value = 2;
  }(&value));
  co_await yield_now();
  EXPECT_EQ(value, 1) << "the other task ran first";
  co_await std::move(task);
}

TEST(GtestGlueDeathTest, ExpectFailureInsideTheScenarioEndsTheRun) {
  // The child records a GoogleTest failure, which is the point, so the
  // check happens in a child process that reports by exit code.
  EXPECT_EXIT(
      {
        SweepConfig config;
        config.iterations = 100;
        SweepOutcome outcome =
            find_failure(expects_inside, SimOptions{}, config);
        const bool found =
            outcome.failure &&
            outcome.failure->failure.checker == Checker::kInvariant &&
            outcome.failure->failure.message.find(
                "GoogleTest assertion failed") != std::string::npos;
        std::fprintf(stderr, "%s", found ? "found it" : "missed it");
        _exit(found ? 7 : 1);
      },
      ::testing::ExitedWithCode(7), "found it");
}

TEST(GtestGlueDeathTest, ExpectFailureOnAParallelSweepsWorkerEndsItsRun) {
  // On worker threads each thread keeps its own assertion failures; the
  // first failing seed is the one a single thread finds.
  EXPECT_EXIT(
      {
        SweepConfig config;
        config.iterations = 100;
        config.shrink = false;
        config.jobs = 1;
        SweepOutcome one = find_failure(expects_inside, SimOptions{}, config);
        config.jobs = 4;
        SweepOutcome four = find_failure(expects_inside, SimOptions{}, config);
        const bool found =
            four.failure &&
            four.failure->failure.checker == Checker::kInvariant &&
            four.failure->failure.message.find("GoogleTest assertion failed") !=
                std::string::npos &&
            one.failure && four.failure->seed == one.failure->seed &&
            four.runs == one.runs;
        std::fprintf(stderr, "%s", found ? "found it" : "missed it");
        _exit(found ? 7 : 1);
      },
      ::testing::ExitedWithCode(7), "found it");
}

}  // namespace
}  // namespace weft::sim
