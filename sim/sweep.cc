#include "sim/sweep.h"

#include <fstream>
#include <memory>

#include "sim/decision_io.h"
#include "sim/exhaustive.h"
#include "sim/replay_source.h"
#include "sim/simulator.h"
#include "sim/strategies.h"

namespace weft::sim {
namespace {

bool write_file(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return false;
  file << contents;
  return static_cast<bool>(file);
}

// Reruns a failing run with its own decisions to get its trace; cheaper
// than keeping every trace of a sweep.
SingleRun rerun(const Scenario& scenario, const SimOptions& options,
                const DecisionList& decisions) {
  ReplaySource replay(decisions);
  return run_once(scenario, options, replay);
}

std::string command_prefix(const SweepConfig& config) {
  std::string command =
      "bazel test " + (config.replay_target.empty() ? std::string("<target>")
                                                    : config.replay_target);
  if (!config.replay_filter.empty()) {
    command += " --test_filter=" + config.replay_filter;
  }
  return command;
}

// Replays `decisions` exactly: inline when short, else from `path`.
std::string decisions_command(const SweepConfig& config,
                              const DecisionList& decisions,
                              const std::string& path) {
  if (count_perturbations(decisions) > kInlinePerturbationsMax &&
      !path.empty()) {
    return command_prefix(config) + " --test_env=WEFT_REPLAY=" + path;
  }
  return command_prefix(config) + " --test_env=WEFT_DECISIONS='" +
         format_sparse_decisions(decisions) + "'";
}

std::string replay_command(const SweepConfig& config,
                           const FailureReport& report) {
  if (report.seed) {
    return command_prefix(config) +
           " --test_env=WEFT_STRATEGY=" + report.strategy +
           " --test_env=WEFT_SEED=" + std::to_string(*report.seed) +
           " --test_env=WEFT_SHRINK=0";
  }
  return decisions_command(config, report.decisions, report.decisions_path);
}

FailureReport make_report(const Scenario& scenario, const SimOptions& options,
                          const SweepConfig& config, const SingleRun& run,
                          std::optional<std::uint64_t> seed,
                          std::uint64_t runs) {
  FailureReport report;
  report.failure = *run.failure;
  report.strategy = config.replay ? "replay (" + config.replay_origin + ")"
                                  : config.strategy.to_string();
  report.seed = seed;
  report.decisions = run.decisions;
  report.steps = run.steps;
  report.runs = runs;
  // The run the timeline and trace show: the shrunk one when there is one.
  DecisionList shown = run.decisions;
  if (config.shrink && !config.replay) {
    ShrinkResult shrunk = shrink(scenario, options, run.decisions, *run.failure,
                                 config.shrink_budget);
    FailureReport::Shrunk summary;
    summary.decisions = shrunk.decisions;
    summary.steps = shrunk.steps;
    summary.attempts = shrunk.attempts;
    summary.budget_ran_out = shrunk.budget_ran_out;
    report.shrunk = std::move(summary);
    shown = shrunk.decisions;
  }
  SingleRun traced = rerun(scenario, options, shown);
  report.timeline = traced.timeline;
  if (!config.output_dir.empty()) {
    const std::string stem = config.output_dir + "/" + config.artifact_name;
    if (write_file(stem + ".decisions", format_decision_file(run.decisions))) {
      report.decisions_path = stem + ".decisions";
    }
    if (report.shrunk &&
        write_file(stem + ".shrunk.decisions",
                   format_decision_file(report.shrunk->decisions))) {
      report.shrunk->replay_command = decisions_command(
          config, report.shrunk->decisions, stem + ".shrunk.decisions");
    }
    if (write_file(stem + ".trace.json", traced.trace_json)) {
      report.trace_path = stem + ".trace.json";
    }
  }
  if (report.shrunk && report.shrunk->replay_command.empty()) {
    report.shrunk->replay_command =
        decisions_command(config, report.shrunk->decisions, "");
  }
  report.replay_command = replay_command(config, report);
  return report;
}

// Runs one schedule (twice when checking determinism).
template <typename MakeSource>
SingleRun run_schedule(const Scenario& scenario, const SimOptions& options,
                       bool check_determinism, MakeSource make_source) {
  std::unique_ptr<DecisionSource> source = make_source();
  SingleRun first = run_once(scenario, options, *source);
  if (!check_determinism || first.failure) return first;
  std::unique_ptr<DecisionSource> again = make_source();
  SingleRun second = run_once(scenario, options, *again);
  if (second.trace_hash == first.trace_hash &&
      second.decisions == first.decisions) {
    return first;
  }
  // Find the first event where the two runs went different ways.
  ReplaySource replay_a(first.decisions);
  ReplaySource replay_b(first.decisions);
  Simulator a(replay_a, options);
  (void)a.run_made(scenario);
  Simulator b(replay_b, options);
  (void)b.run_made(scenario);
  const long at = first_divergence(a.trace(), b.trace());
  std::string where = "the traces differ";
  if (at >= 0) {
    const auto& ea = a.trace().events();
    const auto& eb = b.trace().events();
    const auto index = static_cast<std::size_t>(at);
    where = "first divergent event #" + std::to_string(at) + ": " +
            (index < ea.size() ? describe(ea[index]) : "<end of run>") +
            " vs " + (index < eb.size() ? describe(eb[index]) : "<end of run>");
  }
  first.failure = Failure{
      Checker::kNondeterminism,
      "the same decisions gave two different runs (something outside the "
      "decision stream, such as the wall clock, randomness, a thread or "
      "pointer order, reached the code under test); " +
          where,
      {},
      first.steps};
  return first;
}

}  // namespace

SweepOutcome run_sweep(const Scenario& scenario, const SimOptions& options,
                       const SweepConfig& config) {
  SweepOutcome outcome;
  auto finish = [&](SingleRun& run, std::optional<std::uint64_t> seed) {
    outcome.failure =
        make_report(scenario, options, config, run, seed, outcome.runs);
  };

  if (config.replay) {
    const DecisionList& list = *config.replay;
    SingleRun run =
        run_schedule(scenario, options, config.check_determinism,
                     [&] { return std::make_unique<ReplaySource>(list); });
    outcome.runs = 1;
    if (run.failure) finish(run, std::nullopt);
    return outcome;
  }

  switch (config.strategy.kind) {
    case StrategySpec::Kind::kFifo: {
      SingleRun run =
          run_schedule(scenario, options, config.check_determinism,
                       [] { return std::make_unique<FifoSource>(); });
      outcome.runs = 1;
      if (run.failure) finish(run, std::nullopt);
      return outcome;
    }
    case StrategySpec::Kind::kExhaustive: {
      ExhaustiveExplorer explorer(config.strategy.parameter,
                                  config.exhaustive_decisions_max);
      while (outcome.runs < config.exhaustive_runs_max) {
        const DecisionList prefix = explorer.next_prefix();
        SingleRun run = run_schedule(
            scenario, options, config.check_determinism,
            [&] { return std::make_unique<ReplaySource>(prefix); });
        ++outcome.runs;
        if (run.failure) {
          finish(run, std::nullopt);
          return outcome;
        }
        if (!explorer.advance(run.decisions)) {
          outcome.exhausted = true;
          return outcome;
        }
      }
      return outcome;
    }
    case StrategySpec::Kind::kRandom:
    case StrategySpec::Kind::kPct:
      break;
  }

  std::uint64_t pct_steps = 0;
  if (config.strategy.kind == StrategySpec::Kind::kPct) {
    FifoSource fifo;
    pct_steps = run_once(scenario, options, fifo).steps;
  }
  const StrategySpec strategy = config.strategy;
  auto source_for = [&](std::uint64_t seed) -> std::unique_ptr<DecisionSource> {
    if (strategy.kind == StrategySpec::Kind::kPct) {
      return std::make_unique<PctSource>(seed, strategy.parameter, pct_steps);
    }
    return std::make_unique<RandomWalkSource>(seed);
  };
  auto try_seed = [&](std::uint64_t seed) {
    SingleRun run = run_schedule(scenario, options, config.check_determinism,
                                 [&] { return source_for(seed); });
    ++outcome.runs;
    if (run.failure) finish(run, seed);
    return !run.failure;
  };
  if (config.only_seed) {
    try_seed(*config.only_seed);
    return outcome;
  }
  for (std::uint64_t i = 0; i < config.iterations; ++i) {
    if (i % config.shard_count != config.shard_index) continue;
    if (!try_seed(config.first_seed + i)) break;
  }
  return outcome;
}

}  // namespace weft::sim
