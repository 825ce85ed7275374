// Parallel sweeps: a random or pct sweep on several threads reports what
// the same sweep on one thread reports: the runs counted, what they
// explored, the first failing seed and its shrunk report, for every zoo
// component. Strategies whose plans depend on earlier runs stay on one
// thread.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/report/failure.h"
#include "sim/sweep/parallel_runs.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/catalogue.h"

namespace weft::sim {
namespace {

using testing::describe;
using zoo::catalogue;
using zoo::Component;

SweepOutcome sweep_on(const Scenario& scenario, const std::string& strategy,
                      std::uint32_t jobs, std::uint64_t iterations = 120) {
  SweepConfig config;
  config.strategy = std::get<StrategySpec>(parse_strategy(strategy));
  config.iterations = iterations;
  config.jobs = jobs;
  return find_failure(scenario, SimOptions{}, config);
}

void expect_same_stats(const SweepStats& one, const SweepStats& many) {
  EXPECT_EQ(one.runs, many.runs);
  EXPECT_EQ(one.steps, many.steps);
  EXPECT_EQ(one.decisions, many.decisions);
  EXPECT_EQ(one.perturbations, many.perturbations);
  EXPECT_EQ(one.cancellations, many.cancellations);
  EXPECT_EQ(one.distinct_schedules, many.distinct_schedules);
  EXPECT_EQ(one.first_seed, many.first_seed);
  EXPECT_EQ(one.last_seed, many.last_seed);
  ASSERT_EQ(one.marks.size(), many.marks.size());
  for (std::size_t i = 0; i < one.marks.size(); ++i) {
    EXPECT_EQ(one.marks[i].name, many.marks[i].name);
    EXPECT_EQ(one.marks[i].runs_reached, many.marks[i].runs_reached);
  }
}

void expect_same_outcome(const SweepOutcome& one, const SweepOutcome& many) {
  EXPECT_EQ(one.runs, many.runs) << describe(one) << "\nvs\n" << describe(many);
  expect_same_stats(one.stats, many.stats);
  ASSERT_EQ(one.failure.has_value(), many.failure.has_value())
      << describe(one) << "\nvs\n"
      << describe(many);
  if (!one.failure) return;
  EXPECT_EQ(one.failure->seed, many.failure->seed);
  // The whole report: the same shrunk run, timeline and replay line.
  EXPECT_EQ(one.failure->to_string(), many.failure->to_string());
}

TEST(ParallelSweep, EveryBuggyTwinIsReportedAsOnOneThread) {
  ::weft::sim::testing::LeakSanitizerOff leaks_expected;
  for (const Component& c : catalogue()) {
    if (!zoo::reported_by_checker(c)) continue;
    for (const char* strategy : {"random", "pct:3"}) {
      SCOPED_TRACE(c.name + " under " + strategy);
      expect_same_outcome(sweep_on(c.buggy, strategy, 1),
                          sweep_on(c.buggy, strategy, 4));
    }
  }
}

TEST(ParallelSweep, EveryFixedTwinExploresTheSameSchedules) {
  for (const Component& c : catalogue()) {
    SCOPED_TRACE(c.name);
    SweepOutcome one = sweep_on(c.fixed, "random", 1);
    SweepOutcome many = sweep_on(c.fixed, "random", 3);
    EXPECT_FALSE(many.failure) << describe(many);
    expect_same_outcome(one, many);
    EXPECT_NE(many.summary.find("; ran on 3 worker threads"), std::string::npos)
        << many.summary;
    EXPECT_EQ(one.summary.find("threads"), std::string::npos) << one.summary;
  }
}

TEST(ParallelSweep, StrategiesThatLearnFromEarlierRunsStayOnOneThread) {
  const std::vector<Component> components = catalogue();
  const Component& c = components.front();
  for (const char* strategy : {"coverage", "exhaustive:1", "cancel-sweep"}) {
    SCOPED_TRACE(strategy);
    SweepOutcome outcome = sweep_on(c.fixed, strategy, 4, 60);
    EXPECT_EQ(outcome.summary.find("threads"), std::string::npos)
        << outcome.summary;
  }
}

TEST(ParallelSweep, NeverMoreThreadsThanRuns) {
  const std::vector<Component> components = catalogue();
  const Component& c = components.front();
  SweepOutcome outcome = sweep_on(c.fixed, "random", 8, 2);
  EXPECT_NE(outcome.summary.find("; ran on 2 worker threads"),
            std::string::npos)
      << outcome.summary;
  SweepOutcome single = sweep_on(c.fixed, "random", 8, 1);
  EXPECT_EQ(single.summary.find("threads"), std::string::npos)
      << single.summary;
}

// Hands out `count` plans whose seeds are 0, 1, 2, ...
class CountingStrategy final : public Strategy {
 public:
  explicit CountingStrategy(std::uint64_t count) : count_(count) {}
  std::string name() const override { return "counting"; }
  bool plans_independent() const override { return true; }
  std::optional<RunPlan> next_run() override {
    if (next_ == count_) return std::nullopt;
    RunPlan plan;
    plan.seed = next_++;
    return plan;
  }

 private:
  std::uint64_t count_;
  std::uint64_t next_ = 0;
};

TEST(ParallelRuns, CommitsInPlanOrderAndStopsAtTheFirstFailure) {
  for (std::uint32_t jobs : {1u, 2u, 5u}) {
    SCOPED_TRACE(jobs);
    CountingStrategy strategy(1000);
    std::vector<std::uint64_t> committed;
    ParallelRunsSetup setup;
    setup.jobs = jobs;
    setup.window_per_job = 3;
    setup.execute = [](const RunPlan& plan, FatalReporter*,
                       std::uint64_t run_number) {
      EXPECT_EQ(run_number, *plan.seed + 1);
      RunResult run;
      // Runs of very different lengths, so they finish out of order.
      volatile std::uint64_t spin = 0;
      for (std::uint64_t i = 0; i < (*plan.seed % 7) * 20000; ++i)
        spin = spin + i;
      if (*plan.seed == 300 || *plan.seed == 301 || *plan.seed == 700) {
        run.failure = Failure{};
      }
      return run;
    };
    setup.commit = [&committed](RunPlan& plan, RunResult& run) {
      committed.push_back(*plan.seed);
      return !run.failure;
    };
    run_plans_in_parallel(strategy, setup);
    ASSERT_EQ(committed.size(), 301u);
    for (std::uint64_t i = 0; i < committed.size(); ++i) {
      EXPECT_EQ(committed[i], i);
    }
  }
}

TEST(ParallelRuns, AnExceptionFromARunReachesTheCaller) {
  CountingStrategy strategy(50);
  ParallelRunsSetup setup;
  setup.jobs = 3;
  setup.execute = [](const RunPlan& plan, FatalReporter*, std::uint64_t) {
    if (*plan.seed == 17) throw std::runtime_error("run 17 broke");
    return RunResult{};
  };
  setup.commit = [](RunPlan&, RunResult&) { return true; };
  EXPECT_THROW(run_plans_in_parallel(strategy, setup), std::runtime_error);
}

TEST(ParallelSweep, DefaultJobsIsAtLeastOne) {
  EXPECT_GE(default_jobs(), 1u);
  EXPECT_LE(default_jobs(), 64u);
}

}  // namespace
}  // namespace weft::sim
