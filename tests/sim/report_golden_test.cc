// Golden reports: the full text of three failure reports, one task-level,
// one between simulated threads and one between simulated hosts, each
// showing the decisive decision in words with units, the source sites, the
// message endpoints and, where there is one, the culprit. If one changes,
// read the new text as a stranger at 2 a.m. would before updating it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/gtest/gtest_sim.h"
#include "sim/zoo/lost_wakeup.h"
#include "sim/zoo/register_race.h"
#include "sim/zoo/retry_duplicate.h"
#include "tests/sim/golden/long_counter_session.h"

namespace weft::sim {
namespace {

SweepConfig golden_config(std::uint64_t iterations) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kRandom, 0};
  config.iterations = iterations;
  config.jobs = 1;
  ReplayCommand command;
  command.head = "bazel test //pkg:t --test_filter=Suite.Name";
  command.env_prefix = " --test_env=";
  config.replay_command = command;
  return config;
}

// Compares `text` with the golden file `name` (tests/sim/golden/). With
// GOLDEN_UPDATE_DIR set to that folder, writes the file instead: run the
// test binary from bazel-bin as
//   GOLDEN_UPDATE_DIR=$PWD/tests/sim/golden
//   bazel-bin/tests/sim/report_golden_test
// then read the new text, as a user would, before committing it.
void expect_golden(const std::string& text, const std::string& name) {
  if (const char* update = std::getenv("GOLDEN_UPDATE_DIR")) {
    std::ofstream(std::string(update) + "/" + name) << text;
    return;
  }
  // The working directory under Bazel (runfiles); TEST_SOURCE_ROOT under
  // CMake (cmake/tests.cmake sets it).
  const char* root = std::getenv("TEST_SOURCE_ROOT");
  const std::string folder =
      std::string(root != nullptr && *root != '\0' ? root : ".") +
      "/tests/sim/golden/";
  std::ifstream file(folder + name);
  ASSERT_TRUE(file) << folder << name << " is missing";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(text, expected.str()) << "golden file: tests/sim/golden/" << name;
}

// The number of events the timeline leaves out after its first decisive
// line (">>").
std::size_t events_elided_after_decision(const std::string& timeline) {
  std::size_t at = timeline.find(">> ");
  std::size_t elided = 0;
  while ((at = timeline.find("  ... ", at)) != std::string::npos) {
    at += 6;
    elided += std::strtoull(timeline.c_str() + at, nullptr, 10);
  }
  return elided;
}

TEST(GoldenReport, TaskLevelLostWakeup) {
  SweepOutcome outcome = find_failure(zoo::lost_wakeup_scenario<false>,
                                      SimOptions{}, golden_config(300));
  ASSERT_TRUE(outcome.failure);
  expect_golden(outcome.failure->to_string(), "task_lost_wakeup.txt");
}

TEST(GoldenReport, ThreadLevelRegisterRace) {
  SweepOutcome outcome = find_failure(zoo::register_race_scenario<false>,
                                      SimOptions{}, golden_config(300));
  ASSERT_TRUE(outcome.failure);
  expect_golden(outcome.failure->to_string(), "thread_register_race.txt");
}

TEST(GoldenReport, NetworkDecisionFarBeforeTheEnd) {
  SweepOutcome outcome = find_failure(golden::long_counter_session,
                                      SimOptions{}, golden_config(300));
  ASSERT_TRUE(outcome.failure);
  EXPECT_GT(events_elided_after_decision(outcome.failure->timeline), 500u)
      << outcome.failure->timeline;
  expect_golden(outcome.failure->to_string(), "network_long_run.txt");
}

}  // namespace
}  // namespace weft::sim
