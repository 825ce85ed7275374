#include "sim/sweep/single_run.h"

#include "sim/core/simulator.h"
#include "sim/report/explain.h"

namespace weft::sim {

RunResult run_once(const Scenario& scenario, const SimOptions& options,
                   DecisionSource& source, FatalReporter* reporter) {
  Simulator simulator(source, options);
  simulator.set_fatal_reporter(reporter);
  RunResult run = simulator.run_made(scenario);
  if (run.failure) {
    run.trace = std::make_shared<Trace>(simulator.trace());
    run.timeline = explain(*run.trace, run.decisions, *run.failure,
                           options.timeline_events)
                       .timeline;
  }
  return run;
}

RunResult replay_sparse(const Scenario& scenario, const SimOptions& options,
                        const SparseDecisions& decisions,
                        LabelledReplaySource::Mode mode,
                        FatalReporter* reporter) {
  LabelledReplaySource source(decisions.perturbed, decisions.count, mode);
  return run_once(scenario, options, source, reporter);
}

}  // namespace weft::sim
