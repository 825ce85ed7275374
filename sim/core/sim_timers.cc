#include "sim/core/sim_timers.h"

#include <algorithm>
#include <utility>

#include "sim/decision/prng.h"

namespace weft::sim {
namespace {

// How a shifted deadline is expressed as a decision: 0 = unchanged,
// 1..kJitterSteps earlier, kJitterSteps+1..2*kJitterSteps later.
constexpr std::uint32_t kJitterSteps = 8;

}  // namespace

Simulator::Timers::Timers(Simulator& simulator, Clock& clock,
                          const SimOptions& options)
    : TimerService(clock),
      simulator_(simulator),
      jitter_max_(options.perturbations.timer_jitter_max),
      tie_chance_(Prng::probability_to_chance(
          options.perturbations.timer_tie_probability)),
      jitter_chance_(Prng::probability_to_chance(
          options.perturbations.timer_jitter_probability)) {}

void Simulator::Timers::order_ties(std::span<TimerEntry*> batch) {
  if (batch.size() < 2 || tie_chance_ == 0) return;
  const std::uint64_t batch_number = ++tie_batches_;
  for (std::size_t i = 0; i + 1 < batch.size(); ++i) {
    const auto left = static_cast<std::uint32_t>(batch.size() - i);
    const std::uint32_t pick =
        simulator_.decide(DecisionKind::kTimerTie, left, tie_chance_,
                          {batch_number, static_cast<std::uint32_t>(i)});
    std::swap(batch[i], batch[i + pick]);
  }
}

Instant Simulator::Timers::adjust_deadline(Instant requested) {
  const std::uint64_t timer_number = ++armed_;
  const Duration window = jitter_max_;
  if (jitter_chance_ == 0 || window <= Duration::zero()) return requested;
  const std::uint32_t choice =
      simulator_.decide(DecisionKind::kTimerJitter, 2 * kJitterSteps + 1,
                        jitter_chance_, {timer_number, 0});
  if (choice == 0) return requested;
  const Duration unit = window / kJitterSteps;
  const Instant shifted =
      choice <= kJitterSteps
          ? Instant::from_nanoseconds(requested.nanoseconds() -
                                      (unit * choice).count())
          : requested + unit * (choice - kJitterSteps);
  return std::max(shifted, simulator_.now());
}

}  // namespace weft::sim
