#include "sim/sweep/sweep_report.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/report/explain.h"
#include "sim/report/html_report.h"
#include "sim/report/perfetto.h"

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

// The default folder keeps at most this many of weft's files, and this
// many bytes: the oldest go first.
constexpr std::size_t kDefaultFolderFilesMax = 300;
constexpr std::uintmax_t kDefaultFolderBytesMax = 256u << 20;

// Keeps weft's default report folder bounded: the oldest weft-* files go
// until at most kDefaultFolderFilesMax files and kDefaultFolderBytesMax
// bytes are left. (Wall-clock file times are read here, after the run,
// and never reach a run.)
void prune_default_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  struct Entry {
    fs::file_time_type written;
    std::uintmax_t bytes;
    fs::path path;
  };
  std::vector<Entry> entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (!entry.is_regular_file(error)) continue;
    if (entry.path().filename().string().rfind("weft-", 0) != 0) continue;
    entries.push_back(
        {entry.last_write_time(error), entry.file_size(error), entry.path()});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.written > b.written;
  });
  std::uintmax_t bytes = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    bytes += entries[i].bytes;
    if (i >= kDefaultFolderFilesMax || bytes > kDefaultFolderBytesMax) {
      fs::remove(entries[i].path, error);
    }
  }
}

}  // namespace

std::string artifact_display_path(const SweepConfig& config,
                                  const std::string& name) {
  // Under Bazel the folder is moved after the test, and Bazel 4 zips what
  // is in it.
  if (config.output_display_dir.empty()) return config.output_dir + "/" + name;
  return name + " in " + config.output_display_dir + "/outputs.zip";
}

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

void explain_and_write(const SweepConfig& config, const SimOptions& options,
                       FailureReport& report, const Trace& trace,
                       const DecisionList& decisions) {
  const Explanation explanation =
      explain(trace, decisions, report.failure, options.timeline_events);
  report.timeline = explanation.timeline;
  report.decisive = explanation.decisions;
  report.culprits = explanation.culprits;
  if (config.output_dir.empty()) return;
  std::string problem;
  if (!report.decisions.empty()) {
    const std::string decisions_name = config.artifact_name + ".decisions";
    problem = write_file(config.output_dir + "/" + decisions_name,
                         format_decision_file(report.decisions));
    if (problem.empty()) {
      report.decisions_path = artifact_display_path(config, decisions_name);
      // A replayed run was given, not found; a zipped file must come out
      // of its archive before WEFT_REPLAY can read it.
      const char* which = config.replay ? "" : "as found, ";
      report.files.push_back(std::string("decision file (") + which +
                             (config.output_display_dir.empty()
                                  ? "WEFT_REPLAY=<file>"
                                  : "unzip it, then WEFT_REPLAY=<file>") +
                             "): " + report.decisions_path);
    } else {
      report.file_problems.push_back(problem);
    }
  }
  const std::string trace_name = config.artifact_name + ".trace.json";
  problem = write_file(config.output_dir + "/" + trace_name,
                       perfetto_json(trace, decisions, explanation));
  if (problem.empty()) {
    report.trace_path = artifact_display_path(config, trace_name);
    report.files.push_back("trace (ui.perfetto.dev or chrome://tracing): " +
                           report.trace_path);
  } else {
    report.file_problems.push_back(problem);
  }
  const std::string page_name = config.artifact_name + ".html";
  const std::string page_path = artifact_display_path(config, page_name);
  report.files.push_back("report page (open in a browser): " + page_path);
  problem = write_file(config.output_dir + "/" + page_name,
                       html_report(report, trace, decisions, explanation));
  if (problem.empty()) {
    report.page_path = page_path;
  } else {
    report.files.pop_back();
    report.file_problems.push_back(problem);
  }
  if (config.output_dir_is_default) prune_default_folder(config.output_dir);
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
  // The run the report shows, recorded with detail (sites, messages, where
  // each decision was taken): the shrunk run, else the run as found,
  // replayed once more.
  SimOptions detailed = options;
  detailed.record_detail = true;
  RunResult shown_run = run;
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
    RunResult shown = replay_sparse(scenario, detailed, shrunk.decisions,
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
      shown_run = std::move(shown);
      report.replay_command =
          sparse_replay_line(config, shrunk.decisions, run.failure->checker);
    } else {
      report.notes +=
          "(shrinking found a smaller list, but replaying it strictly did not "
          "fail the same way, so the report shows the run as found)\n";
    }
  }
  if (shown_run.trace == nullptr || shown_run.trace->detail() == nullptr) {
    ReplaySource source(run.decisions);
    RunResult again = run_once(scenario, detailed, source);
    if (again.failure && again.failure->same_kind_as(*run.failure)) {
      shown_run = std::move(again);
    }
  }
  if (shown_run.trace != nullptr) {
    explain_and_write(config, options, report, *shown_run.trace,
                      shown_run.decisions);
  }
  return report;
}

}  // namespace weft::sim
