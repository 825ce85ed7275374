// The hunt: runs every component of the bug zoo under each strategy,
// shrinks what it finds, checks the fixed twins stay clean, and compares
// with stress-testing the same code on the real thread pool.
//
//   bazel run //examples:hunt                      the table
//   bazel run //examples:hunt -- --json            the same, as JSON
//   bazel run //examples:hunt -- --replay=NAME --decisions='LIST'
//
// Traces of the shrunk failures (Perfetto / chrome://tracing) go to
// --trace-dir (default: weft-hunt-traces in the workspace).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "examples/stress_baseline.h"
#include "examples/zoo/catalogue.h"
#include "sim/decision_io.h"
#include "sim/replay_source.h"
#include "sim/strategy_spec.h"
#include "sim/sweep.h"

namespace weft::hunt {
namespace {

using zoo::catalogue;
using zoo::Component;

constexpr const char* kStrategies[] = {"fifo", "random", "pct:3",
                                       "exhaustive:2"};
constexpr std::size_t kStrategyCount = 4;
constexpr std::uint64_t kSeedBudget = 300;
constexpr std::uint64_t kExhaustiveRunsMax = 3000;

struct Cell {
  bool found = false;
  std::string checker;
  std::uint64_t runs = 0;
  double seconds = 0;
  std::size_t shrunk_decisions = 0;
  std::size_t shrunk_perturbations = 0;
  std::string shrunk_list;
  std::string trace_path;
};

struct Row {
  const Component* component;
  Cell cells[kStrategyCount];
  bool fixed_clean = true;
  std::string fixed_problem;
  StressResult stress;
};

struct Options {
  bool json = false;
  std::string trace_dir;
  std::string replay_name;
  std::string replay_decisions;
  long stress_ms = 1000;
};

sim::SweepConfig config_for(const char* strategy, const Options& options,
                            const std::string& artifact) {
  sim::SweepConfig config;
  config.strategy = std::get<sim::StrategySpec>(sim::parse_strategy(strategy));
  config.iterations = kSeedBudget;
  config.exhaustive_runs_max = kExhaustiveRunsMax;
  config.shrink_budget.attempts_max = 500;
  config.output_dir = options.trace_dir;
  config.artifact_name = artifact;
  return config;
}

Cell hunt_one(const Component& component, const char* strategy,
              const Options& options) {
  std::string artifact = component.name + "-" + strategy;
  for (char& c : artifact) c = c == ':' ? '-' : c;
  const auto start = std::chrono::steady_clock::now();
  sim::SweepOutcome outcome =
      sim::run_sweep(component.buggy, sim::SimOptions{},
                     config_for(strategy, options, artifact));
  Cell cell;
  cell.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  cell.runs = outcome.runs;
  if (!outcome.failure) return cell;
  cell.found = true;
  cell.checker = std::string(sim::to_string(outcome.failure->failure.checker));
  const sim::SparseDecisions& shrunk = outcome.failure->shrunk
                                           ? outcome.failure->shrunk->decisions
                                           : outcome.failure->found;
  cell.shrunk_decisions = shrunk.count.value_or(0);
  cell.shrunk_perturbations = shrunk.perturbed.size();
  cell.shrunk_list = sim::format_sparse_decisions(shrunk);
  cell.trace_path = outcome.failure->trace_path;
  return cell;
}

void check_fixed(const Component& component, Row& row) {
  for (const char* strategy : {"random", "pct:3"}) {
    sim::SweepConfig config = config_for(strategy, Options{}, "");
    config.shrink = false;
    sim::SweepOutcome outcome =
        sim::run_sweep(component.fixed, sim::SimOptions{}, config);
    if (outcome.failure) {
      row.fixed_clean = false;
      row.fixed_problem =
          std::string(strategy) + ": " + outcome.failure->failure.message;
      return;
    }
  }
}

std::string json_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void print_json(const std::vector<Row>& rows) {
  std::printf("{\"components\": [\n");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    std::printf(
        "  {\"name\": \"%s\", \"bug\": \"%s\", \"expected_checker\": \"%s\",",
        row.component->name.c_str(), json_escape(row.component->bug).c_str(),
        std::string(sim::to_string(row.component->expected)).c_str());
    std::printf(" \"fixed_twin_clean\": %s, \"strategies\": {",
                row.fixed_clean ? "true" : "false");
    for (std::size_t s = 0; s < kStrategyCount; ++s) {
      const Cell& cell = row.cells[s];
      std::printf(
          "%s\"%s\": {\"found\": %s, \"checker\": \"%s\", \"runs\": %llu, "
          "\"seconds\": %.3f, \"shrunk_decisions\": %zu, "
          "\"shrunk_perturbations\": %zu, \"trace\": \"%s\"}",
          s == 0 ? "" : ", ", kStrategies[s], cell.found ? "true" : "false",
          cell.checker.c_str(), static_cast<unsigned long long>(cell.runs),
          cell.seconds, cell.shrunk_decisions, cell.shrunk_perturbations,
          json_escape(cell.trace_path).c_str());
    }
    std::printf(
        "}, \"thread_pool_stress\": {\"found\": %s, \"how\": \"%s\", "
        "\"runs\": %ld}}%s\n",
        row.stress.found ? "true" : "false", row.stress.how.c_str(),
        row.stress.runs, r + 1 < rows.size() ? "," : "");
  }
  std::printf("]}\n");
}

void print_table(const std::vector<Row>& rows, const Options& options) {
  std::printf("\n%-19s %-16s %-6s %-6s %-6s %-12s %-9s %-7s %-10s %-6s %s\n",
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
    const Cell& random = row.cells[1];
    const Cell& shown = random.found ? random : (first ? *first : random);
    auto mark = [](const Cell& cell) { return cell.found ? "found" : "-"; };
    char time[16];
    std::snprintf(time, sizeof time, "%.1fms", shown.seconds * 1000);
    const std::string shrunk =
        shown.found ? std::to_string(shown.shrunk_decisions) + "d/" +
                          std::to_string(shown.shrunk_perturbations) + "p"
                    : "-";
    const std::string stress =
        row.stress.found
            ? "found: " + row.stress.how
            : "missed (" + std::to_string(row.stress.runs) + " runs)";
    const std::string runs = shown.found ? std::to_string(shown.runs) : "-";
    std::printf("%-19s %-16s %-6s %-6s %-6s %-12s %-9s %-7s %-10s %-6s %s\n",
                row.component->name.c_str(),
                shown.found ? shown.checker.c_str() : "(none)",
                mark(row.cells[0]), mark(row.cells[1]), mark(row.cells[2]),
                mark(row.cells[3]), runs.c_str(), shown.found ? time : "-",
                shrunk.c_str(), row.fixed_clean ? "clean" : "FAILED",
                stress.c_str());
    if (row.cells[0].found) ++found_by_fifo;
    if (row.cells[1].found || row.cells[2].found || row.cells[3].found) {
      ++found_by_perturbing;
    }
    if (row.stress.found) ++found_by_stress;
  }
  std::printf(
      "\n(1st(runs), time, shrunk: for random, or the first strategy that "
      "found it; shrunk = decisions d / perturbed p)\n");
  std::printf(
      "\nfound by a perturbing strategy: %zu/%zu; by FIFO alone: %zu/%zu; "
      "by %ld ms of stress on the thread pool: %zu/%zu\n",
      found_by_perturbing, rows.size(), found_by_fifo, rows.size(),
      options.stress_ms, found_by_stress, rows.size());
  std::printf("\nreplay any shrunk failure:\n");
  for (const Row& row : rows) {
    for (const Cell& cell : row.cells) {
      if (!cell.found) continue;
      std::printf(
          "  bazel run //examples:hunt -- --replay=%s --decisions='%s'\n",
          row.component->name.c_str(), cell.shrunk_list.c_str());
      break;
    }
  }
  if (!options.trace_dir.empty()) {
    std::printf(
        "\ntraces of the shrunk failures (open in https://ui.perfetto.dev "
        "or chrome://tracing): %s/*.trace.json\n",
        options.trace_dir.c_str());
  }
}

int replay(const Options& options) {
  for (const Component& component : catalogue()) {
    if (component.name != options.replay_name) continue;
    auto parsed =
        sim::parse_sparse_decisions(options.replay_decisions, "--decisions");
    if (auto* error = std::get_if<std::string>(&parsed)) {
      std::fprintf(stderr, "hunt: %s\n", error->c_str());
      return 2;
    }
    sim::RunResult run = sim::replay_sparse(
        component.buggy, sim::SimOptions{},
        std::get<sim::SparseDecisions>(parsed),
        sim::LabelledReplaySource::Mode::kStrict);
    if (!run.failure) {
      std::printf("hunt: %s ran clean with these decisions\n",
                  component.name.c_str());
      return 0;
    }
    std::printf("weft: %s checker fired at step %llu\n%s\n\nlast events:\n%s",
                std::string(sim::to_string(run.failure->checker)).c_str(),
                static_cast<unsigned long long>(run.failure->step),
                run.failure->message.c_str(), run.timeline.c_str());
    return 1;
  }
  std::fprintf(stderr, "hunt: no component named '%s'; the components are:",
               options.replay_name.c_str());
  for (const Component& component : catalogue()) {
    std::fprintf(stderr, " %s", component.name.c_str());
  }
  std::fprintf(stderr, "\n");
  return 2;
}

int usage(const char* problem) {
  std::fprintf(
      stderr,
      "hunt: %s\nusage: hunt [--json] [--trace-dir=DIR] [--stress-ms=N]\n"
      "       hunt --replay=COMPONENT --decisions=LIST\n",
      problem);
  return 2;
}

}  // namespace
}  // namespace weft::hunt

int main(int argc, char** argv) {
  using namespace weft::hunt;
  Options options;
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    options.trace_dir = std::string(workspace) + "/weft-hunt-traces";
  } else {
    options.trace_dir = "weft-hunt-traces";
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* prefix) {
      return arg.substr(std::strlen(prefix));
    };
    if (arg == "--json") {
      options.json = true;
    } else if (arg.rfind("--trace-dir=", 0) == 0) {
      options.trace_dir = value("--trace-dir=");
    } else if (arg.rfind("--replay=", 0) == 0) {
      options.replay_name = value("--replay=");
    } else if (arg.rfind("--decisions=", 0) == 0) {
      options.replay_decisions = value("--decisions=");
    } else if (arg.rfind("--stress-ms=", 0) == 0) {
      char* end = nullptr;
      options.stress_ms = std::strtol(value("--stress-ms=").c_str(), &end, 10);
      if (*end != '\0' || options.stress_ms < 0 || options.stress_ms > 600000) {
        return usage("--stress-ms takes milliseconds from 0 to 600000");
      }
    } else if (arg == "--help" || arg == "-h") {
      return usage("finds the bugs of the zoo");
    } else {
      return usage(("unknown argument '" + arg + "'").c_str());
    }
  }
  if (!options.replay_name.empty()) return replay(options);
  std::filesystem::create_directories(options.trace_dir);

  const std::vector<Component> components = catalogue();
  std::vector<Row> rows;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t c = 0; c < components.size(); ++c) {
    const Component& component = components[c];
    Row row;
    row.component = &component;
    std::fprintf(stderr, "[%2zu/%zu] %-19s", c + 1, components.size(),
                 component.name.c_str());
    for (std::size_t s = 0; s < kStrategyCount; ++s) {
      row.cells[s] = hunt_one(component, kStrategies[s], options);
      std::fprintf(stderr, " %s:%s", kStrategies[s],
                   row.cells[s].found ? "found" : "-");
    }
    check_fixed(component, row);
    row.stress = stress_on_thread_pool(
        component.buggy, std::chrono::milliseconds(options.stress_ms));
    std::fprintf(stderr, " fixed:%s stress:%s\n",
                 row.fixed_clean ? "clean" : "FAILED",
                 row.stress.found ? "found" : "-");
    rows.push_back(std::move(row));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (options.json) {
    print_json(rows);
  } else {
    print_table(rows, options);
    std::printf("\nhunt took %.1f s\n", seconds);
  }
  for (const Row& row : rows) {
    if (!row.fixed_clean) {
      std::fprintf(stderr, "hunt: the fixed twin of %s failed: %s\n",
                   row.component->name.c_str(), row.fixed_problem.c_str());
      return 1;
    }
  }
  return 0;
}
