// weft::watch: one Sender publishes the latest value; any number of
// Receivers see the newest one and can wait until it changes.
//
//   auto [tx, rx] = weft::watch::channel<int>(0);
//   tx.send(1);                           // SendResult: value comes back if
//                                         // every receiver is gone
//   bool alive = co_await rx.changed();   // false: sender dropped
//   int now = rx.borrow_and_update();
//
// Each Receiver remembers the version it last saw; changed() is Ready at
// once if a newer one exists. Values in between may be skipped (only the
// latest is kept). Cancellation safe: a changed() dropped while waiting
// unlinks itself and consumes nothing. Thread safe; wakers are woken after
// the lock is released.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/intrusive_list.h"
#include "runtime/future/poll.h"
#include "runtime/future/wake_list.h"
#include "runtime/future/waker.h"
#include "runtime/primitives/send_result.h"
#include "runtime/seam/misuse.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"

namespace weft::watch {

namespace detail {

struct Waiter : ListLinks<Waiter> {
  Waker waker;
};

template <typename T>
struct Shared {
  explicit Shared(T initial) : value(std::move(initial)) {}
  sync::mutex mutex;
  T value;
  std::uint64_t version = 0;
  std::size_t receivers = 1;
  bool sender_alive = true;
  IntrusiveList<Waiter> waiters;

  // Unlinks every waiter; their wakers are woken once the lock is
  // released (a waiter polled again links itself with its newest waker).
  void wake_all_locked(WakeList& wakes) {
    while (Waiter* waiter = waiters.pop_front()) {
      wakes.push(std::move(waiter->waker));
    }
  }
};

}  // namespace detail

template <typename T>
class Sender {
 public:
  explicit Sender(std::shared_ptr<detail::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&&) = delete;
  ~Sender() {
    if (shared_ == nullptr) return;
    WakeList wakes;
    sync::lock_guard lock(shared_->mutex);
    shared_->sender_alive = false;
    shared_->wake_all_locked(wakes);
  }

  SendResult<T> send(T value, SourceLocation at = SourceLocation::current()) {
    WakeList wakes(at);
    sync::lock_guard lock(shared_->mutex);
    if (shared_->receivers == 0) return SendResult<T>::closed(std::move(value));
    shared_->value = std::move(value);
    ++shared_->version;
    shared_->wake_all_locked(wakes);
    return SendResult<T>::delivered();
  }

  std::size_t receiver_count() const {
    sync::lock_guard lock(shared_->mutex);
    return shared_->receivers;
  }

 private:
  std::shared_ptr<detail::Shared<T>> shared_;
};

template <typename T>
class Receiver {
 public:
  explicit Receiver(std::shared_ptr<detail::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  Receiver(const Receiver& other)
      : shared_(other.shared_), seen_version_(other.seen_version_) {
    sync::lock_guard lock(shared_->mutex);
    ++shared_->receivers;
  }
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(const Receiver&) = delete;
  Receiver& operator=(Receiver&&) = delete;
  ~Receiver() {
    if (shared_ == nullptr) return;
    sync::lock_guard lock(shared_->mutex);
    --shared_->receivers;
  }

  // A copy of the newest value; does not mark it seen.
  T borrow() const {
    sync::lock_guard lock(shared_->mutex);
    return shared_->value;
  }
  // A copy of the newest value, marked seen.
  T borrow_and_update() {
    sync::lock_guard lock(shared_->mutex);
    seen_version_ = shared_->version;
    return shared_->value;
  }

  class Changed {
   public:
    using Output = bool;
    Changed(Changed&& other) noexcept
        : receiver_(other.receiver_), at_(other.at_), done_(other.done_) {
      if (detail_linked(other)) {
        // The list holds the other one's address: it keeps its place.
        report_misuse_no_unwind("a watch changed() was moved while it waits",
                                at_);
        done_ = true;
      }
    }
    ~Changed() {
      auto& shared = *receiver_.shared_;
      sync::lock_guard lock(shared.mutex);
      if (IntrusiveList<detail::Waiter>::linked(waiter_)) {
        shared.waiters.remove(waiter_);
      }
    }

    // Ready(true) when a value newer than the last seen exists (and marks
    // it seen), Ready(false) when the sender is gone.
    Poll<bool> poll(Context& cx) {
      if (done_) {
        report_misuse("poll of a watch changed() after it returned Ready", at_);
      }
      auto& shared = *receiver_.shared_;
      sync::lock_guard lock(shared.mutex);
      if (shared.version != receiver_.seen_version_) {
        receiver_.seen_version_ = shared.version;
        return finish(shared, true);
      }
      if (!shared.sender_alive) return finish(shared, false);
      store_waker(waiter_.waker, cx.waker());
      if (!IntrusiveList<detail::Waiter>::linked(waiter_)) {
        shared.waiters.push_back(waiter_);
      }
      return kPending;
    }

   private:
    friend class Receiver;
    Changed(Receiver& receiver, SourceLocation at)
        : receiver_(receiver), at_(at) {}
    static bool detail_linked(const Changed& changed) {
      return IntrusiveList<detail::Waiter>::linked(changed.waiter_);
    }
    Poll<bool> finish(detail::Shared<T>& shared, bool changed) {
      if (IntrusiveList<detail::Waiter>::linked(waiter_)) {
        shared.waiters.remove(waiter_);
      }
      done_ = true;
      return changed;
    }

    Receiver& receiver_;
    SourceLocation at_;
    bool done_ = false;
    detail::Waiter waiter_;
  };

  Changed changed(SourceLocation at = SourceLocation::current()) {
    return Changed(*this, at);
  }

 private:
  std::shared_ptr<detail::Shared<T>> shared_;
  std::uint64_t seen_version_ = 0;
};

template <typename T>
std::pair<Sender<T>, Receiver<T>> channel(T initial) {
  auto shared = std::make_shared<detail::Shared<T>>(std::move(initial));
  return {Sender<T>(shared), Receiver<T>(shared)};
}

}  // namespace weft::watch
