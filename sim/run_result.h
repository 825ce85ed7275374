// weft::sim::RunResult: what one simulated run produced: its failure, if a
// checker fired, the decisions it made, its length, and a hash of its
// trace for determinism checks. The timeline and trace file text are made
// only for a failed run, and only by run_once (single_run.h), so the hot
// path never formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/decision.h"
#include "sim/failure.h"

namespace weft::sim {

struct RunResult {
  std::optional<Failure> failure;
  DecisionList decisions;
  std::uint64_t steps = 0;
  std::uint64_t trace_hash = 0;
  std::string timeline;    // filled by run_once when the run failed
  std::string trace_json;  // filled by run_once when the run failed
};

}  // namespace weft::sim
