// A hand-written one-shot notify. The bug: notify() with nobody waiting
// is simply dropped, so if the notifier runs before the waiter has parked,
// the waiter sleeps forever (a lost wakeup). The fixed twin remembers the
// notification as a permit that the next wait takes at once.
#pragma once

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/task/executor.h"

namespace weft::zoo {

template <bool kFixed>
class HandNotify {
 public:
  void notify() {
    if (waiter_) {
      notified_ = true;
      std::move(waiter_).wake();
    } else if (kFixed) {
      notified_ = true;  // nobody waits yet: keep it for the next wait
    }
    // Buggy: with nobody waiting, the notification is lost here.
  }

  struct Wait {
    using Output = void;
    HandNotify* notify;
    Poll<void> poll(Context& cx) {
      if (notify->notified_) {
        notify->notified_ = false;
        return ready();
      }
      store_waker(notify->waiter_, cx.waker());
      return kPending;
    }
  };
  Wait wait() { return Wait{this}; }

 private:
  bool notified_ = false;
  Waker waiter_;
};

// A waiter and a notifier; under FIFO the waiter parks first.
template <bool kFixed>
Async<void> lost_wakeup_scenario() {
  HandNotify<kFixed> notify;
  auto waiter = spawn([](HandNotify<kFixed>* notify) -> Async<void> {
    co_await notify->wait();
  }(&notify));
  auto notifier = spawn([](HandNotify<kFixed>* notify) -> Async<void> {
    notify->notify();
    co_return;
  }(&notify));
  co_await std::move(notifier);
  co_await std::move(waiter);
}

}  // namespace weft::zoo
