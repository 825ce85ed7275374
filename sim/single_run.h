// weft::sim::run_once: one simulated run of a scenario with decisions from
// a given source, for tools that drive runs themselves (sweeps, shrinking,
// fuzz targets, properties).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "runtime/async.h"
#include "sim/decision.h"
#include "sim/decision_source.h"
#include "sim/failure.h"
#include "sim/options.h"

namespace weft::sim {

// A scenario makes the root future of a run; it is called once per run.
using Scenario = std::function<Async<void>()>;

struct SingleRun {
  std::optional<Failure> failure;
  DecisionList decisions;
  std::uint64_t steps = 0;
  std::uint64_t trace_hash = 0;
  std::string timeline;    // filled when the run failed
  std::string trace_json;  // filled when the run failed
};
SingleRun run_once(const Scenario& scenario, const SimOptions& options,
                   DecisionSource& source);

}  // namespace weft::sim
