// weft::yield_now(): a future that is Pending once (waking its own task, so
// it goes to the back of the run queue) and Ready on the next poll. It lets
// other tasks run inside a long computation.
#pragma once

#include "runtime/future/context.h"
#include "runtime/future/poll.h"

namespace weft {

class YieldNow {
 public:
  using Output = void;
  Poll<void> poll(Context& cx) {
    if (yielded_) return ready();
    yielded_ = true;
    cx.waker().wake_by_ref();
    return kPending;
  }

 private:
  bool yielded_ = false;
};

inline YieldNow yield_now() { return YieldNow(); }

}  // namespace weft
