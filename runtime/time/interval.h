// weft::Interval: ticks every `period`. `co_await interval.tick()` returns
// the instant the tick was scheduled for. The first tick is immediate.
//
// Missed ticks are skipped: if the task was late by more than a period, the
// late tick fires once at once, and the next one is scheduled on the
// original grid at the first multiple of `period` after now, so a slow
// consumer never sees a burst of catch-up ticks.
#pragma once

#include "runtime/seam/misuse.h"
#include "runtime/task/clock.h"
#include "runtime/time/sleep.h"

namespace weft {

class Interval {
 public:
  explicit Interval(Duration period,
                    SourceLocation at = SourceLocation::current())
      : period_(period), sleep_(Sleep::for_duration(Duration::zero(), at)) {
    if (period <= Duration::zero()) {
      report_misuse("weft::Interval needs a period greater than zero", at);
    }
  }

  class Tick {
   public:
    using Output = Instant;
    explicit Tick(Interval& interval) : interval_(interval) {}
    Poll<Instant> poll(Context& cx) { return interval_.poll_tick(cx); }

   private:
    Interval& interval_;
  };

  // The next tick; await it in place (the Interval must outlive it).
  Tick tick() { return Tick(*this); }
  Duration period() const noexcept { return period_; }

 private:
  Poll<Instant> poll_tick(Context& cx) {
    if (sleep_.poll(cx).is_pending()) return kPending;
    const Instant scheduled = *sleep_.deadline();
    const Instant now = weft::now();
    Instant next = scheduled + period_;
    if (next <= now) {
      // Skip the missed ticks: stay on the grid, first point after now.
      const auto missed = (now - scheduled) / period_;
      next = scheduled + period_ * (missed + 1);
    }
    sleep_.reset(next);
    return scheduled;
  }

  Duration period_;
  Sleep sleep_;
};

}  // namespace weft
