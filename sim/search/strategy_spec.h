// weft::sim::StrategySpec: a strategy named the way people type it
// (WEFT_STRATEGY, the hunt's flags): "fifo", "random", "pct:<depth>",
// "exhaustive:<max perturbations>", "portfolio" (each seed's run is random
// or PCT of a depth the seed picks: portfolio_part below). Parsing errors name
// what was wrong and list the accepted forms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace weft::sim {

struct StrategySpec {
  enum class Kind : std::uint8_t {
    kFifo,
    kRandom,
    kPct,
    kExhaustive,
    kCancelSweep,
    kCoverage,
    kPortfolio,  // random and PCT of several depths, chosen by seed
  };
  Kind kind = Kind::kRandom;
  // PCT: the depth d (1..kPctDepthMax); exhaustive: at most this many
  // perturbed decisions (0..kExhaustiveMax); cancel-sweep: cancellations
  // per run (1 or 2); otherwise 0.
  std::uint32_t parameter = 0;

  static constexpr std::uint32_t kPctDepthMax = 16;
  static constexpr std::uint32_t kExhaustiveMax = 8;
  static constexpr std::string_view kAcceptedForms =
      "fifo, random, pct:<depth 1-16>, exhaustive:<max perturbations 0-8>, "
      "cancel-sweep, cancel-sweep:<cancellations 1-2>, coverage, portfolio";

  std::string to_string() const;

  friend bool operator==(const StrategySpec&, const StrategySpec&) = default;
};

// The part of the portfolio that runs seed `seed`: random for a third of
// the seeds, pct:3 for a third, and PCT of depth 4 to 8 for the rest (for
// bugs that need several changes). Deterministic: the same seed, the same
// part, everywhere.
StrategySpec portfolio_part(std::uint64_t seed) noexcept;

// The spec, or an error message naming the text and the accepted forms.
std::variant<StrategySpec, std::string> parse_strategy(std::string_view text);

}  // namespace weft::sim
