// The hunt: runs every component of the bug zoo under each strategy,
// shrinks what it finds, checks the fixed twins stay clean, and compares
// with stress-testing the same code on the real thread pool.
//
//   bazel run //examples:hunt                      the table
//   bazel run //examples:hunt -- --json            the same, as JSON
//   bazel run //examples:hunt -- --replay=NAME --decisions='LIST'
//
// Exit status: 0 when every bug is found by the default strategy with the
// checker that should report it and every fixed twin is clean; 1 when not
// (the reason is printed); 2 for a bad command line.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "examples/hunt/render.h"
#include "examples/hunt/run.h"
#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/sweep/knobs.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"

namespace weft::hunt {
namespace {

// The line that replays a component's failure through the hunt.
sim::ReplayCommand hunt_replay_command(const std::string& name) {
  sim::ReplayCommand command;
  command.env_suffix = " ";
  command.tail = "bazel run //examples:hunt -- --replay=" + name;
  return command;
}

// Replays a component's buggy twin, as --decisions or weft's knobs say (a
// report's line sets WEFT_DECISIONS, or WEFT_STRATEGY and WEFT_SEED), and
// prints its full report.
int replay(const std::string& name, const std::string& decisions) {
  for (const zoo::Component& component : zoo::whole_zoo()) {
    if (component.name != name) continue;
    sim::SweepConfig defaults;
    defaults.replay_command = hunt_replay_command(name);
    if (!decisions.empty()) {
      auto parsed = sim::parse_sparse_decisions(decisions, "--decisions");
      if (auto* error = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "hunt: %s\n", error->c_str());
        return 2;
      }
      sim::ReplayRequest request;
      request.sparse = std::get<sim::SparseDecisions>(std::move(parsed));
      request.origin = "--decisions";
      defaults.replay = std::move(request);
    }
    auto configured = sim::sweep_config_from_environment(defaults);
    if (auto* error = std::get_if<std::string>(&configured)) {
      std::fprintf(stderr, "hunt: %s\n", error->c_str());
      return 2;
    }
    sim::SweepConfig config = std::get<sim::SweepConfig>(std::move(configured));
    if (!config.replay && !config.only_seed) {
      std::fprintf(stderr,
                   "hunt: --replay needs --decisions='LIST', or "
                   "WEFT_DECISIONS='LIST', or WEFT_SEED in the environment\n");
      return 2;
    }
    if (config.replay) config.shrink = false;
    const sim::SweepOutcome outcome =
        sim::run_sweep(component.buggy, sim::SimOptions{}, config);
    if (!outcome.failure) {
      std::printf("hunt: %s ran clean with these decisions\n", name.c_str());
      return 0;
    }
    std::printf("%s", outcome.failure->to_string().c_str());
    return 1;
  }
  std::string names;
  for (const zoo::Component& component : zoo::whole_zoo()) {
    names += " " + component.name;
  }
  std::fprintf(stderr, "hunt: --replay: no component named '%s'; they are:%s\n",
               name.c_str(), names.c_str());
  return 2;
}

// Makes the trace folder, or says why it cannot.
bool prepare_trace_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "hunt: --trace-dir: cannot create '%s': %s\n",
                 dir.c_str(), error.message().c_str());
    return false;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    std::fprintf(stderr, "hunt: --trace-dir: cannot write to '%s'\n",
                 dir.c_str());
    return false;
  }
  return true;
}

int hunt(const HuntOptions& options, bool json) {
  const std::vector<zoo::Component> components = zoo::whole_zoo();
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  std::vector<Row> rows;
  std::size_t found = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  for (std::size_t c = 0; c < components.size(); ++c) {
    const zoo::Component& component = components[c];
    if (terminal) {
      std::fprintf(stderr, "\r[%2zu/%zu] %-19s found so far: %zu  %.1f s ",
                   c + 1, components.size(), component.name.c_str(), found,
                   elapsed());
    }
    rows.push_back(hunt_component(component, options));
    found += rows.back().cells[kRandom].found ? 1 : 0;
  }
  if (terminal) std::fprintf(stderr, "\r%70s\r", "");
  std::fputs(json ? render_json(rows).c_str()
                  : render_table(rows, options, elapsed()).c_str(),
             stdout);
  const std::vector<std::string> problems = problems_of(rows);
  for (const std::string& problem : problems) {
    std::fprintf(stderr, "hunt: %s\n", problem.c_str());
  }
  return problems.empty() ? 0 : 1;
}

}  // namespace
}  // namespace weft::hunt

int main(int argc, char** argv) {
  using namespace weft::hunt;
  CLI::App app{"The hunt: finds, shrinks and replays the bugs of weft's zoo."};
  bool json = false;
  std::string trace_dir;
  long stress_ms = 1000;
  std::string replay_name;
  std::string decisions;
  app.add_flag("--json", json, "print the results as JSON");
  auto* trace_option =
      app.add_option("--trace-dir", trace_dir,
                     "where trace files go (default: weft-hunt-traces in the "
                     "workspace)");
  app.add_option("--stress-ms", stress_ms,
                 "milliseconds of thread-pool stress per component")
      ->check(CLI::Range(0L, 600000L));
  auto* replay_option = app.add_option("--replay", replay_name,
                                       "replay a component's buggy twin ...");
  auto* decisions_option = app.add_option("--decisions", decisions,
                                          "... with this sparse decision list");
  decisions_option->needs(replay_option);
  replay_option->excludes("--json");
  replay_option->excludes(trace_option);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  for (const auto& [option, value] :
       {std::pair{trace_option, &trace_dir},
        std::pair{replay_option, &replay_name},
        std::pair{decisions_option, &decisions}}) {
    if (option->count() > 0 && value->empty()) {
      std::fprintf(stderr, "hunt: %s needs a value; it is empty\n",
                   option->get_name().c_str());
      return 2;
    }
  }
  if (!replay_name.empty()) return replay(replay_name, decisions);
  HuntOptions options;
  options.stress_ms = stress_ms;
  if (trace_option->count() > 0) {
    options.trace_dir = trace_dir;
  } else if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    options.trace_dir = std::string(workspace) + "/weft-hunt-traces";
  } else {
    options.trace_dir = "weft-hunt-traces";
  }
  if (!prepare_trace_dir(options.trace_dir)) return 2;
  return hunt(options, json);
}
