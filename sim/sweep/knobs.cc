#include "sim/sweep/knobs.h"

#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "sim/decision/decision_io.h"

extern char** environ;

namespace weft::sim {
namespace {

bool parse_u64(std::string_view text, std::uint64_t& out) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty() || text.size() > 20) return false;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), out, base);
  return error == std::errc() && end == text.data() + text.size();
}

std::string shown(const char* value) {
  std::string text = value;
  if (text.size() > 60) text = text.substr(0, 60) + "...";
  return text;
}

std::string bad(const char* name, const char* value, const std::string& want) {
  return std::string(name) + "='" + shown(value) + "' is not valid: " + want;
}

bool is_seeded(const StrategySpec& strategy) {
  // (cancel-sweep, like fifo and exhaustive, runs a fixed set: no seeds;
  // coverage runs are replayed from their decisions, not a seed.)
  return strategy.kind == StrategySpec::Kind::kRandom ||
         strategy.kind == StrategySpec::Kind::kPct ||
         strategy.kind == StrategySpec::Kind::kPortfolio;
}

// Strategies whose number of runs WEFT_ITERATIONS sets.
bool takes_iterations(const StrategySpec& strategy) {
  return is_seeded(strategy) || strategy.kind == StrategySpec::Kind::kCoverage;
}

std::string display_dir_for_bazel(const std::string& outputs_dir) {
  // Bazel runs the test in a sandbox and moves this folder afterwards to
  // bazel-testlogs/<package>/<target>/test.outputs, zipped into
  // outputs.zip there.
  const std::string marker = "/testlogs/";
  const std::size_t at = outputs_dir.rfind(marker);
  if (at == std::string::npos) return outputs_dir;
  return "bazel-testlogs/" + outputs_dir.substr(at + marker.size());
}

// WEFT_CRASH_RESUME=<sweep>|<cause>|<file>|<strategy>|<seed or ->|<run>
std::variant<CrashResume, std::string> parse_resume(const char* value) {
  std::vector<std::string> parts;
  std::string_view rest = value;
  while (parts.size() < 6) {
    const std::size_t bar = rest.find('|');
    parts.emplace_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  const std::string error =
      "WEFT_CRASH_RESUME is set by weft when it restarts a test to shrink a "
      "crash; this value is damaged: '" +
      shown(value) + "'";
  if (parts.size() != 6) return error;
  CrashResume resume;
  std::uint64_t number = 0;
  if (!parse_u64(parts[0], number) || number > 1'000'000) return error;
  resume.sweep_ordinal = static_cast<std::uint32_t>(number);
  resume.cause = parts[1];
  resume.strategy = parts[3];
  if (parts[4] != "-") {
    if (!parse_u64(parts[4], number)) return error;
    resume.seed = number;
  }
  if (!parse_u64(parts[5], resume.run_number)) return error;
  FileContents file = read_bounded_file(parts[2], kSparseTextBytesMax);
  if (!file.error.empty()) return "WEFT_CRASH_RESUME: " + file.error;
  auto parsed = parse_sparse_decisions(file.bytes, parts[2]);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return "WEFT_CRASH_RESUME: " + *problem;
  }
  resume.decisions = std::get<SparseDecisions>(std::move(parsed));
  return resume;
}

}  // namespace

std::string default_report_folder() {
  const char* temporary = std::getenv("TMPDIR");
  if (temporary == nullptr || *temporary == '\0') temporary = "/tmp";
  return std::string(temporary) + "/weft-reports";
}

const std::vector<std::string>& known_weft_variables() {
  static const std::vector<std::string> names = {
      "WEFT_STRATEGY",      "WEFT_SEED",
      "WEFT_ITERATIONS",    "WEFT_DECISIONS",
      "WEFT_REPLAY",        "WEFT_DETERMINISM",
      "WEFT_SHRINK",        "WEFT_SHRINK_ATTEMPTS",
      "WEFT_TRACE_DIR",     "WEFT_CRASH_RESUME",
      "WEFT_JOBS",          "WEFT_THREADS_MAX",
      "WEFT_ATOMIC_HISTORY"};
  return names;
}

std::variant<SweepConfig, std::string> sweep_config_from(
    SweepConfig config, const EnvironmentLookup& lookup,
    const std::vector<std::string>& weft_variables_set) {
  for (const std::string& name : weft_variables_set) {
    // weft_seed, Weft_Seed: meant for weft, but names are case-sensitive
    // and weft reads upper case only; say so rather than ignore it.
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    if (upper != name) {
      return name + " is set, but weft reads only upper-case names (" + upper +
             "); a knob spelt otherwise would be ignored";
    }
    bool known = false;
    for (const std::string& candidate : known_weft_variables()) {
      known |= candidate == name;
    }
    if (!known) {
      std::string list;
      for (const std::string& candidate : known_weft_variables()) {
        list += (list.empty() ? "" : ", ") + candidate;
      }
      return "unknown variable " + name + " (weft reads " + list +
             "); a misspelt knob would otherwise be ignored";
    }
  }
  // A set but empty variable is an error, never "unset".
  std::string empty_error;
  auto get = [&](const char* name) -> const char* {
    const char* value = lookup(name);
    if (value != nullptr && *value == '\0' && empty_error.empty()) {
      empty_error =
          std::string(name) + " is set but empty; unset it or give it a value";
    }
    return (value != nullptr && *value != '\0') ? value : nullptr;
  };
  const char* strategy = get("WEFT_STRATEGY");
  const char* seed = get("WEFT_SEED");
  const char* iterations = get("WEFT_ITERATIONS");
  const char* replay_file = get("WEFT_REPLAY");
  const char* replay_inline = get("WEFT_DECISIONS");
  const char* determinism = get("WEFT_DETERMINISM");
  const char* shrink = get("WEFT_SHRINK");
  const char* shrink_attempts = get("WEFT_SHRINK_ATTEMPTS");
  const char* trace_dir = get("WEFT_TRACE_DIR");
  const char* resume = get("WEFT_CRASH_RESUME");
  const char* jobs = get("WEFT_JOBS");
  const char* threads_max = get("WEFT_THREADS_MAX");
  const char* atomic_history = get("WEFT_ATOMIC_HISTORY");
  const char* auto_threshold = get("WEFT_AUTO_THRESHOLD");
  if (!empty_error.empty()) return empty_error;

  if (strategy != nullptr) {
    auto parsed = parse_strategy(strategy);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      return "WEFT_STRATEGY=" + *error;
    }
    config.strategy = std::get<StrategySpec>(parsed);
  }
  const bool replaying = replay_file != nullptr || replay_inline != nullptr;
  if (replay_file != nullptr && replay_inline != nullptr) {
    return "WEFT_REPLAY and WEFT_DECISIONS are both set; set one of them";
  }
  if (replaying) {
    const char* replay_name =
        replay_file != nullptr ? "WEFT_REPLAY" : "WEFT_DECISIONS";
    for (const auto& [name, value] :
         {std::pair{"WEFT_STRATEGY", strategy}, std::pair{"WEFT_SEED", seed},
          std::pair{"WEFT_ITERATIONS", iterations},
          std::pair{"WEFT_SHRINK", shrink},
          std::pair{"WEFT_SHRINK_ATTEMPTS", shrink_attempts}}) {
      if (value != nullptr) {
        return std::string(name) + "='" + shown(value) +
               "' has no effect with " + replay_name +
               " (a replay runs exactly the given list, once); unset one of "
               "them";
      }
    }
  }
  if (seed != nullptr) {
    std::uint64_t value = 0;
    if (!parse_u64(seed, value)) {
      return bad("WEFT_SEED", seed,
                 "a seed is a whole number, decimal (42) or hex (0x2a)");
    }
    if (!is_seeded(config.strategy)) {
      return "WEFT_SEED=" + shown(seed) + " has no effect with the strategy " +
             config.strategy.to_string() +
             " (only random, pct and portfolio take a seed); unset WEFT_SEED "
             "or set "
             "WEFT_STRATEGY=random";
    }
    config.only_seed = value;
  }
  if (iterations != nullptr) {
    std::uint64_t value = 0;
    const std::string_view text = iterations;
    bool automatic = false;
    if (text == "auto") {
      automatic = true;
      value = kAutoRunsDefaultCap;
    } else if (text.starts_with("auto:")) {
      automatic = true;
      if (!parse_u64(iterations + 5, value) || value < kAutoRunsMin ||
          value > kIterationsMax) {
        return bad("WEFT_ITERATIONS", iterations,
                   "auto:<cap>, a cap from " + std::to_string(kAutoRunsMin) +
                       " to " + std::to_string(kIterationsMax));
      }
    } else if (!parse_u64(iterations, value) || value == 0 ||
               value > kIterationsMax) {
      return bad("WEFT_ITERATIONS", iterations,
                 "a whole number from 1 to " + std::to_string(kIterationsMax) +
                     ", auto (until new behaviour is rarer than "
                     "WEFT_AUTO_THRESHOLD, at most " +
                     std::to_string(kAutoRunsDefaultCap) +
                     " runs) or auto:<cap>");
    }
    if (automatic && !is_seeded(config.strategy)) {
      return "WEFT_ITERATIONS=" + shown(iterations) +
             " needs a random, pct or portfolio strategy (their runs estimate "
             "how much "
             "new behaviour is left); the strategy is " +
             config.strategy.to_string();
    }
    config.iterations_auto = automatic;
    if (seed != nullptr) {
      return "WEFT_ITERATIONS=" + shown(iterations) +
             " has no effect with WEFT_SEED (one seed runs once); unset one "
             "of them";
    }
    if (!takes_iterations(config.strategy)) {
      return "WEFT_ITERATIONS=" + shown(iterations) +
             " has no effect with the strategy " + config.strategy.to_string() +
             " (fifo runs once; exhaustive and cancel-sweep run until their "
             "space is covered)";
    }
    config.iterations = value;
  }
  if (replay_file != nullptr) {
    auto parsed = read_decision_file(replay_file);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      return "WEFT_REPLAY: " + *error;
    }
    ReplayRequest request;
    request.positional = std::get<DecisionList>(std::move(parsed));
    request.origin = std::string("WEFT_REPLAY=") + replay_file;
    config.replay = std::move(request);
  }
  if (replay_inline != nullptr) {
    auto parsed = parse_sparse_decisions(replay_inline, "WEFT_DECISIONS");
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    ReplayRequest request;
    request.sparse = std::get<SparseDecisions>(std::move(parsed));
    request.origin = "WEFT_DECISIONS";
    config.replay = std::move(request);
  }
  if (determinism != nullptr) {
    const std::string_view text = determinism;
    if (text != "0" && text != "1") {
      return bad("WEFT_DETERMINISM", determinism, "0 (off) or 1 (on)");
    }
    config.check_determinism = text == "1";
  }
  if (shrink != nullptr) {
    const std::string_view text = shrink;
    if (text != "0" && text != "1") {
      return bad("WEFT_SHRINK", shrink,
                 "0 (report as found) or 1 (shrink first)");
    }
    config.shrink = text == "1";
  }
  if (shrink_attempts != nullptr) {
    std::uint64_t attempts = 0;
    if (!parse_u64(shrink_attempts, attempts) || attempts == 0 ||
        attempts > kIterationsMax) {
      return bad("WEFT_SHRINK_ATTEMPTS", shrink_attempts,
                 "a whole number from 1 to " + std::to_string(kIterationsMax));
    }
    if (!config.shrink) {
      return "WEFT_SHRINK_ATTEMPTS has no effect with WEFT_SHRINK=0; unset "
             "one of them";
    }
    config.shrink_budget.attempts_max = attempts;
  }
  if (jobs != nullptr) {
    // Accepted with every strategy (it is a machine setting, often set for
    // all tests at once); the summary line says how many threads ran.
    std::uint64_t value = 0;
    if (!parse_u64(jobs, value) || value > kJobsMax) {
      return bad("WEFT_JOBS", jobs,
                 "a whole number from 1 to " + std::to_string(kJobsMax) +
                     ", or 0 for one thread per core");
    }
    config.jobs = static_cast<std::uint32_t>(value);
  }
  if (threads_max != nullptr) {
    std::uint64_t value = 0;
    if (!parse_u64(threads_max, value) || value == 0 ||
        value > kThreadsMaxKnob) {
      return bad("WEFT_THREADS_MAX", threads_max,
                 "a whole number from 1 to " + std::to_string(kThreadsMaxKnob) +
                     " (simulated threads in one run; default 64)");
    }
    config.threads_max = static_cast<std::uint32_t>(value);
  }
  if (auto_threshold != nullptr) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(auto_threshold, &end);
    if (errno != 0 || end == auto_threshold || *end != '\0' ||
        !(value > 0.0 && value < 1.0)) {
      return bad("WEFT_AUTO_THRESHOLD", auto_threshold,
                 "a number above 0 and below 1 (the chance of new behaviour "
                 "per run below which WEFT_ITERATIONS=auto stops; default "
                 "0.001)");
    }
    if (!config.iterations_auto) {
      return "WEFT_AUTO_THRESHOLD=" + shown(auto_threshold) +
             " has no effect without WEFT_ITERATIONS=auto; set both or "
             "neither";
    }
    config.auto_threshold = value;
  }
  if (atomic_history != nullptr) {
    std::uint64_t value = 0;
    if (!parse_u64(atomic_history, value) || value == 0 ||
        value > kAtomicHistoryMax) {
      return bad("WEFT_ATOMIC_HISTORY", atomic_history,
                 "a whole number from 1 to " +
                     std::to_string(kAtomicHistoryMax) +
                     " (stores of one atomic a load may still read; 1 turns "
                     "older stores off; default " +
                     std::to_string(Limits{}.atomic_history) + ")");
    }
    config.atomic_history = static_cast<std::uint32_t>(value);
  }
  if (trace_dir != nullptr) {
    struct stat info {};
    if (::stat(trace_dir, &info) != 0 || !S_ISDIR(info.st_mode)) {
      return bad("WEFT_TRACE_DIR", trace_dir,
                 "it must name an existing folder (this is " +
                     std::string(errno == ENOENT ? "missing" : "not a folder") +
                     ")");
    }
    if (::access(trace_dir, W_OK | X_OK) != 0) {
      return bad("WEFT_TRACE_DIR", trace_dir,
                 "this test cannot write to that folder (" +
                     std::string(std::strerror(errno)) + ")");
    }
    config.output_dir = trace_dir;
    config.output_display_dir.clear();
  } else if (const char* outputs = get("TEST_UNDECLARED_OUTPUTS_DIR")) {
    config.output_dir = outputs;
    config.output_display_dir = display_dir_for_bazel(outputs);
  } else if (config.output_dir.empty()) {
    // Outside Bazel, a failure's files go to one folder weft keeps
    // bounded, named in every report, so they are never lost in a sandbox.
    const std::string folder = default_report_folder();
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (!error && ::access(folder.c_str(), W_OK | X_OK) == 0) {
      config.output_dir = folder;
      config.output_display_dir.clear();
      config.output_dir_is_default = true;
    }
  }
  if (const char* target = get("TEST_TARGET")) {
    config.replay_command = ReplayCommand::for_bazel(target, config.test_name);
  }
  const char* total = get("TEST_TOTAL_SHARDS");
  const char* index = get("TEST_SHARD_INDEX");
  if ((total == nullptr) != (index == nullptr)) {
    return "Bazel's TEST_TOTAL_SHARDS and TEST_SHARD_INDEX must be set "
           "together (found only one of them)";
  }
  if (total != nullptr) {
    std::uint64_t shard_count = 0;
    std::uint64_t shard_index = 0;
    if (!parse_u64(total, shard_count) || !parse_u64(index, shard_index) ||
        shard_count == 0 || shard_count > kShardsMax ||
        shard_index >= shard_count) {
      return std::string("Bazel's TEST_TOTAL_SHARDS='") + shown(total) +
             "' and TEST_SHARD_INDEX='" + shown(index) +
             "' do not make a shard (a count from 1 to " +
             std::to_string(kShardsMax) + " and an index below it)";
    }
    if (takes_iterations(config.strategy) && !config.replay &&
        !config.only_seed && config.iterations < shard_count) {
      return "the sweep has " + std::to_string(config.iterations) +
             " runs but the test has " + std::to_string(shard_count) +
             " shards, so some shards would run no schedule; raise "
             "WEFT_ITERATIONS or lower shard_count";
    }
    config.shard_count = static_cast<std::uint32_t>(shard_count);
    config.shard_index = static_cast<std::uint32_t>(shard_index);
    // Tell Bazel this test understands sharding.
    if (const char* status = get("TEST_SHARD_STATUS_FILE")) {
      std::ofstream touch(status, std::ios::app);
    }
  }
  if (resume != nullptr) {
    auto parsed = parse_resume(resume);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    config.crash_resume = std::get<CrashResume>(std::move(parsed));
    config.restart_on_crash = false;  // a restarted test never restarts
  }
  return config;
}

std::variant<SweepConfig, std::string> sweep_config_from_environment(
    SweepConfig defaults) {
  std::vector<std::string> set;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const char* equals = std::strchr(*variable, '=');
    if (equals == nullptr) continue;
    const std::string name(*variable,
                           static_cast<std::size_t>(equals - *variable));
    // Also weft_seed and Weft_Seed: refused below, not ignored.
    if (::strncasecmp(name.c_str(), "WEFT_", 5) == 0) set.push_back(name);
  }
  return sweep_config_from(
      std::move(defaults), [](const char* name) { return std::getenv(name); },
      set);
}

}  // namespace weft::sim
