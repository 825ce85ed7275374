// weft::fs::Completion<R>: where a call finished on another thread (a pool
// thread, io_uring's reaper) leaves its result for the future waiting on
// it. The future polls take(); the other thread calls complete() once.
#pragma once

#include <mutex>
#include <optional>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/future/waker.h"

namespace weft::fs {

template <typename R>
class Completion {
 public:
  explicit Completion(const Waker& waker) : waker_(waker) {}

  // The result, or Pending with the context's waker kept for complete().
  Poll<R> take(Context& cx) {
    std::lock_guard lock(mutex_);
    if (!result_) {
      waker_ = cx.waker();
      return kPending;
    }
    return std::move(*result_);
  }

  void complete(R result) {
    // Woken under the lock: the poll that takes the result waits for the
    // wake to return, so the executor it wakes may be destroyed once the
    // result is taken (a wake after the unlock could still be touching
    // it).
    std::lock_guard lock(mutex_);
    result_.emplace(std::move(result));
    std::move(waker_).wake_if_set();
  }

 private:
  std::mutex mutex_;
  std::optional<R> result_;
  Waker waker_;
};

}  // namespace weft::fs
