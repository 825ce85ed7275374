// weft::testing::ManualEvent: a one-shot event a test fires by hand, and
// EventFuture, the future that waits for it. The future stores the waker of
// its latest poll, like every correct future, and counts its polls so tests
// can see spurious polls and re-polls.
#pragma once

#include <memory>

#include "runtime/future/future.h"
#include "runtime/future/waker.h"

namespace weft::testing {

class ManualEvent {
 public:
  struct State {
    bool fired = false;
    int polls = 0;
    Waker waker;
  };

  class Wait {
   public:
    using Output = void;
    explicit Wait(std::shared_ptr<ManualEvent::State> state)
        : state_(std::move(state)) {}
    Poll<void> poll(Context& cx) {
      ++state_->polls;
      if (state_->fired) return ready();
      store_waker(state_->waker, cx.waker());
      return kPending;
    }

   private:
    std::shared_ptr<ManualEvent::State> state_;
  };

  Wait wait() const { return Wait(state_); }
  void fire() {
    state_->fired = true;
    std::move(state_->waker).wake();
  }
  int polls() const { return state_->polls; }
  bool has_waker() const { return !state_->waker.empty(); }

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace weft::testing
