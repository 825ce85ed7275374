// cancel-sweep:k: is the code cancellation safe at every await? First one
// unperturbed run records every point where a cancellable task waits (the
// task, the await it is parked on, and which of its waits it is); then one
// run per point cancels exactly there; with k=2, each of those runs also
// records the points after its cancellation, and one run per pair cancels
// both (up to kPairsMax pairs). The first failing run is reported, with
// the point it cancelled; a clean sweep lists the points it covered.
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "sim/decision/replay_source.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

constexpr std::size_t kPairsMax = 400;
constexpr std::size_t kPointsListedMax = 8;

std::string short_site(SourceLocation site) {
  if (!site.known()) return "a hand-written future";
  const char* file = site.file;
  if (file[0] == '.' && file[1] == '/') file += 2;
  return std::string(file) + ":" + std::to_string(site.line);
}

std::string describe(const CancelPoint& point) {
  std::string text = "task " + std::to_string(point.task) + " waiting at " +
                     short_site(point.site);
  for (const SourceLocation& caller : point.callers) {
    if (caller.known()) text += " <- " + short_site(caller);
  }
  return text + " (its wait " + std::to_string(point.wait) + ")";
}

Decision cancel_at(const CancelPoint& point) {
  Decision decision;
  decision.kind = DecisionKind::kCancelWaiting;
  decision.bound = point.bound;
  decision.value = point.option;
  decision.label = {point.step, 0};
  return decision;
}

// The first time each (task, wait) was a point; the same wait over many
// steps is one point.
std::vector<CancelPoint> distinct(const std::vector<CancelPoint>& points,
                                  std::uint64_t after_step,
                                  std::uint64_t skip_task) {
  std::set<std::pair<std::uint64_t, std::uint32_t>> seen;
  std::vector<CancelPoint> out;
  for (const CancelPoint& point : points) {
    if (point.step <= after_step || point.task == skip_task) continue;
    if (seen.emplace(point.task, point.wait).second) out.push_back(point);
  }
  return out;
}

class CancelSweepStrategy final : public Strategy {
 public:
  CancelSweepStrategy(std::uint32_t cancellations_max, StrategyContext context)
      : cancellations_max_(cancellations_max), context_(std::move(context)) {}

  std::string name() const override {
    return "cancel-sweep:" + std::to_string(cancellations_max_);
  }

  std::optional<RunPlan> next_run() override {
    if (done_ || context_.shard_index != 0) return std::nullopt;
    if (!probed_) probe();
    if (next_ < plans_.size()) return make_plan(plans_[next_++]);
    done_ = true;
    return std::nullopt;
  }

  void run_finished(const RunResult& run) override {
    if (cancellations_max_ < 2 || next_ == 0) return;
    const std::vector<CancelPoint>& cancelled = plans_[next_ - 1];
    if (cancelled.size() != 1) return;
    for (const CancelPoint& later :
         distinct(run.cancel_points, cancelled[0].step, cancelled[0].task)) {
      if (pairs_ == kPairsMax) break;
      plans_.push_back({cancelled[0], later});
      ++pairs_;
    }
  }

  bool exhausted() const override { return done_; }

  std::string summary() const override {
    if (!probed_) return {};
    std::string text = "cancellation points: " + std::to_string(points_.size());
    for (std::size_t i = 0; i < points_.size() && i < kPointsListedMax; ++i) {
      text += (i == 0 ? " (" : ", ") + describe(points_[i]);
    }
    if (!points_.empty()) {
      text += points_.size() > kPointsListedMax ? ", ...)" : ")";
    }
    text += ", each cancelled alone";
    if (cancellations_max_ >= 2) {
      text += ", and " + std::to_string(pairs_) + " pairs";
    }
    return text;
  }

 private:
  void probe() {
    probed_ = true;
    if (!context_.unperturbed_run) return;
    points_ = distinct(context_.unperturbed_run().cancel_points, 0, 0);
    for (const CancelPoint& point : points_) plans_.push_back({point});
  }

  RunPlan make_plan(const std::vector<CancelPoint>& cancel) {
    auto decisions = std::make_shared<std::vector<Decision>>();
    std::string note = "cancelling ";
    for (std::size_t i = 0; i < cancel.size(); ++i) {
      decisions->push_back(cancel_at(cancel[i]));
      note += (i == 0 ? "" : ", then ") + describe(cancel[i]);
    }
    RunPlan plan;
    plan.make_source = [decisions]() -> std::unique_ptr<DecisionSource> {
      return std::make_unique<LabelledReplaySource>(*decisions, std::nullopt,
                                                    ReplayMode::kLenient);
    };
    plan.note = note;
    plan.record_cancel_points = cancellations_max_ >= 2 && cancel.size() == 1;
    return plan;
  }

  std::uint32_t cancellations_max_;
  StrategyContext context_;
  bool probed_ = false;
  bool done_ = false;
  std::vector<CancelPoint> points_;
  std::vector<std::vector<CancelPoint>> plans_;  // singles, then pairs
  std::size_t next_ = 0;
  std::size_t pairs_ = 0;
};

}  // namespace

std::unique_ptr<Strategy> make_cancel_sweep_strategy(
    std::uint32_t cancellations_max, const StrategyContext& context) {
  return std::make_unique<CancelSweepStrategy>(cancellations_max, context);
}

}  // namespace weft::sim
