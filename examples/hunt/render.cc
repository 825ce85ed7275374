#include "examples/hunt/render.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "sim/failure.h"

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
  std::string out = format(
      "\n%-19s %-16s %-6s %-6s %-6s %-12s %-9s %-7s %-10s %-6s %s\n",
      "component", "checker", "fifo", "random", "pct:3", "exhaustive:2",
      "1st(runs)", "time", "shrunk", "fixed", "thread-pool stress");
  std::size_t found_by_perturbing = 0;
  std::size_t found_by_fifo = 0;
  std::size_t found_by_stress = 0;
  for (const Row& row : rows) {
    const Cell* first = nullptr;
    for (const Cell& cell : row.cells) {
      if (cell.found && first == nullptr) first = &cell;
    }
    const Cell& random = row.cells[kRandom];
    const Cell& shown = random.found ? random : (first ? *first : random);
    auto mark = [](const Cell& cell) { return cell.found ? "found" : "-"; };
    const std::string shrunk =
        shown.found ? std::to_string(shown.shrunk_decisions) + "d/" +
                          std::to_string(shown.shrunk_perturbations) + "p"
                    : "-";
    const std::string stress =
        row.stress.found
            ? "found: " + row.stress.how
            : "missed (" + std::to_string(row.stress.runs) + " runs)";
    const std::string runs = shown.found ? std::to_string(shown.runs) : "-";
    const std::string time =
        shown.found ? format("%.1fms", shown.seconds * 1000) : "-";
    out += format("%-19s %-16s %-6s %-6s %-6s %-12s %-9s %-7s %-10s %-6s %s\n",
                  row.component->name.c_str(),
                  shown.found ? shown.checker.c_str() : "(none)",
                  mark(row.cells[0]), mark(row.cells[1]), mark(row.cells[2]),
                  mark(row.cells[3]), runs.c_str(), time.c_str(),
                  shrunk.c_str(), row.fixed_clean ? "clean" : "FAILED",
                  stress.c_str());
    if (row.cells[0].found) ++found_by_fifo;
    if (row.cells[1].found || row.cells[2].found || row.cells[3].found) {
      ++found_by_perturbing;
    }
    if (row.stress.found) ++found_by_stress;
  }
  out +=
      "\n(1st(runs), time, shrunk: for random, or the first strategy that "
      "found it; shrunk = decisions d / perturbed p)\n";
  out += format(
      "\nfound by a perturbing strategy: %zu/%zu; by FIFO alone: %zu/%zu; "
      "by %ld ms of stress on the thread pool: %zu/%zu\n",
      found_by_perturbing, rows.size(), found_by_fifo, rows.size(),
      options.stress_ms, found_by_stress, rows.size());
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
    out += "\ntraces of the shrunk failures (open in https://ui.perfetto.dev "
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
        {"expected_checker", std::string(sim::to_string(row.component->expected))},
        {"fixed_twin_clean", row.fixed_clean},
        {"fixed_twin_problem", row.fixed_problem},
        {"strategies", strategies},
        {"thread_pool_stress",
         {{"found", row.stress.found},
          {"how", row.stress.how},
          {"runs", row.stress.runs}}},
    });
  }
  return nlohmann::json{{"components", components}}.dump(2) + "\n";
}

}  // namespace weft::hunt
