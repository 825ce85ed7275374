// weft::sim::shrink: makes a failing decision list as small as it can while
// the run still fails the same way (same checker, and for invariant
// failures the same assertion site), so a person reads five decisions
// instead of three thousand.
//
// It is delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating
// Failure-Inducing Input", TSE 2002) over the list, with moves tried in
// this order until none helps: cut the tail, zero chunks of perturbations
// (halves, quarters, ... down to single ones), drop chunks of decisions,
// lower each remaining value. Candidates are replayed leniently (a value
// too large for the question asked is clamped, a missing one is 0), and
// each accepted candidate is replaced by what its run really recorded, so
// the result always replays exactly.
//
// Bounded by a number of attempts and a wall-clock budget; the result says
// whether a budget ran out before the list stopped shrinking.
#pragma once

#include <chrono>
#include <cstdint>

#include "sim/decision.h"
#include "sim/failure.h"
#include "sim/options.h"
#include "sim/single_run.h"

namespace weft::sim {

struct ShrinkBudget {
  std::uint64_t attempts_max = 2000;
  std::chrono::milliseconds time_max{10'000};
};

struct ShrinkResult {
  DecisionList decisions;  // trailing unperturbed decisions removed
  Failure failure;         // as the shrunk run reports it
  std::uint64_t steps = 0;
  std::uint64_t attempts = 0;
  bool budget_ran_out = false;
};

ShrinkResult shrink(const Scenario& scenario, const SimOptions& options,
                    const DecisionList& failing, const Failure& failure,
                    ShrinkBudget budget = {});

// `list` without its trailing zeros (they replay the same way).
DecisionList trim_unperturbed_tail(DecisionList list);

}  // namespace weft::sim
