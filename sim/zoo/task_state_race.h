// A hand-rolled task that is woken from other threads while it polls (the
// core of any executor's task state machine). A sender thread posts to an
// inbox; if the task is in its poll, the sender only marks it NOTIFIED and
// the task must look again when its poll ends, otherwise the sender wakes
// the task's stored waker.
//
// The bug: the end of the poll reads the state, then stores IDLE, two
// steps; a sender that marks NOTIFIED between them is overwritten, so the
// post is never seen and the task waits forever. It takes a preemption
// between two lines at the end of a poll. The fixed twin swaps in IDLE
// with one exchange and looks at what it replaced.
#pragma once

#include <cstdint>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
class InboxTask {
 public:
  // From the sender thread.
  void post() {
    {
      sync::lock_guard lock(mutex_);
      ++posted_;
    }
    for (;;) {
      std::uint32_t state = state_.load();
      if (state == kNotified) return;
      if (state == kRunning) {
        // The poll in progress will look again when it ends.
        if (state_.compare_exchange_strong(state, kNotified)) return;
        continue;
      }
      sync::lock_guard lock(mutex_);
      if (waiter_) waiter_.wake_by_ref();
      return;
    }
  }

  // The task: waits until `count` posts arrived.
  struct Receive {
    using Output = void;
    InboxTask* task;
    int count;
    Poll<void> poll(Context& cx) { return task->poll_receive(cx, count); }
  };

 private:
  Poll<void> poll_receive(Context& cx, int count) {
    state_.store(kRunning);
    {
      sync::lock_guard lock(mutex_);
      store_waker(waiter_, cx.waker());
      if (posted_ >= count) {
        state_.store(kIdle);
        return ready();
      }
    }
    // The end of the poll.
    if constexpr (kFixed) {
      if (state_.exchange(kIdle) == kNotified) cx.waker().wake_by_ref();
    } else {
      const bool notified = state_.load() == kNotified;
      // A post() that marks NOTIFIED here is lost.
      state_.store(kIdle);
      if (notified) cx.waker().wake_by_ref();
    }
    return kPending;
  }

  static constexpr std::uint32_t kIdle = 0;
  static constexpr std::uint32_t kRunning = 1;
  static constexpr std::uint32_t kNotified = 2;

  sync::atomic<std::uint32_t> state_{kIdle};
  sync::mutex mutex_;
  int posted_ = 0;
  Waker waiter_;
};

template <bool kFixed>
Async<void> task_state_race_scenario() {
  InboxTask<kFixed> inbox;
  sync::thread sender([&inbox] {
    inbox.post();
    inbox.post();
  });
  co_await typename InboxTask<kFixed>::Receive{&inbox, 2};
  sender.join();
}

}  // namespace weft::zoo
