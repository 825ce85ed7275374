#include "runtime/primitives/notify.h"

#include <string>

#include "runtime/future/wait_queue.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/mutex.h"

namespace weft {

Notify::~Notify() {
  const std::size_t orphaned =
      detail::orphan_waiters(mutex_, waiters_, WaiterState::kOrphaned);
  if (orphaned > 0) {
    report_misuse_no_unwind("a Notify was destroyed while " +
                            std::to_string(orphaned) + " task(s) wait on it");
  }
}

void Notify::notify_one(SourceLocation at) {
  WakeList wakes(at);
  sync::lock_guard lock(mutex_);
  notify_one_locked(wakes);
}

void Notify::notify_one_locked(WakeList& wakes) {
  Waiter* waiter = waiters_.pop_front();
  if (waiter == nullptr) {
    permit_ = true;
    return;
  }
  waiter->state = WaiterState::kChosenByOne;
  // A chosen waiter is Ready at its next poll: it needs its waker no more.
  wakes.push(std::move(waiter->waker));
}

void Notify::notify_waiters(SourceLocation at) {
  WakeList wakes(at);
  sync::lock_guard lock(mutex_);
  while (Waiter* waiter = waiters_.pop_front()) {
    waiter->state = WaiterState::kChosenByAll;
    wakes.push(std::move(waiter->waker));
  }
}

Notify::Notified Notify::notified(SourceLocation at) {
  return Notified(*this, at);
}

std::size_t Notify::waiter_count() const {
  sync::lock_guard lock(mutex_);
  return waiters_.size();
}

bool Notify::has_permit() const {
  sync::lock_guard lock(mutex_);
  return permit_;
}

Notify::Notified::Notified(Notified&& other) noexcept
    : notify_(other.notify_), at_(other.at_), phase_(other.phase_) {
  if (other.phase_ == Phase::kWaiting) {
    // The list holds the other one's address: it keeps its place (and
    // unlinks itself when dropped); this one is left inert.
    report_misuse_no_unwind("a Notified was moved while it waits", at_);
    phase_ = Phase::kDone;
    return;
  }
  other.phase_ = Phase::kDone;
  other.notify_ = nullptr;
}

Notify::Notified::~Notified() {
  if (phase_ != Phase::kWaiting) return;
  if (waiter_.state == WaiterState::kOrphaned) return;  // Notify is gone
  WakeList wakes;
  sync::lock_guard lock(notify_->mutex_);
  if (IntrusiveList<Waiter>::linked(waiter_)) {
    notify_->waiters_.remove(waiter_);
  } else if (waiter_.state == WaiterState::kChosenByOne) {
    // Chosen but never saw it: hand the notification on.
    notify_->notify_one_locked(wakes);
  }
}

Poll<void> Notify::Notified::poll(Context& cx) {
  if (phase_ == Phase::kDone) {
    report_misuse(notify_ == nullptr
                      ? "poll of a moved-from Notified"
                      : "poll of a Notified after it returned Ready",
                  at_);
  }
  if (waiter_.state == WaiterState::kOrphaned) {
    report_misuse("poll of a Notified whose Notify was destroyed", at_);
  }
  sync::lock_guard lock(notify_->mutex_);
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
