// weft::sim::ExhaustiveExplorer: bounded exhaustive search. It enumerates
// every decision list with at most `perturbations_max` non-zero decisions
// (among the first `decisions_max` of a run), each exactly once, in
// lexicographic order, and says when the space is exhausted.
//
// It is stateless model checking by replay: each run replays a prefix and
// answers 0 after it, the run records the bound of every choice it met, and
// the next prefix is the recorded list up to the last position that can
// still be raised (value + 1 < bound, within the perturbation budget), with
// that position raised by one. Runs are deterministic, so a prefix always
// meets the same choices again.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/decision/decision.h"

namespace weft::sim {

class ExhaustiveExplorer {
 public:
  ExhaustiveExplorer(std::uint32_t perturbations_max, std::size_t decisions_max)
      : perturbations_max_(perturbations_max), decisions_max_(decisions_max) {}

  // The list to replay for the next run (empty for the first).
  const DecisionList& next_prefix() const noexcept { return prefix_; }
  // Takes what the last run recorded; returns false when every list has
  // been tried.
  bool advance(const DecisionList& recorded);
  std::uint64_t runs() const noexcept { return runs_; }

 private:
  std::uint32_t perturbations_max_;
  std::size_t decisions_max_;
  DecisionList prefix_;
  std::uint64_t runs_ = 0;
};

}  // namespace weft::sim
