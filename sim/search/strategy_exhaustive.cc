// exhaustive:k: every decision list with at most k perturbations, each
// once (ExhaustiveExplorer), on shard 0, until the space is covered or
// exhaustive_runs_max runs have been made (then capped(): the sweep
// decides whether a partial search is a failure).
#include "sim/decision/replay_source.h"
#include "sim/search/exhaustive.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

class ExhaustiveStrategy final : public Strategy {
 public:
  ExhaustiveStrategy(std::uint32_t perturbations_max,
                     const StrategyContext& context)
      : perturbations_max_(perturbations_max),
        explorer_(perturbations_max, context.exhaustive_decisions_max),
        runs_max_(context.exhaustive_runs_max),
        done_(context.shard_index != 0) {}

  std::string name() const override {
    return "exhaustive:" + std::to_string(perturbations_max_);
  }

  std::optional<RunPlan> next_run() override {
    if (done_) return std::nullopt;
    if (runs_ >= runs_max_) {
      capped_ = true;
      return std::nullopt;
    }
    ++runs_;
    auto prefix = std::make_shared<DecisionList>(explorer_.next_prefix());
    return RunPlan{[prefix] { return std::make_unique<ReplaySource>(*prefix); },
                   {}};
  }

  void run_finished(const RunResult& run) override {
    if (!explorer_.advance(run.decisions)) {
      done_ = true;
      exhausted_ = true;
    }
  }

  bool exhausted() const override { return exhausted_; }
  bool capped() const override { return capped_; }

 private:
  std::uint32_t perturbations_max_;
  ExhaustiveExplorer explorer_;
  std::uint64_t runs_max_;
  std::uint64_t runs_ = 0;
  bool done_;
  bool exhausted_ = false;
  bool capped_ = false;
};

}  // namespace

std::unique_ptr<Strategy> make_exhaustive_strategy(
    std::uint32_t perturbations_max, const StrategyContext& context) {
  return std::make_unique<ExhaustiveStrategy>(perturbations_max, context);
}

}  // namespace weft::sim
