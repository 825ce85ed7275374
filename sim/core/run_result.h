// weft::sim::RunResult: what one simulated run produced: its failure, if a
// checker fired, the decisions it made, its length, and a hash of its
// trace for determinism checks. A failed run also keeps its trace and the
// text of its timeline, made only by run_once (single_run.h), so the hot
// path never formats.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/seam/source_location.h"
#include "sim/core/coverage.h"
#include "sim/decision/decision.h"
#include "sim/report/failure.h"
#include "sim/report/trace.h"

namespace weft::sim {

// A coverage mark (runtime/seam/mark.h) as one run saw it.
struct MarkResult {
  std::string name;
  bool sometimes = false;  // a WEFT_SOMETIMES, not a plain mark
  bool reached = false;
};

// A moment where a cancellable task waited and could have been cancelled
// (recorded when SimOptions::record_cancel_points is on): the question's
// step and bound, the option that cancels this task, the task, where it
// waited, and which of its waits this is (its poll count).
struct CancelPoint {
  std::uint64_t step = 0;
  std::uint32_t bound = 0;
  std::uint32_t option = 0;
  std::uint64_t task = 0;
  SourceLocation site;  // the await the task is parked at
  // The awaits that led there, innermost first (a helper's await is
  // shared; its callers say which wait this is).
  std::array<SourceLocation, 2> callers{};
  std::uint32_t wait = 0;
};

struct RunResult {
  std::optional<Failure> failure;
  std::vector<CancelPoint> cancel_points;
  CoverageMap coverage;           // empty unless SimOptions::record_coverage
  std::vector<MarkResult> marks;  // in the order first seen
  DecisionList decisions;
  std::uint64_t steps = 0;
  // Switches between simulated threads (0 when the run made none).
  std::uint64_t thread_switches = 0;
  // Messages the simulated network delivered (sim/net/sim_net.h).
  std::uint64_t net_messages = 0;
  std::uint64_t trace_hash = 0;
  // Filled by run_once when the run failed: its trace (with detail when
  // SimOptions::record_detail was on) and its explained timeline.
  std::shared_ptr<const Trace> trace;
  std::string timeline;
};

}  // namespace weft::sim
