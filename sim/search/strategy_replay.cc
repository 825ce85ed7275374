// replay: exactly one given list, once, strictly: a whole list by position
// (a decision file) or a sparse one by label (WEFT_DECISIONS). A list that
// no longer fits the program ends the run with replay-mismatch.
#include "sim/decision/replay_source.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

template <typename List>
class ReplayStrategy final : public Strategy {
 public:
  explicit ReplayStrategy(List list)
      : list_(std::make_shared<List>(std::move(list))) {}
  std::string name() const override { return "replay"; }
  std::optional<RunPlan> next_run() override {
    if (done_) return std::nullopt;
    done_ = true;
    auto list = list_;
    return RunPlan{[list]() -> std::unique_ptr<DecisionSource> {
                     if constexpr (std::is_same_v<List, DecisionList>) {
                       return std::make_unique<ReplaySource>(*list);
                     } else {
                       return std::make_unique<LabelledReplaySource>(
                           list->perturbed, list->count,
                           LabelledReplaySource::Mode::kStrict);
                     }
                   },
                   {}};
  }
  bool exhausted() const override { return done_; }

 private:
  std::shared_ptr<List> list_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Strategy> make_replay_strategy(DecisionList decisions) {
  return std::make_unique<ReplayStrategy<DecisionList>>(std::move(decisions));
}

std::unique_ptr<Strategy> make_replay_strategy(SparseDecisions decisions) {
  return std::make_unique<ReplayStrategy<SparseDecisions>>(
      std::move(decisions));
}

}  // namespace weft::sim
