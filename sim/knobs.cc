#include "sim/knobs.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include "sim/decision_io.h"

namespace weft::sim {
namespace {

constexpr std::uint64_t kIterationsMax = 100'000'000;

const char* get(const char* name) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? value : nullptr;
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty()) return false;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), out, base);
  return error == std::errc() && end == text.data() + text.size();
}

std::string bad(const char* name, const char* value, const std::string& want) {
  return std::string(name) + "='" + value + "' is not valid: " + want;
}

}  // namespace

std::variant<SweepConfig, std::string> sweep_config_from_environment(
    SweepConfig config) {
  if (const char* value = get("WEFT_STRATEGY")) {
    auto parsed = parse_strategy(value);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      return "WEFT_STRATEGY=" + *error;
    }
    config.strategy = std::get<StrategySpec>(parsed);
  }
  if (const char* value = get("WEFT_SEED")) {
    std::uint64_t seed = 0;
    if (!parse_u64(value, seed)) {
      return bad("WEFT_SEED", value,
                 "a seed is a whole number, decimal (42) or hex (0x2a)");
    }
    config.only_seed = seed;
  }
  if (const char* value = get("WEFT_ITERATIONS")) {
    std::uint64_t iterations = 0;
    if (!parse_u64(value, iterations) || iterations == 0 ||
        iterations > kIterationsMax) {
      return bad("WEFT_ITERATIONS", value,
                 "a whole number from 1 to " + std::to_string(kIterationsMax));
    }
    config.iterations = iterations;
  }
  const char* replay_file = get("WEFT_REPLAY");
  const char* replay_inline = get("WEFT_DECISIONS");
  if (replay_file != nullptr && replay_inline != nullptr) {
    return "WEFT_REPLAY and WEFT_DECISIONS are both set; set one of them";
  }
  if (replay_file != nullptr) {
    auto parsed = read_decision_file(replay_file);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      return "WEFT_REPLAY: " + *error;
    }
    config.replay = std::get<DecisionList>(std::move(parsed));
    config.replay_origin = std::string("WEFT_REPLAY=") + replay_file;
  }
  if (replay_inline != nullptr) {
    auto parsed = parse_sparse_decisions(replay_inline, "WEFT_DECISIONS");
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    config.replay = std::get<DecisionList>(std::move(parsed));
    config.replay_origin = "WEFT_DECISIONS";
  }
  if (const char* value = get("WEFT_DETERMINISM")) {
    const std::string_view text = value;
    if (text != "0" && text != "1") {
      return bad("WEFT_DETERMINISM", value, "0 (off) or 1 (on)");
    }
    config.check_determinism = text == "1";
  }
  if (const char* value = get("WEFT_SHRINK")) {
    const std::string_view text = value;
    if (text != "0" && text != "1") {
      return bad("WEFT_SHRINK", value,
                 "0 (report as found) or 1 (shrink first)");
    }
    config.shrink = text == "1";
  }
  if (const char* value = get("WEFT_SHRINK_ATTEMPTS")) {
    std::uint64_t attempts = 0;
    if (!parse_u64(value, attempts) || attempts == 0 ||
        attempts > kIterationsMax) {
      return bad("WEFT_SHRINK_ATTEMPTS", value,
                 "a whole number from 1 to " + std::to_string(kIterationsMax));
    }
    config.shrink_budget.attempts_max = attempts;
  }
  if (const char* value = get("WEFT_TRACE_DIR")) {
    config.output_dir = value;
  } else if (const char* outputs = get("TEST_UNDECLARED_OUTPUTS_DIR")) {
    config.output_dir = outputs;
  }
  if (const char* target = get("TEST_TARGET")) config.replay_target = target;
  const char* total = get("TEST_TOTAL_SHARDS");
  const char* index = get("TEST_SHARD_INDEX");
  if (total != nullptr && index != nullptr) {
    std::uint64_t shard_count = 0;
    std::uint64_t shard_index = 0;
    if (!parse_u64(total, shard_count) || !parse_u64(index, shard_index) ||
        shard_count == 0 || shard_index >= shard_count) {
      return std::string("Bazel's TEST_TOTAL_SHARDS='") + total +
             "' and TEST_SHARD_INDEX='" + index + "' do not make a shard";
    }
    config.shard_count = static_cast<std::uint32_t>(shard_count);
    config.shard_index = static_cast<std::uint32_t>(shard_index);
    // Tell Bazel this test understands sharding.
    if (const char* status = get("TEST_SHARD_STATUS_FILE")) {
      std::ofstream touch(status, std::ios::app);
    }
  }
  return config;
}

}  // namespace weft::sim
