// weft::sim::FailureReport: everything a person needs about a failed run:
// the checker and its message, the seed and strategy, the decision list
// (inline when short, in a file otherwise) before and after shrinking, the
// command that replays it, a timeline of the last events (of the shrunk
// run when there is one), and where the trace file went.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/decision.h"
#include "sim/failure.h"

namespace weft::sim {

struct FailureReport {
  // The failing run after shrinking, when shrinking ran.
  struct Shrunk {
    DecisionList decisions;  // trailing unperturbed decisions removed
    std::uint64_t steps = 0;
    std::uint64_t attempts = 0;
    bool budget_ran_out = false;
    std::string replay_command;
  };

  Failure failure;
  std::string strategy;
  std::optional<std::uint64_t> seed;
  DecisionList decisions;
  std::uint64_t steps = 0;
  std::uint64_t runs = 0;  // runs of the sweep up to and including this one
  std::string timeline;
  std::string replay_command;
  std::string decisions_path;  // empty when no file was written
  std::string trace_path;      // empty when no file was written
  std::optional<Shrunk> shrunk;

  std::string to_string() const;
};

// Perturbed decisions are listed inline up to this many.
inline constexpr std::size_t kInlinePerturbationsMax = 24;

}  // namespace weft::sim
