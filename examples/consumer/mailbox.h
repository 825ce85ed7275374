// Mailbox<T>: what a user writes on weft's public API, and tests with the
// simulator. Senders put values in; receivers await them, in the order
// they started waiting. A receiver dropped while it waits leaves the
// queue (cancellation safety). Thread safe.
//
// Built with MAILBOX_PLANTED_BUG, it keeps one waker slot for all waiting
// receivers instead of one per receiver: a second receiver overwrites the
// first's waker, so the first is never woken (a lost wakeup, the kind of
// bug people ship).
#pragma once

#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/weft.h"

template <typename T>
class Mailbox {
 public:
  class Recv;

  void send(T value) {
    weft::Waker to_wake;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(std::move(value));
#if defined(MAILBOX_PLANTED_BUG)
      to_wake = std::move(only_waiter_);
#else
      if (!waiters_.empty()) {
        to_wake = std::move(waiters_.front()->waker);
        waiters_.pop_front();
      }
#endif
    }
    std::move(to_wake).wake();  // after unlocking: the waker may re-enter
  }

  Recv recv() { return Recv(*this); }

 private:
  struct Waiter {
    weft::Waker waker;
  };

  std::mutex mutex_;
  std::deque<T> items_;
  std::list<Waiter*> waiters_;
  weft::Waker only_waiter_;  // the planted bug's single slot
};

template <typename T>
class Mailbox<T>::Recv {
 public:
  using Output = T;

  explicit Recv(Mailbox& box) : box_(&box) {}
  Recv(Recv&& other) noexcept : box_(other.box_) {}
  ~Recv() {
    std::lock_guard<std::mutex> lock(box_->mutex_);
    box_->waiters_.remove(&waiter_);
  }

  weft::Poll<T> poll(weft::Context& cx) {
    std::lock_guard<std::mutex> lock(box_->mutex_);
    if (!box_->items_.empty()) {
      T value = std::move(box_->items_.front());
      box_->items_.pop_front();
      box_->waiters_.remove(&waiter_);
      return value;
    }
#if defined(MAILBOX_PLANTED_BUG)
    box_->only_waiter_ = cx.waker();
#else
    // Queue once; a later poll only refreshes the waker (the newest one).
    if (waiter_.waker.empty()) box_->waiters_.push_back(&waiter_);
    weft::store_waker(waiter_.waker, cx.waker());
#endif
    return weft::kPending;
  }

 private:
  Mailbox* box_;
  Waiter waiter_;
};
