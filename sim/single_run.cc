#include "sim/single_run.h"

#include "sim/simulator.h"

namespace weft::sim {

SingleRun run_once(const Scenario& scenario, const SimOptions& options,
                   DecisionSource& source) {
  Simulator simulator(source, options);
  RunResult result = simulator.run_made(scenario);
  SingleRun run;
  run.failure = std::move(result.failure);
  run.decisions = std::move(result.decisions);
  run.steps = result.steps;
  run.trace_hash = result.trace_hash;
  if (run.failure) {
    run.timeline = simulator.trace().timeline(options.timeline_events);
    run.trace_json = simulator.trace().chrome_trace_json();
  }
  return run;
}

}  // namespace weft::sim
