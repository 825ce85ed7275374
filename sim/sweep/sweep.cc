#include "sim/sweep/sweep.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "sim/core/options_check.h"
#include "sim/core/simulator.h"
#include "sim/decision/replay_source.h"
#include "sim/report/event_text.h"
#include "sim/report/explain.h"
#include "sim/report/fatal_handlers.h"
#include "sim/report/fatal_report.h"
#include "sim/search/exhaustive.h"
#include "sim/search/strategies.h"
#include "sim/search/strategy.h"
#include "sim/sweep/crash_shrink.h"
#include "sim/sweep/parallel_runs.h"
#include "sim/sweep/sweep_report.h"
#include "sim/sweep/sweep_stats.h"

namespace weft::sim {
namespace {

// On a terminal, a sweep that runs for more than a moment shows how far
// it got. Wall time is read here for the display only; it never reaches a
// run.
class Progress {
 public:
  explicit Progress(const std::string& name)
      : name_(name),
        shown_(::isatty(STDERR_FILENO) == 1),
        start_(std::chrono::steady_clock::now()) {}
  ~Progress() {
    if (printed_) std::fprintf(stderr, "\r%78s\r", "");
  }
  void after_run(std::uint64_t runs) {
    if (!shown_ || runs % 32 != 0) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
    if (seconds < 2.0) return;
    std::fprintf(stderr, "\rweft: %s: %llu runs, nothing found yet, %.1f s ",
                 name_.c_str(), static_cast<unsigned long long>(runs), seconds);
    printed_ = true;
  }

 private:
  std::string name_;
  bool shown_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
};

// Runs one schedule (twice when checking determinism).
template <typename MakeSource>
RunResult run_schedule(const Scenario& scenario, const SimOptions& options,
                       bool check_determinism, FatalReporter* reporter,
                       MakeSource make_source) {
  std::unique_ptr<DecisionSource> source = make_source();
  RunResult first = run_once(scenario, options, *source, reporter);
  if (!check_determinism || first.failure) return first;
  std::unique_ptr<DecisionSource> again = make_source();
  RunResult second = run_once(scenario, options, *again, reporter);
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
  Failure failure;
  failure.checker = Checker::kNondeterminism;
  failure.message =
      "the same decisions gave two different runs (something outside the "
      "decision stream, such as the wall clock, randomness, a thread or "
      "pointer order, reached the code under test); " +
      where;
  failure.step = first.steps;
  first.failure = std::move(failure);
  first.trace = std::make_shared<Trace>(a.trace());
  first.timeline = explain(*first.trace, first.decisions, *first.failure,
                           options.timeline_events)
                       .timeline;
  return first;
}

// A passing sweep whose estimate of new behaviour per run is at least
// this says more runs would explore more.
constexpr double kSaturationHint = 0.01;
// Outside WEFT_ITERATIONS=auto, one run in this many records coverage for
// the estimate.
constexpr std::uint64_t kEstimateStride = 4;

std::string seeds_text(const SweepStats& stats) {
  if (!stats.first_seed) return "";
  if (*stats.first_seed == *stats.last_seed) {
    return ", seed " + std::to_string(*stats.first_seed);
  }
  return ", seeds " + std::to_string(*stats.first_seed) + "-" +
         std::to_string(*stats.last_seed);
}

std::string summary_of(const SweepConfig& config, const SweepOutcome& outcome,
                       const std::string& strategy_name,
                       std::uint32_t jobs = 1) {
  const SweepStats& stats = outcome.stats;
  std::string strategy =
      config.replay ? "replay (" + config.replay->origin + ")" : strategy_name;
  std::string line =
      "weft: " +
      (config.test_name.empty() ? std::string("sweep") : config.test_name) +
      ": " + (outcome.failure ? "FAILED" : "clean") + "; " + strategy +
      seeds_text(stats);
  if (config.shard_count > 1) {
    line += " (shard " + std::to_string(config.shard_index + 1) + " of " +
            std::to_string(config.shard_count) + ")";
  }
  line += ", " + std::to_string(stats.runs) + " runs, " +
          std::to_string(stats.steps) + " steps, " +
          std::to_string(stats.perturbations) + " perturbations (" +
          std::to_string(stats.cancellations) + " cancellations), " +
          std::to_string(stats.distinct_schedules) + " distinct schedules";
  if (stats.thread_switches > 0) {
    line += ", " + std::to_string(stats.thread_switches) +
            " simulated thread switches";
  }
  if (stats.net_messages > 0) {
    line += ", " + std::to_string(stats.net_messages) +
            " simulated network messages";
  }
  if (jobs > 1) line += "; ran on " + std::to_string(jobs) + " worker threads";
  // WEFT_JOBS is a machine setting, accepted with every strategy: when it
  // could not be used, the line says so instead of ignoring it.
  if (jobs == 1 && config.jobs > 1) {
    line += "; WEFT_JOBS=" + std::to_string(config.jobs) +
            " unused: this sweep runs one schedule at a time (" +
            (config.replay || config.only_seed ||
                     config.strategy.kind == StrategySpec::Kind::kFifo
                 ? std::string("a single run")
                 : "each of " + strategy_name +
                       "'s runs is planned from the ones before") +
            ")";
  }
  // What the runs amount to, in plain words: one run proves nothing
  // beyond itself.
  if (config.replay) {
    line += "; one replay of the given decisions";
  } else if (config.strategy.kind == StrategySpec::Kind::kFifo) {
    line +=
        "; one run of the unperturbed (FIFO) schedule, no other "
        "schedule tried";
  } else if (outcome.exhausted) {
    line +=
        "; every schedule within the strategy's bound was run (its "
        "space is exhausted)";
  }
  if (outcome.capped) {
    line += "; stopped at the cap of " +
            std::to_string(config.exhaustive_runs_max) + " runs" +
            (config.accept_partial_search ? " (partial search accepted)" : "");
  }
  return line;
}

// How close to saturation a passing seeded sweep came, in words.
std::string saturation_text(const SweepConfig& config,
                            const SweepOutcome& outcome) {
  const SweepStats& stats = outcome.stats;
  const std::optional<double> chance = stats.new_behaviour_chance();
  if (!chance) return "no schedule coverage recorded";
  char percent[48];
  if (*chance >= 0.995) {
    std::snprintf(percent, sizeof percent, "nearly every run");
  } else {
    std::snprintf(percent, sizeof percent, "about %.1f%% of runs",
                  *chance * 100.0);
  }
  std::string line = "new behaviour in " + std::string(percent) +
                     " still (Good-Turing, over " +
                     std::to_string(stats.coverage_runs) + " of the " +
                     std::to_string(stats.runs) +
                     " runs: " + std::to_string(stats.singleton_features) +
                     " of " + std::to_string(stats.features) +
                     " schedule features seen in one run only)";
  if (outcome.saturated) {
    return line +
           "; WEFT_ITERATIONS=auto stopped there, below its "
           "threshold (WEFT_AUTO_THRESHOLD)";
  }
  if (config.iterations_auto) {
    line += "; WEFT_ITERATIONS=auto stopped at its cap of " +
            std::to_string(config.iterations) + " runs, above its threshold";
  }
  if (*chance >= kSaturationHint) {
    const std::uint64_t more = std::max<std::uint64_t>(stats.runs * 10, 2000);
    line += "; more runs would explore more: WEFT_ITERATIONS=" +
            std::to_string(more) + " (or auto)";
  }
  return line;
}

FatalReporter::Setup fatal_setup(const SweepConfig& config,
                                 const Strategy& strategy) {
  FatalReporter::Setup setup;
  setup.test_name = config.test_name;
  setup.strategy = strategy.name();
  setup.replay = replay_command_of(config);
  if (!config.output_dir.empty()) {
    setup.output_stem = config.output_dir + "/" + config.artifact_name;
    setup.file_display = artifact_display_path(
        config, config.artifact_name + ".crash.decisions");
  }
  setup.shrink_in_new_process =
      config.restart_on_crash && config.shrink && !config.replay;
  setup.sweep_ordinal = config.sweep_ordinal;
  return setup;
}

std::unique_ptr<Strategy> strategy_for(const Scenario& scenario,
                                       const SimOptions& options,
                                       const SweepConfig& config) {
  if (config.replay) {
    // A replay runs on shard 0 only, as fifo and exhaustive do.
    if (config.shard_index != 0) return make_replay_strategy(SparseDecisions{});
    if (config.replay->positional) {
      return make_replay_strategy(*config.replay->positional);
    }
    return make_replay_strategy(*config.replay->sparse);
  }
  if (config.make_strategy) return config.make_strategy();
  StrategyContext context;
  context.first_seed = config.first_seed;
  context.iterations = config.iterations;
  context.only_seed = config.only_seed;
  context.shard_index = config.shard_index;
  context.shard_count = config.shard_count;
  context.exhaustive_decisions_max = config.exhaustive_decisions_max;
  context.exhaustive_runs_max = config.exhaustive_runs_max;
  context.unperturbed_length = [&scenario, &options] {
    FifoSource fifo;
    const RunResult run = run_once(scenario, options, fifo);
    RunLength length;
    length.steps = run.steps;
    for (const Decision& decision : run.decisions) {
      if (decision.kind == DecisionKind::kThreadSwitch) ++length.switch_points;
    }
    return length;
  };
  context.unperturbed_run = [&scenario, &options] {
    SimOptions recording = options;
    recording.record_cancel_points = true;
    FifoSource fifo;
    return run_once(scenario, recording, fifo);
  };
  return make_strategy(config.strategy, context);
}

// Threads for this sweep: only a strategy whose plans are independent
// runs on more than one, and never more threads than it has runs.
std::uint32_t jobs_for(const SweepConfig& config, const Strategy& strategy) {
  if (!strategy.plans_independent() || config.only_seed || config.replay) {
    return 1;
  }
  std::uint64_t jobs = config.jobs == 0 ? default_jobs() : config.jobs;
  const std::uint64_t runs = config.iterations / config.shard_count;
  if (jobs > runs) jobs = runs;
  return static_cast<std::uint32_t>(jobs < 1 ? 1 : jobs);
}

FailureReport search_incomplete(const SweepConfig& config,
                                const Strategy& strategy, std::uint64_t runs) {
  FailureReport report;
  report.failure.checker = Checker::kSearchIncomplete;
  report.failure.message =
      strategy.name() + " stopped at its cap of " +
      std::to_string(config.exhaustive_runs_max) +
      " runs before covering its whole space, so it proves nothing; lower "
      "k, raise exhaustive_runs_max, or accept a partial search "
      "(SweepConfig::accept_partial_search, check_exhaustive_partial)";
  report.strategy = strategy.name();
  report.runs = runs;
  report.replay_command =
      replay_command_of(config).with({{"WEFT_STRATEGY", strategy.name()}});
  return report;
}

}  // namespace

SweepOutcome run_sweep(const Scenario& scenario,
                       const SimOptions& given_options,
                       const SweepConfig& config) {
  install_fatal_handlers();
  // The knobs that override limits (WEFT_THREADS_MAX, WEFT_ATOMIC_HISTORY).
  SimOptions options = given_options;
  if (config.threads_max) options.limits.threads_max = *config.threads_max;
  if (config.atomic_history) {
    options.limits.atomic_history = *config.atomic_history;
  }
  if (config.crash_resume &&
      config.crash_resume->sweep_ordinal == config.sweep_ordinal) {
    SweepOutcome outcome = shrink_crash(scenario, options, config);
    outcome.stats.runs = outcome.runs;
    outcome.summary = summary_of(
        config, outcome, "crash shrink (" + config.strategy.to_string() + ")");
    return outcome;
  }
  if (std::optional<std::string> problem = options_problem(options)) {
    // Nothing can run with these options: say which field, before a run.
    SweepOutcome refused;
    FailureReport report;
    report.failure.checker = Checker::kProtocolMisuse;
    report.failure.message = "misuse: " + *problem;
    report.strategy = config.strategy.to_string();
    report.replay_command = replay_command_of(config).with({});
    refused.failure = std::move(report);
    refused.summary =
        "weft: " +
        (config.test_name.empty() ? std::string("sweep") : config.test_name) +
        ": FAILED before its first run: " + *problem;
    return refused;
  }
  std::unique_ptr<Strategy> strategy = strategy_for(scenario, options, config);
  const FatalReporter::Setup reporter_setup = fatal_setup(config, *strategy);
  SweepOutcome outcome;
  StatsKeeper stats;
  stats.require_marks(options.required_marks);
  Progress progress(config.test_name.empty() ? "sweep" : config.test_name);
  // The options of each kind of run, made once: [cancel points][coverage].
  SimOptions recording[2][2] = {{options, options}, {options, options}};
  for (int points = 0; points < 2; ++points) {
    for (int coverage = 0; coverage < 2; ++coverage) {
      recording[points][coverage].record_cancel_points = points == 1;
      recording[points][coverage].record_coverage = coverage == 1;
    }
  }
  // Seeded sweeps record schedule coverage in a sample of their runs (the
  // seeds that are 1 modulo kEstimateStride; every run under
  // WEFT_ITERATIONS=auto), so the summary can say how close to saturation
  // they came. Recording costs about a quarter of a small run; the seeds
  // are independent, so any fixed subset estimates the same chance.
  const bool estimate =
      strategy->replayable_by_seed() && !config.only_seed && !config.replay;
  const std::uint64_t stride = config.iterations_auto ? 1 : kEstimateStride;
  auto execute = [&](const RunPlan& plan, FatalReporter* reporter,
                     std::uint64_t run_number) {
    reporter->begin_run(plan.seed, run_number);
    const bool sampled =
        estimate && plan.seed && *plan.seed % stride == 1 % stride;
    return run_schedule(scenario,
                        recording[plan.record_cancel_points ? 1 : 0]
                                 [plan.record_coverage || sampled ? 1 : 0],
                        config.check_determinism, reporter, plan.make_source);
  };
  // Runs are committed in plan order, whether one thread ran them or many.
  std::optional<RunPlan> failed_plan;
  std::optional<RunResult> failed_run;
  auto commit = [&](RunPlan& plan, RunResult& run) {
    ++outcome.runs;
    stats.add(run, plan.seed);
    progress.after_run(outcome.runs);
    if (run.failure) {
      failed_plan = std::move(plan);
      failed_run = std::move(run);
      return false;
    }
    strategy->run_finished(run);
    if (config.iterations_auto && outcome.runs >= kAutoRunsMin) {
      const std::optional<double> chance = stats.stats().new_behaviour_chance();
      if (chance && *chance < config.auto_threshold) {
        outcome.saturated = true;
        return false;
      }
    }
    return true;
  };
  const std::uint32_t jobs = jobs_for(config, *strategy);
  if (jobs > 1) {
    ParallelRunsSetup setup;
    setup.jobs = jobs;
    setup.make_reporter = [&reporter_setup] {
      return std::make_unique<FatalReporter>(reporter_setup);
    };
    setup.worker_setup = config.worker_setup;
    setup.execute = execute;
    setup.commit = commit;
    run_plans_in_parallel(*strategy, setup);
  } else {
    FatalReporter reporter(reporter_setup);
    while (std::optional<RunPlan> plan = strategy->next_run()) {
      RunResult run = execute(*plan, &reporter, outcome.runs + 1);
      if (!commit(*plan, run)) break;
    }
  }
  if (failed_run) {
    const std::optional<std::uint64_t> seed =
        strategy->replayable_by_seed() ? failed_plan->seed : std::nullopt;
    outcome.failure = make_report(scenario, options, config, *failed_run, seed,
                                  outcome.runs, strategy->name());
    if (!failed_plan->note.empty()) {
      outcome.failure->notes += "the run was " + failed_plan->note + "\n";
    }
  }
  outcome.exhausted = !outcome.failure && strategy->exhausted();
  outcome.capped = !outcome.failure && strategy->capped();
  if (outcome.capped && !config.accept_partial_search) {
    outcome.failure = search_incomplete(config, *strategy, outcome.runs);
  }
  // A shard sees only its share of the seeds, so a rare mark may miss in
  // one shard and hold in another: only a whole sweep judges marks.
  const bool judges_marks = config.shard_count == 1;
  if (!outcome.failure && judges_marks) {
    if (std::optional<Failure> unreached = stats.unreached_marks()) {
      FailureReport report;
      report.failure = std::move(*unreached);
      report.strategy = strategy->name();
      report.runs = outcome.runs;
      report.replay_command = replay_command_of(config).with({});
      outcome.failure = std::move(report);
    }
  }
  outcome.stats = stats.stats();
  outcome.summary = summary_of(config, outcome, strategy->name(), jobs);
  const std::string covered = strategy->summary();
  if (!covered.empty()) outcome.summary += "; " + covered;
  if (estimate && !outcome.failure) {
    outcome.summary += "; " + saturation_text(config, outcome);
  }
  const std::string marks = stats.marks_text();
  if (!marks.empty()) {
    outcome.summary += "; " + marks;
    if (!judges_marks) outcome.summary += " (this shard's runs only)";
  }
  return outcome;
}

}  // namespace weft::sim
