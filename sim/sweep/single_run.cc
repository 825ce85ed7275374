#include "sim/sweep/single_run.h"

#include "sim/core/simulator.h"

namespace weft::sim {

RunResult run_once(const Scenario& scenario, const SimOptions& options,
                   DecisionSource& source, FatalReporter* reporter) {
  Simulator simulator(source, options);
  simulator.set_fatal_reporter(reporter);
  RunResult run = simulator.run_made(scenario);
  if (run.failure) {
    run.timeline = simulator.trace().timeline(options.timeline_events);
    run.trace_json = simulator.trace().chrome_trace_json();
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
