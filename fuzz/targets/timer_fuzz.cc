// Timers under decided time steps and tie orders: a sleep never ends
// before its deadline, a timeout that expires has reached its deadline,
// and an interval's ticks stay on their grid.
#include <chrono>

#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;
using namespace std::chrono_literals;

Async<void> sleeper(int ms) {
  const weft::Instant start = weft::now();
  co_await weft::sleep_for(std::chrono::milliseconds(ms));
  WEFT_ASSERT(weft::now() - start >= std::chrono::milliseconds(ms),
              "a sleep ended early");
}

Async<void> scenario() {
  weft::JoinSet<void> set;
  for (int i = 0; i < 4; ++i) set.spawn(sleeper(1 + i % 2));
  const weft::Instant start = weft::now();
  auto result = co_await weft::timeout(
      2ms, []() -> Async<void> { co_await weft::sleep_for(3ms); }());
  if (result.timed_out()) {
    WEFT_ASSERT(weft::now() - start >= 2ms, "a timeout expired early");
  }
  weft::Interval interval(1ms);
  weft::Instant previous = co_await interval.tick();
  for (int i = 0; i < 3; ++i) {
    const weft::Instant tick = co_await interval.tick();
    WEFT_ASSERT((tick - previous) % 1ms == weft::Duration::zero(),
                "an interval tick left its grid");
    previous = tick;
  }
  while (co_await set.join_next()) {
  }
}

weft::sim::SimOptions options() {
  weft::sim::SimOptions options;
  options.perturbations.time_step_probability = 0.2;
  options.perturbations.time_step_max = 2ms;
  return options;
}

}  // namespace

WEFT_FUZZ_SCENARIO(timer_fuzz, scenario, options())
