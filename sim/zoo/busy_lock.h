// A hand-written lock whose lock() future returns Pending when the lock is
// taken, without leaving its waker anywhere: it assumes it will be polled
// again "soon". Nothing ever wakes it, so the task hangs; the simulator
// reports it the moment the poll returns. The fixed twin queues the lock
// future itself, which keeps the waker of its latest poll (a queue of
// plain waker copies would go stale on a re-poll), and unlock() wakes the
// oldest waiter.
#pragma once

#include <chrono>
#include <deque>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class BusyLock {
 public:
  class Lock {
   public:
    using Output = void;
    explicit Lock(BusyLock* lock) : lock_(lock) {}
    Lock(Lock&& other) noexcept : lock_(other.lock_) {}
    ~Lock() {
      if (queued_) std::erase(lock_->waiters_, this);
    }
    Poll<void> poll(Context& cx) {
      if (!lock_->held_ && (lock_->waiters_.empty() || first_in_line())) {
        if (queued_) lock_->waiters_.pop_front();
        queued_ = false;
        lock_->held_ = true;
        return ready();
      }
      if (kFixed) {
        store_waker(waker_, cx.waker());
        if (!queued_) lock_->waiters_.push_back(this);
        queued_ = true;
      }
      // Buggy: Pending, and nobody knows to wake this task.
      return kPending;
    }
    void wake() { waker_.wake_by_ref(); }

   private:
    bool first_in_line() const { return lock_->waiters_.front() == this; }
    BusyLock* lock_;
    Waker waker_;
    bool queued_ = false;
  };
  Lock lock() { return Lock(this); }
  void unlock() {
    held_ = false;
    if (!waiters_.empty()) waiters_.front()->wake();
  }

 private:
  bool held_ = false;
  std::deque<Lock*> waiters_;
};

template <bool kFixed>
Async<void> busy_lock_scenario() {
  BusyLock<kFixed> lock;
  auto worker = [](BusyLock<kFixed>* lock) -> Async<void> {
    co_await lock->lock();
    co_await sleep_for(std::chrono::milliseconds(1));
    lock->unlock();
  };
  auto a = spawn(worker(&lock));
  auto b = spawn(worker(&lock));
  co_await std::move(a);
  co_await std::move(b);
}

}  // namespace weft::zoo
