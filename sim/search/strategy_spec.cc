#include "sim/search/strategy_spec.h"

#include <charconv>

namespace weft::sim {
namespace {

std::string rejection(std::string_view text, std::string_view why) {
  return "'" + std::string(text) + "' is not a strategy (" + std::string(why) +
         "); accepted: " + std::string(StrategySpec::kAcceptedForms);
}

}  // namespace

StrategySpec portfolio_part(std::uint64_t seed) noexcept {
  // splitmix64: neighbouring seeds land on unrelated parts.
  std::uint64_t h = seed + 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  switch (h % 3) {
    case 0:
      return StrategySpec{StrategySpec::Kind::kRandom, 0};
    case 1:
      return StrategySpec{StrategySpec::Kind::kPct, 3};
    default:
      return StrategySpec{StrategySpec::Kind::kPct,
                          static_cast<std::uint32_t>(4 + (h >> 8) % 5)};
  }
}

std::string StrategySpec::to_string() const {
  switch (kind) {
    case Kind::kFifo:
      return "fifo";
    case Kind::kRandom:
      return "random";
    case Kind::kPct:
      return "pct:" + std::to_string(parameter);
    case Kind::kExhaustive:
      return "exhaustive:" + std::to_string(parameter);
    case Kind::kCancelSweep:
      return "cancel-sweep:" + std::to_string(parameter);
    case Kind::kCoverage:
      return "coverage";
    case Kind::kPortfolio:
      return "portfolio";
  }
  return "invalid";
}

std::variant<StrategySpec, std::string> parse_strategy(std::string_view text) {
  if (text == "fifo") return StrategySpec{StrategySpec::Kind::kFifo, 0};
  if (text == "random") return StrategySpec{StrategySpec::Kind::kRandom, 0};
  if (text == "coverage") return StrategySpec{StrategySpec::Kind::kCoverage, 0};
  if (text == "portfolio") {
    return StrategySpec{StrategySpec::Kind::kPortfolio, 0};
  }
  if (text == "cancel-sweep") {
    return StrategySpec{StrategySpec::Kind::kCancelSweep, 1};
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return rejection(text, "unknown name");
  const std::string_view name = text.substr(0, colon);
  const std::string_view number = text.substr(colon + 1);
  std::uint32_t value = 0;
  const auto [end, error] =
      std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size() ||
      number.empty()) {
    return rejection(text, "the part after ':' must be a whole number");
  }
  if (name == "pct") {
    if (value < 1 || value > StrategySpec::kPctDepthMax) {
      return rejection(text, "the PCT depth must be 1 to 16");
    }
    return StrategySpec{StrategySpec::Kind::kPct, value};
  }
  if (name == "cancel-sweep") {
    if (value < 1 || value > 2) {
      return rejection(text,
                       "the cancellation sweep takes 1 or 2 cancellations");
    }
    return StrategySpec{StrategySpec::Kind::kCancelSweep, value};
  }
  if (name == "exhaustive") {
    if (value > StrategySpec::kExhaustiveMax) {
      return rejection(text, "exhaustive search allows 0 to 8 perturbations");
    }
    return StrategySpec{StrategySpec::Kind::kExhaustive, value};
  }
  return rejection(text, "unknown name");
}

}  // namespace weft::sim
