// weft::sim::DecisionSource: where a simulated run gets every choice it
// makes. Strategies (FIFO, random walk, PCT, exhaustive), replay of a
// recorded list, and a fuzzer's bytes all implement this one interface.
//
// The simulator asks only when there is a real choice (bound >= 2) and
// records every answer, so any source's run can be replayed exactly. An
// answer must be below the bound; the simulator checks.
#pragma once

#include <cstdint>
#include <span>

#include "sim/decision/decision.h"

namespace weft::sim {

// What the simulator knows at a decision point; sources that need no
// context (replay, bytes) ignore most of it.
struct DecisionContext {
  // The chance, out of 2^32, that a perturbation of this kind is wanted
  // (from the run's options); strategies that perturb at random use it.
  std::uint32_t perturb_chance = 0;
  // For kPickTask: ids of the runnable tasks, in wake order; for
  // kThreadSwitch: ids of the simulated threads that may run, in the order
  // of the choices. Filled only for a source whose wants_runnable_task_ids()
  // is true.
  std::span<const std::uint64_t> runnable_task_ids;
  // Steps taken so far in this run.
  std::uint64_t step = 0;
  // The question's label (see decision.h).
  DecisionLabel label;
  // Decisions made so far in this run.
  std::uint64_t index = 0;
};

class DecisionSource {
 public:
  virtual ~DecisionSource() = default;
  // Returns a value in [0, bound), bound >= 2.
  virtual std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                               const DecisionContext& context) = 0;
  // Called once when the run ends, with the number of decisions it made;
  // a replay checks there that its whole list was used.
  virtual void run_ended(std::uint64_t decisions_made) { (void)decisions_made; }
  // Set when the source could not follow the run (a replay list that no
  // longer fits the program); the simulator then stops with this message.
  virtual const char* mismatch() const noexcept { return nullptr; }
  // Whether choose() reads DecisionContext::runnable_task_ids (listing
  // them costs a pass over the run queue at every pick).
  virtual bool wants_runnable_task_ids() const noexcept { return false; }
};

}  // namespace weft::sim
