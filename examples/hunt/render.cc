#include "examples/hunt/render.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/report/failure.h"

namespace weft::hunt {
namespace {

std::string format(const char* pattern, auto... values) {
  char line[512];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

}  // namespace

std::string render_table(const std::vector<Row>& rows,
                         const HuntOptions& options, double seconds) {
  // One column per strategy: the runs it took to find the bug, or "-".
  std::string out = format("\n%-18s %-18s", "component", "checker");
  for (const char* strategy : kStrategies) out += format(" %-8s", strategy);
  out += format(" %-8s %-6s %s\n", "shrunk", "fixed", "thread-pool stress");
  std::size_t found_by_perturbing = 0;
  std::size_t found_by_fifo = 0;
  std::size_t found_by_stress = 0;
  std::size_t stressable = 0;  // components with real code to stress
  for (const Row& row : rows) {
    const Cell* first = nullptr;
    for (const Cell& cell : row.cells) {
      if (cell.found && first == nullptr) first = &cell;
    }
    const Cell& random = row.cells[kRandom];
    const Cell& shown = random.found ? random : (first ? *first : random);
    const std::string shrunk =
        shown.found ? std::to_string(shown.shrunk_decisions) + "d/" +
                          std::to_string(shown.shrunk_perturbations) + "p"
                    : "-";
    const std::string stress =
        row.component->simulated_only != nullptr
            ? "n/a (" + std::string(row.component->simulated_only) + ")"
        : row.stress.found
            ? "found: " + row.stress.how
            : "missed (" + std::to_string(row.stress.runs) + " runs)";
    out += format("%-18s %-18s", row.component->name.c_str(),
                  shown.found ? shown.checker.c_str() : "(none)");
    bool perturbing_found = false;
    for (std::size_t s = 0; s < kStrategies.size(); ++s) {
      const Cell& cell = row.cells[s];
      const std::string runs = cell.found ? std::to_string(cell.runs) : "-";
      out += format(" %-8s", runs.c_str());
      if (s != kFifo && cell.found) perturbing_found = true;
    }
    out += format(" %-8s %-6s %s\n", shrunk.c_str(),
                  row.fixed_clean ? "clean" : "FAILED", stress.c_str());
    if (row.cells[kFifo].found) ++found_by_fifo;
    if (perturbing_found) ++found_by_perturbing;
    if (row.stress.found) ++found_by_stress;
    if (row.component->simulated_only == nullptr) ++stressable;
  }
  out +=
      "\n(a strategy's column: the runs it took to find the bug, - if it did "
      "not within its budget: " +
      std::to_string(kSeedBudget) + " runs, exhaustive:2 up to " +
      std::to_string(kExhaustiveRunsMax) +
      ", cancel-sweep:2 every recorded point and pair; shrunk = decisions d / "
      "perturbed p, of random's find or the first strategy's)\n";
  std::string marks;
  for (const Row& row : rows) {
    if (row.fixed_marks.empty()) continue;
    marks += "  " + row.component->name + ": " + row.fixed_marks + "\n";
  }
  if (!marks.empty()) {
    out +=
        "\nmarks reached by the fixed twins (random, runs reaching it / "
        "runs):\n" +
        marks;
  }
  out += format(
      "\nfound by a perturbing strategy: %zu/%zu; by FIFO alone: %zu/%zu; "
      "by %ld ms of stress on the thread pool: %zu/%zu\n",
      found_by_perturbing, rows.size(), found_by_fifo, rows.size(),
      options.stress_ms, found_by_stress, stressable);
  out += "\nreplay any shrunk failure:\n";
  for (const Row& row : rows) {
    for (const Cell& cell : row.cells) {
      if (!cell.found) continue;
      out += "  bazel run //examples:hunt -- --replay=" + row.component->name +
             " --decisions='" + cell.shrunk_list + "'\n";
      break;
    }
  }
  if (!options.trace_dir.empty()) {
    out +=
        "\ntraces of the shrunk failures (open in https://ui.perfetto.dev "
        "or chrome://tracing): " +
        options.trace_dir + "/*.trace.json\n";
  }
  out += format("\nhunt took %.1f s\n", seconds);
  return out;
}

std::string render_json(const std::vector<Row>& rows) {
  nlohmann::json components = nlohmann::json::array();
  for (const Row& row : rows) {
    nlohmann::json strategies = nlohmann::json::object();
    for (std::size_t s = 0; s < kStrategies.size(); ++s) {
      const Cell& cell = row.cells[s];
      strategies[kStrategies[s]] = {
          {"found", cell.found},
          {"checker", cell.checker},
          {"runs", cell.runs},
          {"seconds", cell.seconds},
          {"shrunk_decisions", cell.shrunk_decisions},
          {"shrunk_perturbations", cell.shrunk_perturbations},
          {"shrunk_list", cell.shrunk_list},
          {"trace", cell.trace_path},
      };
    }
    components.push_back({
        {"name", row.component->name},
        {"bug", row.component->bug},
        {"expected_checker",
         std::string(sim::to_string(row.component->expected))},
        {"fixed_twin_clean", row.fixed_clean},
        {"fixed_twin_problem", row.fixed_problem},
        {"fixed_twin_marks", row.fixed_marks},
        {"strategies", strategies},
        {"thread_pool_stress",
         {{"applicable", row.component->simulated_only == nullptr},
          {"found", row.stress.found},
          {"how", row.stress.how},
          {"runs", row.stress.runs}}},
    });
  }
  return nlohmann::json{{"components", components}}.dump(2) + "\n";
}

}  // namespace weft::hunt
