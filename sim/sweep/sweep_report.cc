#include "sim/sweep/sweep_report.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"

namespace weft::sim {
namespace {

// Writes `contents` to `path`; returns an empty string or why it failed.
std::string write_file(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return "cannot create " + path + ": " + std::strerror(errno);
  file << contents;
  file.flush();
  if (!file) return "cannot write " + path + ": " + std::strerror(errno);
  return {};
}

// Where a person finds a written file. Under Bazel the folder is moved
// after the test, and Bazel 4 zips what is in it.
std::string display_path(const SweepConfig& config, const std::string& name) {
  if (config.output_display_dir.empty()) return config.output_dir + "/" + name;
  return name + " in " + config.output_display_dir + "/outputs.zip";
}

}  // namespace

ReplayCommand replay_command_of(const SweepConfig& config) {
  if (config.replay_command) return *config.replay_command;
  return ReplayCommand::for_this_process(config.test_name);
}

std::string sparse_replay_line(const SweepConfig& config,
                               const SparseDecisions& decisions,
                               Checker checker) {
  std::vector<std::pair<std::string, std::string>> variables = {
      {"WEFT_DECISIONS", format_sparse_decisions(decisions)}};
  if (checker == Checker::kNondeterminism) {
    variables.emplace_back("WEFT_DETERMINISM", "1");
  }
  return replay_command_of(config).with(variables);
}

std::string seed_replay_line(const SweepConfig& config,
                             const std::string& strategy, std::uint64_t seed) {
  std::vector<std::pair<std::string, std::string>> variables = {
      {"WEFT_STRATEGY", strategy},
      {"WEFT_SEED", std::to_string(seed)},
      {"WEFT_SHRINK", "0"}};
  if (config.check_determinism) {
    variables.emplace_back("WEFT_DETERMINISM", "1");
  }
  return replay_command_of(config).with(variables);
}

void write_artifacts(const SweepConfig& config, FailureReport& report,
                     const std::string& trace_json) {
  if (config.output_dir.empty()) return;
  std::string problem;
  if (!report.decisions.empty()) {
    const std::string decisions_name = config.artifact_name + ".decisions";
    problem = write_file(config.output_dir + "/" + decisions_name,
                         format_decision_file(report.decisions));
    if (problem.empty()) {
      report.decisions_path = display_path(config, decisions_name);
      report.files.push_back("decision file (as found, WEFT_REPLAY): " +
                             report.decisions_path);
    } else {
      report.file_problems.push_back(problem);
    }
  }
  if (trace_json.empty()) return;
  const std::string trace_name = config.artifact_name + ".trace.json";
  problem = write_file(config.output_dir + "/" + trace_name, trace_json);
  if (problem.empty()) {
    report.trace_path = display_path(config, trace_name);
    report.files.push_back("trace (Perfetto / chrome://tracing): " +
                           report.trace_path);
  } else {
    report.file_problems.push_back(problem);
  }
}

FailureReport make_report(const Scenario& scenario, const SimOptions& options,
                          const SweepConfig& config, const RunResult& run,
                          std::optional<std::uint64_t> seed, std::uint64_t runs,
                          const std::string& strategy_name) {
  FailureReport report;
  report.failure = *run.failure;
  report.strategy =
      config.replay ? "replay (" + config.replay->origin + ")" : strategy_name;
  report.seed = seed;
  report.decisions = run.decisions;
  report.found = SparseDecisions::of(run.decisions);
  report.steps = run.steps;
  report.runs = runs;
  report.timeline = run.timeline;
  std::string trace_json = run.trace_json;
  const SparseDecisions as_found = SparseDecisions::of(run.decisions);
  report.replay_as_found_command =
      seed ? seed_replay_line(config, strategy_name, *seed)
           : sparse_replay_line(config, as_found, run.failure->checker);
  report.replay_command = report.replay_as_found_command;
  const bool can_shrink = config.shrink && !config.replay &&
                          run.failure->checker != Checker::kNondeterminism;
  if (can_shrink) {
    ShrinkResult shrunk = shrink(scenario, options, Candidate(run.decisions),
                                 *run.failure, config.shrink_budget);
    // The shrunk run, replayed strictly: what the header, the timeline and
    // the replay line describe.
    RunResult shown = replay_sparse(scenario, options, shrunk.decisions,
                                    LabelledReplaySource::Mode::kStrict);
    if (shown.failure && shown.failure->same_kind_as(*run.failure)) {
      FailureReport::Shrunk summary;
      summary.decisions = shrunk.decisions;
      summary.steps = shown.steps;
      summary.attempts = shrunk.attempts;
      summary.budget_ran_out = shrunk.budget_ran_out;
      summary.one_minimal = shrunk.one_minimal;
      report.shrunk = std::move(summary);
      report.failure = *shown.failure;
      report.timeline = shown.timeline;
      trace_json = shown.trace_json;
      report.replay_command =
          sparse_replay_line(config, shrunk.decisions, run.failure->checker);
    } else {
      report.notes +=
          "(shrinking found a smaller list, but replaying it strictly did not "
          "fail the same way, so the report shows the run as found)\n";
    }
  }
  write_artifacts(config, report, trace_json);
  return report;
}

}  // namespace weft::sim
