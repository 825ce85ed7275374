// A hand-written semaphore. The bug: an acquire that is granted its permit
// and then dropped before it saw Ready (here, its timeout fired at the same
// instant) keeps the permit: it is gone for good, and the next acquirer
// waits forever. The fixed twin gives a granted-but-unseen permit back.
#pragma once

#include <chrono>
#include <deque>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/select.h"
#include "runtime/future/yield_now.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class HandSemaphore {
 public:
  explicit HandSemaphore(int permits) : permits_(permits) {}

  class Acquire {
   public:
    using Output = void;
    explicit Acquire(HandSemaphore* semaphore) : semaphore_(semaphore) {}
    Acquire(Acquire&& other) noexcept : semaphore_(other.semaphore_) {}
    ~Acquire() {
      if (queued_) std::erase(semaphore_->queue_, this);
      if (kFixed && granted_ && !seen_) semaphore_->release();
      // Buggy: a granted permit that was never seen is simply lost.
    }
    Poll<void> poll(Context& cx) {
      if (granted_) {
        seen_ = true;
        return ready();
      }
      if (!queued_ && semaphore_->permits_ > 0) {
        --semaphore_->permits_;
        granted_ = seen_ = true;
        return ready();
      }
      store_waker(waker_, cx.waker());
      if (!queued_) semaphore_->queue_.push_back(this);
      queued_ = true;
      return kPending;
    }

   private:
    friend class HandSemaphore;
    HandSemaphore* semaphore_;
    Waker waker_;
    bool queued_ = false;
    bool granted_ = false;
    bool seen_ = false;
  };

  Acquire acquire() { return Acquire(this); }
  void release() {
    if (queue_.empty()) {
      ++permits_;
      return;
    }
    Acquire* next = queue_.front();
    queue_.pop_front();
    next->queued_ = false;
    next->granted_ = true;
    next->waker_.wake_by_ref();
  }

 private:
  int permits_;
  std::deque<Acquire*> queue_;
};

template <bool kFixed>
Async<void> permit_leak_scenario() {
  using namespace std::chrono_literals;
  HandSemaphore<kFixed> semaphore(1);
  co_await semaphore.acquire();  // the scenario holds the only permit
  // An impatient task gives up after 2 ms (its deadline listed first); the
  // permit comes back at 2 ms too. Under FIFO the impatient task's timer
  // (armed first) fires first and it leaves the queue before the release.
  auto impatient = spawn([](HandSemaphore<kFixed>* s) -> Async<void> {
    auto got = co_await select(sleep_for(2ms), s->acquire());
    if (got.index() == 1) s->release();
  }(&semaphore));
  co_await yield_now();
  co_await sleep_for(2ms);
  semaphore.release();
  co_await std::move(impatient);
  co_await semaphore.acquire();  // hangs if the permit leaked
  semaphore.release();
}

}  // namespace weft::zoo
