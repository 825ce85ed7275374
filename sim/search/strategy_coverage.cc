// coverage: a coverage-guided search of schedules. It keeps a corpus of
// decision lists whose runs reached something no earlier run had (see
// coverage.h: a new pair of await sites, a new interleaving of them, a
// mark, a cancellation at a new await, or any of these a new number of
// times) and makes most next runs by mutating one of them:
//   - perturb a few decisions (or put a perturbed one back to its default),
//     keeping the rest of the list;
//   - perturb one decision and let everything after it go random.
// A list is replayed by position; a value too big for its question is
// clamped, and past its end the run continues as a random walk. One run
// in four is a fresh random walk, so the search never stops exploring.
// Everything comes from one seed per shard (first_seed + shard index):
// the same sweep makes the same runs. A failure is replayed from its
// decisions (the report's line), not from a seed.
#include <algorithm>
#include <deque>
#include <memory>

#include "sim/core/coverage.h"
#include "sim/decision/prng.h"
#include "sim/search/strategies.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

constexpr std::size_t kCorpusMax = 2048;
constexpr std::uint32_t kFreshRunOneIn = 4;
constexpr std::uint32_t kFlipsMax = 3;

// A list by position, then a random walk.
class PrefixThenRandomSource final : public DecisionSource {
 public:
  PrefixThenRandomSource(std::shared_ptr<const DecisionList> prefix,
                         std::uint64_t seed)
      : prefix_(std::move(prefix)), random_(seed) {}

  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override {
    if (position_ < prefix_->size()) {
      const std::uint32_t value = (*prefix_)[position_++].value;
      return std::min(value, bound - 1);
    }
    return random_.choose(kind, bound, context);
  }

 private:
  std::shared_ptr<const DecisionList> prefix_;
  std::size_t position_ = 0;
  RandomWalkSource random_;
};

class CoverageStrategy final : public Strategy {
 public:
  explicit CoverageStrategy(const StrategyContext& context)
      : prng_(context.first_seed + context.shard_index),
        runs_max_(runs_for_shard(context)) {}

  std::string name() const override { return "coverage"; }

  std::optional<RunPlan> next_run() override {
    if (runs_ >= runs_max_) return std::nullopt;
    ++runs_;
    const std::uint64_t seed = prng_.next_u64();
    RunPlan plan;
    plan.record_coverage = true;
    if (corpus_.empty() || prng_.uniform(kFreshRunOneIn) == 0) {
      plan.make_source = [seed]() -> std::unique_ptr<DecisionSource> {
        return std::make_unique<RandomWalkSource>(seed);
      };
      return plan;
    }
    auto mutated = std::make_shared<const DecisionList>(mutate(pick()));
    plan.make_source = [mutated, seed]() -> std::unique_ptr<DecisionSource> {
      return std::make_unique<PrefixThenRandomSource>(mutated, seed);
    };
    return plan;
  }

  void run_finished(const RunResult& run) override {
    if (seen_.merge(run.coverage) == 0) return;
    if (corpus_.size() == kCorpusMax) corpus_.pop_front();
    corpus_.push_back(run.decisions);
  }

  std::string summary() const override {
    return "coverage: " + std::to_string(seen_.size()) +
           " schedule features, " + std::to_string(corpus_.size()) +
           " lists kept";
  }

 private:
  static std::uint64_t runs_for_shard(const StrategyContext& context) {
    const std::uint64_t shards = context.shard_count;
    return context.iterations / shards +
           (context.shard_index < context.iterations % shards ? 1 : 0);
  }

  // Newer lists reached newer coverage: half the time one of the last 8.
  const DecisionList& pick() {
    const auto size = static_cast<std::uint32_t>(corpus_.size());
    if (size > 8 && prng_.uniform(2) == 0) {
      return corpus_[size - 1 - prng_.uniform(8)];
    }
    return corpus_[prng_.uniform(size)];
  }

  // Perturbs decision `i` (or, if it is perturbed, maybe restores it).
  void flip(DecisionList& list, std::size_t i) {
    Decision& decision = list[i];
    if (decision.bound < 2) return;
    if (decision.value != 0 && prng_.uniform(2) == 0) {
      decision.value = 0;
      return;
    }
    decision.value = 1 + prng_.uniform(decision.bound - 1);
  }

  DecisionList mutate(const DecisionList& base) {
    DecisionList list = base;
    if (list.empty()) return list;
    const auto size = static_cast<std::uint32_t>(list.size());
    if (prng_.uniform(2) == 0) {
      const std::uint32_t flips = 1 + prng_.uniform(kFlipsMax);
      for (std::uint32_t k = 0; k < flips; ++k) flip(list, prng_.uniform(size));
      return list;
    }
    const std::uint32_t at = prng_.uniform(size);
    flip(list, at);
    list.resize(at + 1);  // the rest goes random
    return list;
  }

  Prng prng_;
  std::uint64_t runs_max_;
  std::uint64_t runs_ = 0;
  CoverageSeen seen_;
  std::deque<DecisionList> corpus_;
};

}  // namespace

std::unique_ptr<Strategy> make_coverage_strategy(
    const StrategyContext& context) {
  return std::make_unique<CoverageStrategy>(context);
}

}  // namespace weft::sim
