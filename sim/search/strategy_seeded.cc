// random, pct:d and portfolio: one run per seed, first_seed, first_seed+1,
// ... for `iterations` seeds, each shard taking every shard_count-th one (or
// just only_seed, on shard 0). A seed means the same run every time: PCT's
// run length (steps and thread switch points) is measured once, by one
// unperturbed run, before the first seed; the portfolio runs each seed as
// the part portfolio_part(seed) names.
#include "sim/search/strategies.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

class SeededStrategy final : public Strategy {
 public:
  SeededStrategy(StrategySpec spec, StrategyContext context)
      : spec_(spec), context_(std::move(context)) {}

  std::string name() const override { return spec_.to_string(); }
  bool replayable_by_seed() const override { return true; }
  bool plans_independent() const override { return true; }

  std::optional<RunPlan> next_run() override {
    const std::optional<std::uint64_t> seed = next_seed();
    if (!seed) return std::nullopt;
    const std::uint64_t value = *seed;
    const bool portfolio = spec_.kind == StrategySpec::Kind::kPortfolio;
    const StrategySpec spec = portfolio ? portfolio_part(value) : spec_;
    if (spec.kind == StrategySpec::Kind::kPct && !pct_length_) {
      pct_length_ = context_.unperturbed_length ? context_.unperturbed_length()
                                                : RunLength{};
    }
    const RunLength length = pct_length_.value_or(RunLength{});
    return RunPlan{[spec, length, value]() -> std::unique_ptr<DecisionSource> {
                     if (spec.kind == StrategySpec::Kind::kPct) {
                       return std::make_unique<PctSource>(value, spec.parameter,
                                                          length.steps,
                                                          length.switch_points);
                     }
                     return std::make_unique<RandomWalkSource>(value);
                   },
                   value,
                   portfolio ? "the portfolio's " + spec.to_string() +
                                   " run of seed " + std::to_string(value)
                             : std::string()};
  }

 private:
  std::optional<std::uint64_t> next_seed() {
    if (context_.only_seed) {
      if (only_seed_taken_ || context_.shard_index != 0) return std::nullopt;
      only_seed_taken_ = true;
      return context_.only_seed;
    }
    while (index_ < context_.iterations) {
      const std::uint64_t i = index_++;
      if (i % context_.shard_count == context_.shard_index) {
        return context_.first_seed + i;
      }
    }
    return std::nullopt;
  }

  StrategySpec spec_;
  StrategyContext context_;
  std::optional<RunLength> pct_length_;
  std::uint64_t index_ = 0;
  bool only_seed_taken_ = false;
};

}  // namespace

std::unique_ptr<Strategy> make_seeded_strategy(const StrategySpec& spec,
                                               const StrategyContext& context) {
  return std::make_unique<SeededStrategy>(spec, context);
}

}  // namespace weft::sim
