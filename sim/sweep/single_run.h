// weft::sim::run_once: one simulated run of a scenario with decisions from
// a given source, for tools that drive runs themselves (sweeps, shrinking,
// fuzz targets, properties). A failed run comes back with its timeline and
// trace file text; a clean one without (no formatting on the good path).
#pragma once

#include <functional>
#include <optional>

#include "runtime/future/async.h"
#include "sim/core/options.h"
#include "sim/core/run_result.h"
#include "sim/decision/decision.h"
#include "sim/decision/decision_source.h"
#include "sim/decision/replay_source.h"

namespace weft::sim {

class FatalReporter;

// A scenario makes the root future of a run; it is called once per run.
using Scenario = std::function<Async<void>()>;

// `reporter`, if given, is what a crash during the run prints.
RunResult run_once(const Scenario& scenario, const SimOptions& options,
                   DecisionSource& source, FatalReporter* reporter = nullptr);

// Replays a sparse list by label (see replay_source.h).
RunResult replay_sparse(const Scenario& scenario, const SimOptions& options,
                        const SparseDecisions& decisions,
                        LabelledReplaySource::Mode mode,
                        FatalReporter* reporter = nullptr);

}  // namespace weft::sim
