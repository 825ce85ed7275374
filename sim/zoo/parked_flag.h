// A task that parks and a thread that unparks it, each announcing itself
// with a flag and checking the other's (the Dekker pattern behind every
// park/unpark and "notified" state word): the task stores its waker, sets
// `waiting`, then checks `ready`; the thread sets `ready`, then checks
// `waiting` and wakes the task if it is set.
//
// The bug: the flags use release stores and acquire loads, which order
// nothing between a store and a later load of another location. Both loads
// may read the value before the other side's store (store buffering), so
// the task parks and the thread does not wake it: the task waits forever.
// Under sequential consistency the bug cannot happen, so only the memory
// model's older-store reads find it. The fixed twin makes all four
// operations seq_cst (one total order: one of the loads sees the other's
// store).
#pragma once

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
struct ParkedFlags {
  static constexpr auto kStore =
      kFixed ? std::memory_order_seq_cst : std::memory_order_release;
  static constexpr auto kLoad =
      kFixed ? std::memory_order_seq_cst : std::memory_order_acquire;

  sync::mutex mutex;  // guards the waker
  Waker waiter;
  sync::atomic<bool> waiting{false};
  sync::atomic<bool> ready{false};

  // On the other thread.
  void unpark() {
    ready.store(true, kStore);
    if (!waiting.load(kLoad)) return;  // nobody parked (it will see ready)
    sync::lock_guard lock(mutex);
    if (waiter) waiter.wake_by_ref();
  }
};

template <bool kFixed>
struct AwaitUnparked {
  using Output = void;
  ParkedFlags<kFixed>* flags;
  Poll<void> poll(Context& cx) {
    {
      sync::lock_guard lock(flags->mutex);
      store_waker(flags->waiter, cx.waker());
    }
    flags->waiting.store(true, ParkedFlags<kFixed>::kStore);
    if (flags->ready.load(ParkedFlags<kFixed>::kLoad)) return ready();
    return kPending;
  }
};

template <bool kFixed>
Async<void> parked_flag_scenario() {
  ParkedFlags<kFixed> flags;
  sync::thread unparker([&flags] { flags.unpark(); });
  co_await AwaitUnparked<kFixed>{&flags};
  unparker.join();
}

}  // namespace weft::zoo
