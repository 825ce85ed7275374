// weft::sim::Strategy: how a sweep chooses its runs. A strategy hands out
// one run plan at a time (how to make the run's decision source, and the
// seed if it has one), hears what each run recorded, and says when it is
// done, and whether it covered its whole space. Shuttle's Scheduler trait
// is the model: a few methods, each strategy in a small file of its own.
//
//   fifo             one run, every decision unperturbed  (strategy_fifo.cc)
//   random, pct:d    one run per seed, split across shards (strategy_seeded.cc)
//   exhaustive:k     every list of at most k perturbations
//   (strategy_exhaustive.cc) cancel-sweep:k   every point where a cancellable
//   task waits, cancelled
//                    alone (k=1) or in pairs (k=2) (strategy_cancel_sweep.cc)
//   coverage         mutates the lists of runs that reached new schedule
//                    coverage                           (strategy_coverage.cc)
//   replay           exactly one given list               (strategy_replay.cc)
//
// make_strategy builds one from a StrategySpec (what WEFT_STRATEGY names);
// code may also give a sweep its own (SweepConfig::make_strategy).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/run_result.h"
#include "sim/decision/decision_source.h"
#include "sim/search/strategy_spec.h"

namespace weft::sim {

struct RunPlan {
  // Makes the run's decision source; called twice when a sweep checks
  // determinism, so it must make the same source each time.
  std::function<std::unique_ptr<DecisionSource>()> make_source;
  // The run's seed, when the strategy has seeds (reports and replay
  // lines name it).
  std::optional<std::uint64_t> seed;
  // What this run does, in words, for its report if it fails.
  std::string note = {};
  // The run records where cancellable tasks wait (the cancellation sweep).
  bool record_cancel_points = false;
  // The run counts its schedule coverage (the coverage-guided strategy).
  bool record_coverage = false;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // For reports: as WEFT_STRATEGY spells it, when it has a spelling.
  virtual std::string name() const = 0;
  // The next run, or nullopt when there is none left.
  virtual std::optional<RunPlan> next_run() = 0;
  // What the run of the last plan recorded.
  virtual void run_finished(const RunResult& run) { (void)run; }
  // After next_run() returned nullopt: whether every schedule of the
  // strategy's space ran, or a cap stopped it first.
  virtual bool exhausted() const { return false; }
  virtual bool capped() const { return false; }
  // Whether WEFT_STRATEGY=<name> and WEFT_SEED=<seed> replay a run.
  virtual bool replayable_by_seed() const { return false; }
  // Whether a plan never depends on the runs before it (run_finished only
  // counts), so a sweep may run the plans on several threads and commit
  // their results in order (parallel_runs.h).
  virtual bool plans_independent() const { return false; }
  // What the strategy covered, for the sweep's summary line ("" = nothing
  // beyond the counts every sweep gives).
  virtual std::string summary() const { return {}; }
};

// What the built-in strategies need to know of the sweep.
// How long an unperturbed run is: steps (polls), and scheduling points of
// simulated threads where a switch was possible.
struct RunLength {
  std::uint64_t steps = 0;
  std::uint64_t switch_points = 0;
};

struct StrategyContext {
  std::uint64_t first_seed = 1;
  std::uint64_t iterations = 200;
  std::optional<std::uint64_t> only_seed;
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  std::size_t exhaustive_decisions_max = 2000;
  std::uint64_t exhaustive_runs_max = 200'000;
  // Runs the scenario unperturbed and returns its length (PCT spreads its
  // change points over it).
  std::function<RunLength()> unperturbed_length;
  // Runs the scenario unperturbed, recording where cancellable tasks wait
  // (the cancellation sweep's first run).
  std::function<RunResult()> unperturbed_run;
};

std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec,
                                        const StrategyContext& context);

// The built-in strategies, for code that builds one itself.
std::unique_ptr<Strategy> make_fifo_strategy(const StrategyContext& context);
std::unique_ptr<Strategy> make_seeded_strategy(const StrategySpec& spec,
                                               const StrategyContext& context);
std::unique_ptr<Strategy> make_exhaustive_strategy(
    std::uint32_t perturbations_max, const StrategyContext& context);
// Cancels each point where a cancellable task waits, alone, then (with
// `cancellations_max` 2) in pairs (strategy_cancel_sweep.cc).
std::unique_ptr<Strategy> make_cancel_sweep_strategy(
    std::uint32_t cancellations_max, const StrategyContext& context);
// Mutates the decision lists of runs that reached new coverage
// (strategy_coverage.cc).
std::unique_ptr<Strategy> make_coverage_strategy(
    const StrategyContext& context);
// Replays `decisions` once: by position (a whole list) or by label.
std::unique_ptr<Strategy> make_replay_strategy(DecisionList decisions);
std::unique_ptr<Strategy> make_replay_strategy(SparseDecisions decisions);

}  // namespace weft::sim
