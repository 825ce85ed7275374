#include "sim/report.h"

namespace weft::sim {

std::string FailureReport::to_string() const {
  std::string out = "weft: " + std::string(sim::to_string(failure.checker)) +
                    " checker fired at step " + std::to_string(failure.step) +
                    "\n" + failure.message;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "\n  strategy:  " + strategy;
  if (seed) out += "\n  seed:      " + std::to_string(*seed);
  out += "\n  runs:      " + std::to_string(runs) + " (this run took " +
         std::to_string(steps) + " steps)";
  out += "\n  decisions: " + std::to_string(decisions.size()) + " (" +
         std::to_string(count_perturbations(decisions)) + " perturbed)";
  if (shrunk) {
    out += " -> shrunk to " + std::to_string(shrunk->decisions.size()) +
           " decisions (" +
           std::to_string(count_perturbations(shrunk->decisions)) +
           " perturbed, " + std::to_string(shrunk->steps) + " steps) in " +
           std::to_string(shrunk->attempts) + " attempts" +
           (shrunk->budget_ran_out ? " (shrink budget ran out)" : "");
  }
  const DecisionList& shown = shrunk ? shrunk->decisions : decisions;
  if (count_perturbations(shown) <= kInlinePerturbationsMax) {
    std::string listed;
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const Decision& d = shown[i];
      if (!d.perturbed()) continue;
      listed += " #" + std::to_string(i) + " " +
                std::string(sim::to_string(d.kind)) + "=" +
                std::to_string(d.value) + "/" + std::to_string(d.bound);
    }
    if (!listed.empty()) out += "\n  perturbed:" + listed;
  }
  if (!decisions_path.empty()) out += "\n  decision file: " + decisions_path;
  if (!trace_path.empty()) {
    out += "\n  trace (Perfetto / chrome://tracing): " + trace_path;
  }
  out += shrunk ? "\n\nlast events of the shrunk run:\n" : "\n\nlast events:\n";
  out += timeline;
  if (shrunk) {
    out += "\nreplay (shrunk): " + shrunk->replay_command;
    out += "\nreplay (as found): " + replay_command + "\n";
  } else {
    out += "\nreplay: " + replay_command + "\n";
  }
  return out;
}

}  // namespace weft::sim
