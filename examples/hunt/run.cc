#include "examples/hunt/run.h"

#include <chrono>

#include "sim/decision/decision_io.h"
#include "sim/search/strategy_spec.h"
#include "sim/sweep/sweep.h"

namespace weft::hunt {
namespace {

sim::SweepConfig config_for(const char* strategy, const HuntOptions& options,
                            const std::string& artifact) {
  sim::SweepConfig config;
  config.strategy = std::get<sim::StrategySpec>(sim::parse_strategy(strategy));
  config.iterations = kSeedBudget;
  config.exhaustive_runs_max = kExhaustiveRunsMax;
  config.accept_partial_search = true;  // a table cell, not a proof
  config.shrink_budget.attempts_max = kShrinkAttemptsMax;
  config.output_dir = options.trace_dir;
  config.artifact_name = artifact;
  config.replay_command =
      sim::ReplayCommand::for_binary("bazel run //examples:hunt --", "");
  return config;
}

Cell hunt_one(const zoo::Component& component, const char* strategy,
              const HuntOptions& options) {
  std::string artifact = component.name + "-" + strategy;
  for (char& c : artifact) c = c == ':' ? '-' : c;
  const auto start = std::chrono::steady_clock::now();
  sim::SweepOutcome outcome =
      sim::run_sweep(component.buggy, sim::SimOptions{},
                     config_for(strategy, options, artifact));
  Cell cell;
  cell.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  cell.runs = outcome.runs;
  if (!outcome.failure) return cell;
  cell.found = true;
  cell.checker = std::string(sim::to_string(outcome.failure->failure.checker));
  const sim::SparseDecisions& shrunk = outcome.failure->shrunk
                                           ? outcome.failure->shrunk->decisions
                                           : outcome.failure->found;
  cell.shrunk_decisions = shrunk.count.value_or(0);
  cell.shrunk_perturbations = shrunk.perturbed.size();
  cell.shrunk_list = sim::format_sparse_decisions(shrunk);
  cell.trace_path = outcome.failure->trace_path;
  return cell;
}

void check_fixed(const zoo::Component& component, Row& row) {
  for (const char* strategy :
       {"random", "pct:3", "cancel-sweep:2", "coverage"}) {
    sim::SweepConfig config = config_for(strategy, HuntOptions{}, "");
    config.shrink = false;
    sim::SweepOutcome outcome =
        sim::run_sweep(component.fixed, sim::SimOptions{}, config);
    if (std::string(strategy) == "random") {
      for (const sim::MarkStats& mark : outcome.stats.marks) {
        row.fixed_marks += (row.fixed_marks.empty() ? "" : ", ") + mark.name +
                           " " + std::to_string(mark.runs_reached) + "/" +
                           std::to_string(outcome.runs);
      }
    }
    if (outcome.failure) {
      row.fixed_clean = false;
      row.fixed_problem =
          std::string(strategy) + ": " + outcome.failure->failure.message;
      return;
    }
  }
}

}  // namespace

Row hunt_component(const zoo::Component& component,
                   const HuntOptions& options) {
  Row row;
  row.component = &component;
  for (std::size_t s = 0; s < kStrategies.size(); ++s) {
    row.cells[s] = hunt_one(component, kStrategies[s], options);
  }
  check_fixed(component, row);
  // A simulated network has no real counterpart to stress.
  if (component.simulated_only == nullptr) {
    row.stress = stress_on_thread_pool(
        component.buggy, std::chrono::milliseconds(options.stress_ms));
  }
  return row;
}

std::vector<std::string> problems_of(const std::vector<Row>& rows) {
  std::vector<std::string> problems;
  for (const Row& row : rows) {
    const zoo::Component& component = *row.component;
    if (!row.fixed_clean) {
      problems.push_back("the fixed twin of " + component.name +
                         " failed: " + row.fixed_problem);
    }
    const Cell& random = row.cells[kRandom];
    const std::string expected(sim::to_string(component.expected));
    if (!random.found) {
      problems.push_back("the default strategy did not find the bug of " +
                         component.name + " in " + std::to_string(kSeedBudget) +
                         " seeds");
    } else if (random.checker != expected) {
      problems.push_back(component.name + " was found by " + random.checker +
                         ", not by " + expected + " as expected");
    }
  }
  return problems;
}

}  // namespace weft::hunt
