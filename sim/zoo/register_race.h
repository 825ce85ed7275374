// A future that waits for a flag another thread sets (an I/O thread
// finishing a read, say) and the thread that sets it. The bug: poll checks
// the flag and only then stores its waker, under the lock the setter takes
// to wake it; a setter that runs between the check and the store finds no
// waker and wakes nobody, and the task waits forever. It takes a
// preemption inside the poll, between two lines. The fixed twin stores the
// waker first and checks after, so either the check sees the flag or the
// setter sees the waker.
#pragma once

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

struct RaiseFlag {
  sync::mutex mutex;
  Waker waiter;
  sync::atomic<bool> set{false};

  // On the other thread.
  void raise() {
    set.store(true);
    sync::lock_guard lock(mutex);
    if (waiter) waiter.wake_by_ref();
  }
};

template <bool kFixed>
struct AwaitRaised {
  using Output = void;
  RaiseFlag* flag;
  Poll<void> poll(Context& cx) {
    if constexpr (kFixed) {
      {
        sync::lock_guard lock(flag->mutex);
        store_waker(flag->waiter, cx.waker());
      }
      if (flag->set.load()) return ready();
      return kPending;
    } else {
      if (flag->set.load()) return ready();
      // A raise() here wakes nobody.
      sync::lock_guard lock(flag->mutex);
      store_waker(flag->waiter, cx.waker());
      return kPending;
    }
  }
};

template <bool kFixed>
Async<void> register_race_scenario() {
  RaiseFlag flag;
  sync::thread io([&flag] { flag.raise(); });
  co_await AwaitRaised<kFixed>{&flag};
  io.join();
}

}  // namespace weft::zoo
