#include "fuzz/fuzz_scenario.h"

#include <cstdio>
#include <cstdlib>

#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/sweep/shrink.h"

namespace weft::fuzz {

int run_input(const char* target_name, const sim::Scenario& scenario,
              const sim::SimOptions& options, const std::uint8_t* data,
              std::size_t size) {
  sim::ByteSource source(data, size);
  sim::RunResult run = sim::run_once(scenario, options, source);
  if (!run.failure) return 0;
  // A small shrink budget: the fuzzer's input file stays the primary
  // reproducer, the shrunk list is for reading and for a simulated test.
  sim::ShrinkBudget budget;
  budget.attempts_max = 300;
  sim::ShrinkResult shrunk = sim::shrink(
      scenario, options, sim::Candidate(run.decisions), *run.failure, budget);
  sim::RunResult readable =
      sim::replay_sparse(scenario, options, shrunk.decisions,
                         sim::LabelledReplaySource::Mode::kStrict);
  const std::string list = sim::format_sparse_decisions(shrunk.decisions);
  std::fprintf(
      stderr,
      "weft: %s checker fired in fuzz target %s at step %llu\n%s\n"
      "  input: %zu bytes -> %zu decisions (%zu perturbed); shrunk to %zu "
      "perturbed\n  shrunk decisions: %s\n\n"
      "timeline of the shrunk run:\n%s\n"
      "replay: run the target on the saved input file (bazel run "
      "//fuzz:%s -- <file>), or replay the shrunk list in a simulated test "
      "with WEFT_DECISIONS='%s'\n",
      std::string(sim::to_string(run.failure->checker)).c_str(), target_name,
      static_cast<unsigned long long>(run.failure->step),
      run.failure->message.c_str(), size, run.decisions.size(),
      sim::count_perturbations(run.decisions),
      shrunk.decisions.perturbed.size(), list.c_str(),
      readable.timeline.c_str(), target_name, list.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace weft::fuzz
