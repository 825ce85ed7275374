// weft::testing::HandPoller: polls futures by hand with a counting waker,
// so a test can play the executor: poll, drop a future at a chosen moment,
// re-poll with a different waker, and count wakes.
#pragma once

#include "runtime/future/context.h"
#include "runtime/future/future.h"
#include "runtime/future/test_wakers.h"

namespace weft::testing {

class HandPoller {
 public:
  template <Future F>
  Poll<OutputOf<F>> poll(F& future) {
    Waker waker = counter_.waker();
    Context cx(waker);
    return future.poll(cx);
  }
  std::uint64_t wakes() const { return counter_.wakes(); }
  std::int64_t live_wakers() const { return counter_.live(); }

 private:
  CountingWaker counter_;
};

}  // namespace weft::testing
