// weft::sim::run_sweep: runs a scenario for many schedules and stops at the
// first failure, with a full report; a clean sweep says what it explored.
//
//   random / pct:d   seeds first_seed, first_seed+1, ... (iterations of
//                    them, split across Bazel test shards), or only_seed;
//   fifo             one run (every FIFO run is the same);
//   exhaustive:k     every decision list with at most k perturbations,
//                    until the space is exhausted or exhaustive_runs_max
//                    (stopping at the cap is a search-incomplete failure
//                    unless accept_partial_search);
//   replay           exactly the given list, once.
// fifo, exhaustive and replay run on shard 0 only. random and pct run
// their seeds on `jobs` threads, with the same outcome as on one.
//
// PCT needs the run length k: it is measured by one unperturbed run first,
// so a seed means the same PCT schedule every time.
//
// A failure is shrunk (see shrink.h) unless config.shrink is off; the
// report then describes the shrunk run. A crash during a run prints its
// replay line before the process dies (fatal_report.h); with
// restart_on_crash the process is started again and the sweep, told by
// crash_resume, shrinks the crash in child processes (crash_shrink.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/options.h"
#include "sim/decision/decision.h"
#include "sim/report/replay_command.h"
#include "sim/report/report.h"
#include "sim/search/strategy.h"
#include "sim/search/strategy_spec.h"
#include "sim/sweep/shrink.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep_stats.h"

namespace weft::sim {

// A list to replay instead of sweeping: a whole list (a decision file,
// replayed by position) or a sparse one (replayed by label).
struct ReplayRequest {
  std::optional<DecisionList> positional;
  std::optional<SparseDecisions> sparse;
  std::string origin;  // how it was asked for, for the report
};

// What a process started again after a crash must shrink (read from
// WEFT_CRASH_RESUME, see fatal_report.h).
struct CrashResume {
  std::uint32_t sweep_ordinal = 0;
  std::string cause;  // as the fatal handler named it
  SparseDecisions decisions;
  std::string strategy;
  std::optional<std::uint64_t> seed;
  std::uint64_t run_number = 0;
};

struct SweepConfig {
  StrategySpec strategy;
  std::uint64_t first_seed = 1;
  std::uint64_t iterations = 200;
  // WEFT_ITERATIONS=auto: `iterations` is then a cap, and a random or pct
  // sweep stops earlier once the chance that one more run shows new
  // behaviour (SweepStats::new_behaviour_chance) is below auto_threshold,
  // after at least kAutoRunsMin runs.
  bool iterations_auto = false;
  double auto_threshold = 0.001;
  std::optional<std::uint64_t> only_seed;
  std::optional<ReplayRequest> replay;
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  // Runs every schedule twice and compares the traces.
  bool check_determinism = false;
  std::size_t exhaustive_decisions_max = 2000;
  std::uint64_t exhaustive_runs_max = 200'000;
  // Stopping exhaustive search at its run cap is then not a failure.
  bool accept_partial_search = false;
  // A strategy built in code instead of from `strategy` (see strategy.h).
  std::function<std::unique_ptr<Strategy>()> make_strategy;
  // Overrides SimOptions::limits.threads_max for the sweep's runs
  // (WEFT_THREADS_MAX).
  std::optional<std::uint32_t> threads_max;
  // Overrides SimOptions::limits.atomic_history (WEFT_ATOMIC_HISTORY).
  std::optional<std::uint32_t> atomic_history;
  // Where decision and trace files of a failure go ("" = nowhere), and
  // how to show that folder to a person (Bazel moves it after the test).
  std::string output_dir;
  std::string output_display_dir;
  // output_dir is weft's default folder for runs outside Bazel (knobs.h):
  // shared by every test, so it is kept bounded (the oldest files go).
  bool output_dir_is_default = false;
  // "Suite.Name" under GoogleTest: the replay lines' filter.
  std::string test_name;
  // How replay lines start; by default for_this_process(test_name).
  std::optional<ReplayCommand> replay_command;
  // Stem of the files written for a failure.
  std::string artifact_name = "weft-failure";
  // Shrink a failure before reporting it, within this budget.
  bool shrink = true;
  ShrinkBudget shrink_budget;
  // After a crash, start the binary again to shrink it (GoogleTest only).
  bool restart_on_crash = false;
  std::uint32_t sweep_ordinal = 0;
  std::optional<CrashResume> crash_resume;
  // Threads that run a random or pct sweep's seeds (0: one per core the
  // process may use; other strategies always run on one). The outcome is
  // the same as one thread's: runs are committed in seed order, and the
  // failure reported is the first failing seed (parallel_runs.h).
  std::uint32_t jobs = 0;
  // Called on each worker thread of a parallel sweep before its first run;
  // what it returns lives until the worker's last run ends (the GoogleTest
  // glue catches that thread's assertion failures with it).
  std::function<std::shared_ptr<void>()> worker_setup;
};

struct SweepOutcome {
  std::uint64_t runs = 0;
  std::optional<FailureReport> failure;
  // Exhaustive search covered its whole space, or stopped at its cap.
  bool exhausted = false;
  bool capped = false;
  // WEFT_ITERATIONS=auto ended the sweep before its cap: new behaviour had
  // become rarer than the threshold.
  bool saturated = false;
  SweepStats stats;
  // One line: what ran and what it found.
  std::string summary;
};

SweepOutcome run_sweep(const Scenario& scenario, const SimOptions& options,
                       const SweepConfig& config);

// WEFT_ITERATIONS=auto: at least this many runs, at most this many unless
// a cap is given (auto:<cap>).
inline constexpr std::uint64_t kAutoRunsMin = 100;
inline constexpr std::uint64_t kAutoRunsDefaultCap = 20'000;

}  // namespace weft::sim
