// A hand-written signal whose wait future keeps the waker of its first poll
// and ignores the newer ones. If the waiting task is polled again (here: a
// spurious poll), the signal later wakes through the old waker, which is
// no longer the task's current one, and the task can stay parked. The
// fixed twin stores the waker of every poll.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class Signal {
 public:
  void fire() {
    fired_ = true;
    std::move(waker_).wake();
  }

  struct Wait {
    using Output = void;
    Signal* signal;
    Poll<void> poll(Context& cx) {
      if (signal->fired_) return ready();
      if (kFixed) {
        store_waker(signal->waker_, cx.waker());
      } else if (!signal->waker_) {
        signal->waker_ = cx.waker();  // Buggy: only the first waker is kept.
      }
      return kPending;
    }
  };
  Wait wait() { return Wait{this}; }

 private:
  bool fired_ = false;
  Waker waker_;
};

template <bool kFixed>
Async<void> stale_waker_scenario() {
  Signal<kFixed> signal;
  auto waiter = spawn([](Signal<kFixed>* signal) -> Async<void> {
    co_await signal->wait();
  }(&signal));
  auto firer = spawn([](Signal<kFixed>* signal) -> Async<void> {
    co_await sleep_for(std::chrono::milliseconds(1));
    co_await sleep_for(std::chrono::milliseconds(1));
    signal->fire();
  }(&signal));
  co_await std::move(firer);
  co_await std::move(waiter);
}

}  // namespace weft::zoo
