// weft::sim::run_sweep: runs a scenario for many schedules and stops at the
// first failure, with a full report.
//
//   random / pct:d   seeds first_seed, first_seed+1, ... (iterations of
//                    them, split across Bazel test shards), or only_seed;
//   fifo             one run (every FIFO run is the same);
//   exhaustive:k     every decision list with at most k perturbations,
//                    until the space is exhausted or runs_max;
//   replay           exactly the given decision list, once.
//
// PCT needs the run length k: it is measured by one unperturbed run first,
// so a seed means the same PCT schedule every time.
//
// A failure is shrunk (see shrink.h) unless config.shrink is off; the
// report then shows the list before and after, and its timeline and trace
// are those of the shrunk run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "runtime/async.h"
#include "sim/decision.h"
#include "sim/options.h"
#include "sim/report.h"
#include "sim/shrink.h"
#include "sim/single_run.h"
#include "sim/strategy_spec.h"

namespace weft::sim {

struct SweepConfig {
  StrategySpec strategy;
  std::uint64_t first_seed = 1;
  std::uint64_t iterations = 200;
  std::optional<std::uint64_t> only_seed;
  // Replays this list once instead of sweeping.
  std::optional<DecisionList> replay;
  // How the replay was asked for, for the report ("WEFT_REPLAY=...").
  std::string replay_origin;
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  // Runs every schedule twice and compares the traces.
  bool check_determinism = false;
  std::size_t exhaustive_decisions_max = 2000;
  std::uint64_t exhaustive_runs_max = 200'000;
  // Where decision and trace files of a failure go ("" = nowhere).
  std::string output_dir;
  // For the replay command: the Bazel target and the test filter.
  std::string replay_target;
  std::string replay_filter;
  // Stem of the files written for a failure.
  std::string artifact_name = "weft-failure";
  // Shrink a failure before reporting it, within this budget.
  bool shrink = true;
  ShrinkBudget shrink_budget;
};

struct SweepOutcome {
  std::uint64_t runs = 0;
  std::optional<FailureReport> failure;
  // Exhaustive search covered its whole space.
  bool exhausted = false;
};

SweepOutcome run_sweep(const Scenario& scenario, const SimOptions& options,
                       const SweepConfig& config);

}  // namespace weft::sim
