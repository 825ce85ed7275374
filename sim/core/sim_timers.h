// weft::sim::Simulator::Timers: the simulator's TimerService. The order of
// timers that share a deadline and the jitter of a deadline are decisions;
// their labels count tie batches and armed timers, so they name the same
// timer when other decisions change.
#pragma once

#include <cstdint>
#include <span>

#include "runtime/task/timer_service.h"
#include "sim/core/options.h"
#include "sim/core/simulator.h"

namespace weft::sim {

class Simulator::Timers final : public TimerService {
 public:
  // Built before the Simulator's members (it is the Executor base's), so
  // it reads the options from the constructor's argument, not the member.
  Timers(Simulator& simulator, Clock& clock, const SimOptions& options);

 private:
  void order_ties(std::span<TimerEntry*> batch) override;
  Instant adjust_deadline(Instant requested) override;

  Simulator& simulator_;
  Duration jitter_max_;
  std::uint32_t tie_chance_;
  std::uint32_t jitter_chance_;
  std::uint64_t tie_batches_ = 0;
  std::uint64_t armed_ = 0;
};

}  // namespace weft::sim
