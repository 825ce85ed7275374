#include "sim/report/report.h"

#include "sim/decision/decision_io.h"

namespace weft::sim {
namespace {

std::string count_of(std::uint64_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

std::string FailureReport::to_string() const {
  std::string out = "weft: " + std::string(sim::to_string(failure.checker)) +
                    " checker fired at step " + std::to_string(failure.step) +
                    (shrunk ? " of the shrunk run" : "") + "\n" +
                    failure.message;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!notes.empty()) {
    out += notes;
    if (out.back() != '\n') out += '\n';
  }
  out += "\n  strategy:  " + strategy;
  if (seed) out += "\n  seed:      " + std::to_string(*seed);
  out += "\n  runs:      " + std::to_string(runs) + " (the failing run took " +
         count_of(steps, "step", "steps") + ")";
  out += "\n  decisions: " +
         (found.count ? std::to_string(*found.count) : std::string("?")) +
         " (" + std::to_string(found.perturbed.size()) + " perturbed)";
  if (found.perturbed.empty()) {
    out += ": the unperturbed (FIFO) schedule fails";
  } else if (shrunk) {
    out += " -> shrunk to " +
           (shrunk->decisions.count ? std::to_string(*shrunk->decisions.count)
                                    : std::string("?")) +
           " decisions (" + std::to_string(shrunk->decisions.perturbed.size()) +
           " perturbed, " + count_of(shrunk->steps, "step", "steps") + ") in " +
           count_of(shrunk->attempts, "attempt", "attempts");
    if (shrunk->one_minimal) {
      out += "; no single perturbation can be removed";
    } else if (shrunk->budget_ran_out) {
      out += "; the shrink budget ran out (WEFT_SHRINK_ATTEMPTS)";
    }
  }
  const std::vector<Decision>& shown =
      shrunk ? shrunk->decisions.perturbed : found.perturbed;
  // (The "why" section below names them in words when the run was
  // explained; this line is for a report without it.)
  if (!shown.empty() && shown.size() <= kListedPerturbationsMax &&
      decisive.empty()) {
    out += "\n  perturbed:";
    for (const Decision& d : shown) out += " " + format_decision(d);
  }
  for (const std::string& file : files) out += "\n  " + file;
  for (const std::string& problem : file_problems) {
    out += "\n  not written: " + problem;
  }
  const char* run_shown = shrunk ? "the shrunk run" : "the run";
  if (!decisive.empty()) {
    out += "\n\nwhy: the perturbed decision" +
           std::string(decisive.size() == 1 ? "" : "s") + " of " + run_shown +
           ", in the order taken (each a departure from FIFO):\n";
    for (const std::string& line : decisive) out += "  " + line + "\n";
  } else if (!timeline.empty()) {
    out += "\n\nwhy: " + std::string(run_shown) +
           " perturbed nothing: it fails in FIFO order, on every schedule "
           "that makes the same choices\n";
  }
  if (!culprits.empty()) {
    out += "\nwhat left it stuck:\n";
    for (const std::string& line : culprits) out += "  " + line + "\n";
  }
  out += "\ntimeline of " + std::string(run_shown) +
         " (>> a perturbed decision, + what it caused, ! a culprit; "
         "\"...\" marks events left out):\n";
  out += timeline;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (shrunk) out += "\nreplay (as found): " + replay_as_found_command;
  out += "\nreplay: " + replay_command + "\n";
  return out;
}

}  // namespace weft::sim
