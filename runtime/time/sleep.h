// weft::Sleep, sleep_for, sleep_until: a future that is Ready once the
// executor's clock reaches a deadline.
//
// The timer belongs to the executor that polls the Sleep first (found
// through Executor::current()); sleep_for's deadline is counted from that
// first poll. Dropping a Sleep disarms its timer: it never fires later.
// Polling a Sleep outside any executor is a misuse.
#pragma once

#include <memory>
#include <optional>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/seam/source_location.h"
#include "runtime/task/clock.h"
#include "runtime/task/timer_service.h"

namespace weft {

class Sleep {
 public:
  using Output = void;

  static Sleep for_duration(Duration duration,
                            SourceLocation at = SourceLocation::current()) {
    return Sleep(std::nullopt, duration, at);
  }
  static Sleep until(Instant deadline,
                     SourceLocation at = SourceLocation::current()) {
    return Sleep(deadline, Duration::zero(), at);
  }

  Sleep(Sleep&& other) noexcept;
  Sleep& operator=(Sleep&&) = delete;
  Sleep(const Sleep&) = delete;
  ~Sleep();

  Poll<void> poll(Context& cx);

  // Moves the deadline (as Interval does between ticks); the Sleep becomes
  // pending again.
  void reset(Instant deadline);
  // The deadline, once known (after the first poll for sleep_for).
  std::optional<Instant> deadline() const noexcept { return deadline_; }

 private:
  Sleep(std::optional<Instant> deadline, Duration duration, SourceLocation at)
      : deadline_(deadline), duration_(duration), at_(at) {}

  std::shared_ptr<TimerService> timers_;
  std::optional<Instant> deadline_;
  Duration duration_;
  SourceLocation at_;
  bool armed_ = false;
  bool done_ = false;
  TimerEntry entry_;
};

inline Sleep sleep_for(Duration duration,
                       SourceLocation at = SourceLocation::current()) {
  return Sleep::for_duration(duration, at);
}
inline Sleep sleep_until(Instant deadline,
                         SourceLocation at = SourceLocation::current()) {
  return Sleep::until(deadline, at);
}

// The current executor's clock reading; a misuse outside an executor.
Instant now(SourceLocation at = SourceLocation::current());

}  // namespace weft
