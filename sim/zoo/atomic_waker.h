// An AtomicWaker: one waker slot that a task registers into while another
// thread may wake it, coordinated by a state word instead of a lock (the
// futures crate's AtomicWaker is the model). register() owns the slot
// while it moves the state from idle to registering and back; wake() owns
// it while its WAKING bit is set.
//
// The bug: wake() checks that the state is idle with a plain load and then
// takes the slot, a check-then-act: a register() that starts between the
// check and the take writes the slot while wake() takes it. The slot is a
// weft::sync::Cell, so the simulator's race check reports the two
// accesses; it takes a preemption between two lines of wake(). The fixed
// twin claims the slot with one fetch_or, and register() delivers a wake
// that found the slot busy.
#pragma once

#include <cstdint>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
class AtomicWaker {
 public:
  void register_waker(const Waker& waker) {
    std::uint32_t expected = kIdle;
    if (!state_.compare_exchange_strong(expected, kRegistering,
                                        std::memory_order_acquire)) {
      // A wake owns the slot right now: the task runs again anyway.
      waker.wake_by_ref();
      return;
    }
    slot_.with_mut([&waker](Waker& slot) { store_waker(slot, waker); });
    const std::uint32_t was =
        state_.fetch_and(~kRegistering, std::memory_order_acq_rel);
    if ((was & kWaking) != 0) {
      // A wake found the slot busy and left its bit: deliver it here.
      state_.store(kIdle, std::memory_order_release);
      waker.wake_by_ref();
    }
  }

  // From any thread.
  void wake() {
    if constexpr (kFixed) {
      if (state_.fetch_or(kWaking, std::memory_order_acq_rel) != kIdle) {
        return;  // register() sees the bit and wakes
      }
    } else {
      // seq_cst (and the poll's load of the flag too), so that this
      // twin's one bug is the check-then-act: with acquire loads, the
      // check may read an older "registering" state while the poll reads
      // the flag from before the producer's store (store buffering), a
      // second, weak-memory lost wake.
      if (state_.load(std::memory_order_seq_cst) != kIdle) return;
      // A register() may start here and write the slot.
    }
    Waker taken = slot_.with_mut([](Waker& slot) { return std::move(slot); });
    if constexpr (kFixed) state_.fetch_and(~kWaking, std::memory_order_release);
    if (taken) std::move(taken).wake();
  }

 private:
  static constexpr std::uint32_t kIdle = 0;
  static constexpr std::uint32_t kRegistering = 1;
  static constexpr std::uint32_t kWaking = 2;

  sync::atomic<std::uint32_t> state_{kIdle};
  sync::Cell<Waker> slot_;
};

// A task waits for a value a producer thread publishes and announces
// through the AtomicWaker (register, then check: the documented use).
template <bool kFixed>
struct AwaitPublished {
  using Output = void;
  AtomicWaker<kFixed>* waker;
  sync::atomic<bool>* published;
  Poll<void> poll(Context& cx) {
    waker->register_waker(cx.waker());
    // seq_cst (not acquire): see wake() in the buggy twin.
    if (published->load(std::memory_order_seq_cst)) return ready();
    return kPending;
  }
};

template <bool kFixed>
Async<void> atomic_waker_scenario() {
  AtomicWaker<kFixed> waker;
  sync::atomic<bool> published{false};
  sync::thread producer([&] {
    published.store(true, std::memory_order_release);
    waker.wake();
  });
  co_await AwaitPublished<kFixed>{&waker, &published};
  producer.join();
}

}  // namespace weft::zoo
