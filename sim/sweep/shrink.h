// weft::sim::shrink: makes a failing run's perturbations as few and as
// small as it can while the run still fails the same way (same checker;
// for invariant failures the same assertion site; for crashes the same
// signal or sanitizer), so a person reads two decisions instead of ninety.
//
// It is delta debugging (Zeller and Hildebrandt, "Simplifying and
// Isolating Failure-Inducing Input", TSE 2002) in two phases:
//   1. over the whole list, replayed by position (decision.h): keep only
//      the last few perturbations (noise before a bug goes all at once),
//      zero chunks of perturbations, lower values, cut the tail, and drop
//      chunks of decisions, which shifts the rest earlier: the moves that
//      get from ninety perturbations to two;
//   2. over the perturbations alone, replayed by label, so removing one
//      leaves the others attached to the same questions: remove each
//      remaining perturbation, lower each value.
// Each accepted candidate is replaced by what its run really recorded, so
// the result replays exactly.
//
// When phase 2 stops because no move helps, the result is 1-minimal: no
// single remaining perturbation can be removed (the last pass tried each).
// When a budget stops it first, the result says so. The default budget is
// a number of attempts only, so the result is the same on any machine; a
// time limit can be added.
//
// Candidates are run by an oracle: in this process (shrink below), or in
// child processes when the failure is a crash (crash_shrink.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <variant>

#include "sim/core/options.h"
#include "sim/decision/decision.h"
#include "sim/report/failure.h"
#include "sim/sweep/single_run.h"

namespace weft::sim {

struct ShrinkBudget {
  std::uint64_t attempts_max = 2000;
  // Off by default: a time limit makes the result depend on the machine.
  std::optional<std::chrono::milliseconds> time_max;
};

// A candidate: a whole list replayed by position, or perturbations
// replayed by label; both leniently (a value too big for its question is
// clamped, a missing one is 0).
using Candidate = std::variant<DecisionList, SparseDecisions>;

// What one candidate's run did.
struct CandidateRun {
  std::optional<Failure> failure;
  DecisionList recorded;  // every decision the run made
  std::uint64_t steps = 0;
};
using CandidateOracle = std::function<CandidateRun(const Candidate&)>;

// Runs a candidate in this process.
RunResult run_candidate(const Scenario& scenario, const SimOptions& options,
                        const Candidate& candidate,
                        FatalReporter* reporter = nullptr);

struct ShrinkResult {
  SparseDecisions decisions;  // with the count of the shrunk run
  Failure failure;            // as the shrunk run reports it
  std::uint64_t steps = 0;
  std::uint64_t attempts = 0;
  bool budget_ran_out = false;
  // No single perturbation could be removed (checked by the last pass).
  bool one_minimal = false;
};

ShrinkResult shrink_with(const CandidateOracle& oracle,
                         const Candidate& failing, const Failure& failure,
                         ShrinkBudget budget = {});

// Shrinks by running candidates in this process.
ShrinkResult shrink(const Scenario& scenario, const SimOptions& options,
                    const Candidate& failing, const Failure& failure,
                    ShrinkBudget budget = {});

}  // namespace weft::sim
