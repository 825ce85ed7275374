// How a sweep turns a failed run into a FailureReport: shrink it, replay
// the shrunk run for its timeline and trace, write the files, and make the
// replay lines. Shared by in-process failures (sweep.cc) and crashes
// shrunk in child processes (crash_shrink.cc).
#pragma once

#include <optional>
#include <string>

#include "sim/core/options.h"
#include "sim/core/run_result.h"
#include "sim/report/report.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {

ReplayCommand replay_command_of(const SweepConfig& config);

// Where a person finds the file `name` written into config.output_dir
// (under Bazel the folder is moved after the test and zipped).
std::string artifact_display_path(const SweepConfig& config,
                                  const std::string& name);

// The line that replays `decisions` by label.
std::string sparse_replay_line(const SweepConfig& config,
                               const SparseDecisions& decisions,
                               Checker checker);
// The line that reruns a seed of `strategy` as found, unshrunk.
std::string seed_replay_line(const SweepConfig& config,
                             const std::string& strategy, std::uint64_t seed);

// Explains the shown run into `report` (its decisions in words, the
// culprits, the timeline), then writes the as-found decision file and the
// shown run's trace file into config.output_dir, recording in `report`
// what was written (with the path a person will find it at) or why not.
void explain_and_write(const SweepConfig& config, const SimOptions& options,
                       FailureReport& report, const Trace& trace,
                       const DecisionList& decisions);

// The report of a run that failed in this process: shrunk unless
// config.shrink is off or the run was a replay.
FailureReport make_report(const Scenario& scenario, const SimOptions& options,
                          const SweepConfig& config, const RunResult& run,
                          std::optional<std::uint64_t> seed, std::uint64_t runs,
                          const std::string& strategy_name);

}  // namespace weft::sim
