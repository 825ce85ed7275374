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
  const std::size_t perturbed = count_perturbations(decisions);
  out += "\n  decisions: " + std::to_string(decisions.size()) + " (" +
         std::to_string(perturbed) + " perturbed)";
  if (perturbed <= kInlinePerturbationsMax) {
    std::string listed;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const Decision& d = decisions[i];
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
  out += "\n\nlast events:\n" + timeline;
  out += "\nreplay: " + replay_command + "\n";
  return out;
}

}  // namespace weft::sim
