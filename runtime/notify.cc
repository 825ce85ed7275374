#include "runtime/notify.h"

#include <string>

#include "runtime/misuse.h"

namespace weft {

Notify::~Notify() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!waiters_.empty()) {
    report_misuse("a Notify was destroyed while " +
                  std::to_string(waiters_.size()) + " task(s) wait on it");
  }
}

void Notify::notify_one() {
  std::lock_guard<std::mutex> lock(mutex_);
  notify_one_locked();
}

void Notify::notify_one_locked() {
  Waiter* waiter = waiters_.pop_front();
  if (waiter == nullptr) {
    permit_ = true;
    return;
  }
  waiter->state = WaiterState::kChosenByOne;
  waiter->waker.wake_by_ref();
}

void Notify::notify_waiters() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (Waiter* waiter = waiters_.pop_front()) {
    waiter->state = WaiterState::kChosenByAll;
    waiter->waker.wake_by_ref();
  }
}

Notify::Notified Notify::notified(SourceLocation at) {
  return Notified(*this, at);
}

std::size_t Notify::waiter_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

bool Notify::has_permit() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return permit_;
}

Notify::Notified::Notified(Notified&& other) noexcept
    : notify_(other.notify_), at_(other.at_), phase_(other.phase_) {
  if (other.phase_ == Phase::kWaiting) {
    report_misuse("a Notified was moved while it waits", at_);
  }
  other.phase_ = Phase::kDone;
  other.notify_ = nullptr;
}

Notify::Notified::~Notified() {
  if (phase_ != Phase::kWaiting) return;
  std::lock_guard<std::mutex> lock(notify_->mutex_);
  if (IntrusiveList<Waiter>::linked(waiter_)) {
    notify_->waiters_.remove(waiter_);
  } else if (waiter_.state == WaiterState::kChosenByOne) {
    // Chosen but never saw it: hand the notification on.
    notify_->notify_one_locked();
  }
}

Poll<void> Notify::Notified::poll(Context& cx) {
  if (phase_ == Phase::kDone) {
    report_misuse(notify_ == nullptr
                      ? "poll of a moved-from Notified"
                      : "poll of a Notified after it returned Ready",
                  at_);
  }
  std::lock_guard<std::mutex> lock(notify_->mutex_);
  if (phase_ == Phase::kNew) {
    if (notify_->permit_) {
      notify_->permit_ = false;
      phase_ = Phase::kDone;
      return ready();
    }
    waiter_.waker = cx.waker();
    notify_->waiters_.push_back(waiter_);
    phase_ = Phase::kWaiting;
    return kPending;
  }
  if (waiter_.state == WaiterState::kWaiting) {
    store_waker(waiter_.waker, cx.waker());
    return kPending;
  }
  phase_ = Phase::kDone;
  return ready();
}

}  // namespace weft
