// fifo: one run with every decision unperturbed, what a real
// single-threaded executor does. Every FIFO run is the same, so it runs
// once, on shard 0.
#include "sim/search/strategies.h"
#include "sim/search/strategy.h"

namespace weft::sim {
namespace {

class FifoStrategy final : public Strategy {
 public:
  explicit FifoStrategy(bool runs_here) : left_(runs_here ? 1 : 0) {}
  std::string name() const override { return "fifo"; }
  std::optional<RunPlan> next_run() override {
    if (left_ == 0) return std::nullopt;
    --left_;
    return RunPlan{[] { return std::make_unique<FifoSource>(); }, {}};
  }
  bool exhausted() const override { return left_ == 0; }

 private:
  int left_;
};

}  // namespace

std::unique_ptr<Strategy> make_fifo_strategy(const StrategyContext& context) {
  return std::make_unique<FifoStrategy>(context.shard_index == 0);
}

}  // namespace weft::sim
