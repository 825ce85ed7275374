// make_strategy: a StrategySpec (what WEFT_STRATEGY names) to the strategy
// that runs it.
#include "sim/search/strategy.h"

namespace weft::sim {

std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec,
                                        const StrategyContext& context) {
  switch (spec.kind) {
    case StrategySpec::Kind::kFifo:
      return make_fifo_strategy(context);
    case StrategySpec::Kind::kExhaustive:
      return make_exhaustive_strategy(spec.parameter, context);
    case StrategySpec::Kind::kCancelSweep:
      return make_cancel_sweep_strategy(spec.parameter, context);
    case StrategySpec::Kind::kCoverage:
      return make_coverage_strategy(context);
    case StrategySpec::Kind::kRandom:
    case StrategySpec::Kind::kPct:
    case StrategySpec::Kind::kPortfolio:
      return make_seeded_strategy(spec, context);
  }
  return make_fifo_strategy(context);
}

}  // namespace weft::sim
