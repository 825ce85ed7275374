#include "sim/gtest_sim.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sim/knobs.h"

namespace weft::sim {
namespace {

std::string current_test_filter() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return {};
  return std::string(info->test_suite_name()) + "." + info->name();
}

// Reports the first test-part failure recorded after it was created.
class NewTestFailures {
 public:
  NewTestFailures() : seen_(parts()) {}
  std::optional<std::string> check() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (info == nullptr) return std::nullopt;
    const ::testing::TestResult* result = info->result();
    const int total = result->total_part_count();
    for (int i = seen_; i < total; ++i) {
      const ::testing::TestPartResult& part = result->GetTestPartResult(i);
      if (part.failed()) {
        seen_ = total;
        return "a GoogleTest assertion failed inside the scenario at " +
               std::string(part.file_name() ? part.file_name() : "?") + ":" +
               std::to_string(part.line_number()) + ": " + part.summary();
      }
    }
    seen_ = total;
    return std::nullopt;
  }

 private:
  static int parts() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info == nullptr ? 0 : info->result()->total_part_count();
  }
  int seen_;
};

SimOptions with_test_checks(SimOptions options,
                            std::shared_ptr<NewTestFailures> failures) {
  auto previous = options.external_check;
  options.external_check = [failures,
                            previous]() -> std::optional<std::string> {
    if (previous) {
      if (auto problem = previous()) return problem;
    }
    return failures->check();
  };
  return options;
}

std::string artifact_name() {
  std::string name = "weft-" + current_test_filter();
  for (char& c : name) {
    if (c == '/' || c == ' ') c = '_';
  }
  return name;
}

}  // namespace

void expect_no_failure(const Scenario& scenario, SimOptions options,
                       SweepConfig defaults) {
  defaults.replay_filter = current_test_filter();
  defaults.artifact_name = artifact_name();
  auto configured = sweep_config_from_environment(defaults);
  if (auto* error = std::get_if<std::string>(&configured)) {
    ADD_FAILURE() << "weft: " << *error;
    return;
  }
  const SweepConfig& config = std::get<SweepConfig>(configured);
  SweepOutcome outcome = run_sweep(
      scenario,
      with_test_checks(std::move(options), std::make_shared<NewTestFailures>()),
      config);
  if (outcome.failure) {
    ADD_FAILURE() << outcome.failure->to_string();
  }
}

SweepOutcome find_failure(const Scenario& scenario, SimOptions options,
                          SweepConfig config) {
  if (config.replay_filter.empty())
    config.replay_filter = current_test_filter();
  config.artifact_name = artifact_name();
  return run_sweep(
      scenario,
      with_test_checks(std::move(options), std::make_shared<NewTestFailures>()),
      config);
}

}  // namespace weft::sim
