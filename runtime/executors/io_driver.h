// weft::IoDriver: what an executor waits on when no task can run and some
// task waits for I/O. LocalExecutor parks here instead of sleeping until
// its next timer (and checks it without waiting every few dozen polls, so
// a busy executor still sees I/O); runtime/net/reactor.h implements it with
// epoll. A ThreadPoolExecutor does not park on a driver: its reactor runs
// on a thread of its own (ReactorThread) and wakes the pool's tasks from
// there.
#pragma once

#include <optional>

#include "runtime/task/clock.h"

namespace weft {

class IoDriver {
 public:
  // Whether some future waits for an I/O event through this driver.
  virtual bool has_waiters() const = 0;
  // Waits until an I/O event arrives or `clock` reaches `deadline` (none:
  // no time limit; a past deadline: look without waiting), then wakes the
  // futures whose events arrived.
  virtual void park(std::optional<Instant> deadline, const Clock& clock) = 0;
  // Makes a park in progress (or the next one) return at once; safe from
  // any thread (a wake from another thread rouses the parked executor).
  virtual void unpark() noexcept = 0;

 protected:
  ~IoDriver() = default;
};

}  // namespace weft
