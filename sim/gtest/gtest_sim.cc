#include "sim/gtest/gtest_sim.h"

#include <gtest/gtest-death-test.h>
#include <gtest/gtest-spi.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/memory/heap_quarantine.h"
#include "sim/sweep/knobs.h"

namespace weft::sim {
namespace {

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return {};
  return std::string(info->test_suite_name()) + "." + info->name();
}

// Which sweep of the current test this is: a test may sweep more than
// once, and a restarted test must find the one that crashed.
std::uint32_t next_sweep_ordinal(const std::string& test) {
  static std::string last_test;
  static std::uint32_t ordinal = 0;
  if (test != last_test) {
    last_test = test;
    ordinal = 0;
  }
  return ordinal++;
}

// The first failed part among parts [seen, total), described; `seen`
// moves to `total` either way. `part_at(i)` reads part i.
template <typename PartAt>
std::optional<std::string> first_new_failure(int& seen, int total,
                                             PartAt part_at) {
  const int first = seen;
  seen = total;
  for (int i = first; i < total; ++i) {
    const ::testing::TestPartResult& part = part_at(i);
    if (part.failed()) {
      return "a GoogleTest assertion failed inside the scenario at " +
             std::string(part.file_name() ? part.file_name() : "?") + ":" +
             std::to_string(part.line_number()) + ": " + part.summary();
    }
  }
  return std::nullopt;
}

// Reports the first test-part failure recorded after it was created.
class NewTestFailures {
 public:
  NewTestFailures() : seen_(parts()) {}
  std::optional<std::string> check() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (info == nullptr) return std::nullopt;
    const ::testing::TestResult* result = info->result();
    return first_new_failure(
        seen_, result->total_part_count(),
        [result](int i) -> const ::testing::TestPartResult& {
          return result->GetTestPartResult(i);
        });
  }

 private:
  static int parts() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info == nullptr ? 0 : info->result()->total_part_count();
  }
  int seen_;
};

// A worker thread of a parallel sweep keeps its assertion failures to
// itself: the test's result may not be read while other threads add to
// it, and a failure in a run the sweep then drops (a later seed than the
// first failing one) must not fail the test.
class WorkerFailures {
 public:
  WorkerFailures()
      : intercept_(::testing::ScopedFakeTestPartResultReporter::
                       INTERCEPT_ONLY_CURRENT_THREAD,
                   &parts_) {
    current_ = this;
    // A test that expects leaks turned LeakSanitizer off on its own
    // thread; its workers do the same.
    if (testing::leak_sanitizer_off_count().load() > 0) {
      leaks_expected_.emplace();
    }
  }
  ~WorkerFailures() { current_ = nullptr; }
  WorkerFailures(const WorkerFailures&) = delete;
  WorkerFailures& operator=(const WorkerFailures&) = delete;

  static WorkerFailures* current() { return current_; }

  std::optional<std::string> check() {
    return first_new_failure(seen_, parts_.size(),
                             [this](int i) -> const ::testing::TestPartResult& {
                               return parts_.GetTestPartResult(i);
                             });
  }

 private:
  static thread_local WorkerFailures* current_;
  ::testing::TestPartResultArray parts_;
  ::testing::ScopedFakeTestPartResultReporter intercept_;
  int seen_ = 0;
  std::optional<testing::LeakSanitizerOff> leaks_expected_;
};

thread_local WorkerFailures* WorkerFailures::current_ = nullptr;

// Assertion failures inside the scenario end the run as invariant
// failures, on the test's thread and on a parallel sweep's workers.
SimOptions with_test_checks(SimOptions options, SweepConfig& config) {
  auto failures = std::make_shared<NewTestFailures>();
  auto previous = options.external_check;
  options.external_check = [failures,
                            previous]() -> std::optional<std::string> {
    if (previous) {
      if (auto problem = previous()) return problem;
    }
    if (WorkerFailures* worker = WorkerFailures::current()) {
      return worker->check();
    }
    return failures->check();
  };
  auto previous_setup = config.worker_setup;
  config.worker_setup = [previous_setup]() -> std::shared_ptr<void> {
    auto earlier = previous_setup ? previous_setup() : nullptr;
    auto mine = std::make_shared<WorkerFailures>();
    return std::shared_ptr<void>(mine.get(), [mine, earlier](void*) mutable {
      mine.reset();
      earlier.reset();
    });
  };
  return options;
}

std::string artifact_name(const std::string& test) {
  std::string name = "weft-" + test;
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                       c == '_';
    if (!plain) c = '_';
  }
  return name;
}

void prepare(SweepConfig& config) {
  config.test_name = current_test_name();
  config.artifact_name = artifact_name(config.test_name);
  config.sweep_ordinal = next_sweep_ordinal(config.test_name);
  // A death test's child must die as the test expects, not restart.
  config.restart_on_crash = !::testing::internal::InDeathTestChild();
}

SweepOutcome run_configured(const Scenario& scenario, SimOptions options,
                            SweepConfig defaults, SourceLocation at) {
  // Also what links the heap quarantine into every simulated test.
  (void)heap_quarantine_linked();
  prepare(defaults);
  auto configured = sweep_config_from_environment(defaults);
  if (auto* error = std::get_if<std::string>(&configured)) {
    ADD_FAILURE_AT(at.file, static_cast<int>(at.line)) << "weft: " << *error;
    return {};
  }
  SweepConfig& config = std::get<SweepConfig>(configured);
  SimOptions checked = with_test_checks(std::move(options), config);
  SweepOutcome outcome = run_sweep(scenario, checked, config);
  std::printf("%s\n", outcome.summary.c_str());
  std::fflush(stdout);
  if (outcome.failure) {
    ADD_FAILURE_AT(at.file, static_cast<int>(at.line))
        << outcome.failure->to_string();
  }
  return outcome;
}

}  // namespace

SweepOutcome expect_no_failure(const Scenario& scenario, SimOptions options,
                               SweepConfig defaults, SourceLocation at) {
  return run_configured(scenario, std::move(options), std::move(defaults), at);
}

SweepOutcome check_random(const Scenario& scenario, std::uint64_t iterations,
                          SimOptions options, SourceLocation at) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kRandom, 0};
  config.iterations = iterations;
  return run_configured(scenario, std::move(options), std::move(config), at);
}

SweepOutcome check_pct(const Scenario& scenario, std::uint32_t depth,
                       std::uint64_t iterations, SimOptions options,
                       SourceLocation at) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kPct, depth};
  config.iterations = iterations;
  return run_configured(scenario, std::move(options), std::move(config), at);
}

SweepOutcome check_exhaustive(const Scenario& scenario,
                              std::uint32_t perturbations_max,
                              SimOptions options, SourceLocation at) {
  SweepConfig config;
  config.strategy =
      StrategySpec{StrategySpec::Kind::kExhaustive, perturbations_max};
  return run_configured(scenario, std::move(options), std::move(config), at);
}

SweepOutcome check_exhaustive_partial(const Scenario& scenario,
                                      std::uint32_t perturbations_max,
                                      std::uint64_t runs_max,
                                      SimOptions options, SourceLocation at) {
  SweepConfig config;
  config.strategy =
      StrategySpec{StrategySpec::Kind::kExhaustive, perturbations_max};
  config.exhaustive_runs_max = runs_max;
  config.accept_partial_search = true;
  return run_configured(scenario, std::move(options), std::move(config), at);
}

SweepOutcome check_fifo(const Scenario& scenario, SimOptions options,
                        SourceLocation at) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  return run_configured(scenario, std::move(options), std::move(config), at);
}

SweepOutcome find_failure(const Scenario& scenario, SimOptions options,
                          SweepConfig config) {
  const std::string test = current_test_name();
  if (config.test_name.empty()) config.test_name = test;
  config.artifact_name = artifact_name(config.test_name);
  SimOptions checked = with_test_checks(std::move(options), config);
  return run_sweep(scenario, checked, config);
}

}  // namespace weft::sim
