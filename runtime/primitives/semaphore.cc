#include "runtime/primitives/semaphore.h"

#include <string>

#include "runtime/future/wait_queue.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/mutex.h"

namespace weft {

SemaphorePermit& SemaphorePermit::operator=(SemaphorePermit&& other) noexcept {
  if (this != &other) {
    release();
    semaphore_ = std::exchange(other.semaphore_, nullptr);
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

void SemaphorePermit::release(SourceLocation at) {
  if (semaphore_ != nullptr && count_ > 0) {
    std::exchange(semaphore_, nullptr)->add_permits(count_, at);
  }
  semaphore_ = nullptr;
  count_ = 0;
}

Semaphore::~Semaphore() {
  const std::size_t orphaned =
      detail::orphan_waiters(mutex_, waiters_, WaiterState::kOrphaned);
  if (orphaned > 0) {
    report_misuse_no_unwind("a Semaphore was destroyed while " +
                            std::to_string(orphaned) +
                            " acquire(s) wait on it");
  }
}

Semaphore::Acquire Semaphore::acquire(std::size_t count, SourceLocation at) {
  return Acquire(*this, count, at);
}

std::optional<SemaphorePermit> Semaphore::try_acquire(std::size_t count) {
  sync::lock_guard lock(mutex_);
  if (closed_ || !waiters_.empty() || permits_ < count) return std::nullopt;
  permits_ -= count;
  return SemaphorePermit(this, count);
}

void Semaphore::add_permits(std::size_t count, SourceLocation at) {
  WakeList wakes(at);
  sync::lock_guard lock(mutex_);
  permits_ += count;
  grant_locked(wakes);
}

void Semaphore::grant_locked(WakeList& wakes) {
  while (Waiter* front = waiters_.front()) {
    if (front->count > permits_) return;  // strict FIFO: no overtaking
    permits_ -= front->count;
    waiters_.remove(*front);
    front->state = WaiterState::kGranted;
    // A granted waiter is Ready at its next poll: it needs its waker no
    // more.
    wakes.push(std::move(front->waker));
  }
}

void Semaphore::close() {
  WakeList wakes;
  sync::lock_guard lock(mutex_);
  closed_ = true;
  while (Waiter* waiter = waiters_.pop_front()) {
    waiter->state = WaiterState::kClosed;
    wakes.push(std::move(waiter->waker));
  }
}

bool Semaphore::is_closed() const {
  sync::lock_guard lock(mutex_);
  return closed_;
}

std::size_t Semaphore::available_permits() const {
  sync::lock_guard lock(mutex_);
  return permits_;
}

std::size_t Semaphore::waiter_count() const {
  sync::lock_guard lock(mutex_);
  return waiters_.size();
}

Semaphore::Acquire::Acquire(Acquire&& other) noexcept
    : semaphore_(other.semaphore_), at_(other.at_), phase_(other.phase_) {
  waiter_.count = other.waiter_.count;
  if (other.phase_ == Phase::kQueued) {
    // The queue holds the other one's address: it keeps its place; this
    // one is left inert.
    report_misuse_no_unwind("a Semaphore::Acquire was moved while it waits",
                            at_);
    phase_ = Phase::kDone;
    return;
  }
  other.phase_ = Phase::kDone;
  other.semaphore_ = nullptr;
}

Semaphore::Acquire::~Acquire() {
  if (phase_ != Phase::kQueued) return;
  if (waiter_.state == WaiterState::kOrphaned) return;  // Semaphore is gone
  WakeList wakes;
  sync::lock_guard lock(semaphore_->mutex_);
  if (IntrusiveList<Waiter>::linked(waiter_)) {
    semaphore_->waiters_.remove(waiter_);
    // Leaving the front may let the next request through.
    semaphore_->grant_locked(wakes);
  } else if (waiter_.state == WaiterState::kGranted) {
    // Granted but never delivered: give the permits back.
    semaphore_->permits_ += waiter_.count;
    semaphore_->grant_locked(wakes);
  }
}

Poll<Semaphore::Acquire::Output> Semaphore::Acquire::poll(Context& cx) {
  if (phase_ == Phase::kDone) {
    report_misuse(semaphore_ == nullptr
                      ? "poll of a moved-from Semaphore::Acquire"
                      : "poll of a Semaphore::Acquire after it returned Ready",
                  at_);
  }
  sync::lock_guard lock(semaphore_->mutex_);
  if (phase_ == Phase::kNew) {
    if (semaphore_->closed_) {
      phase_ = Phase::kDone;
      return Output(std::nullopt);
    }
    if (semaphore_->waiters_.empty() && semaphore_->permits_ >= waiter_.count) {
      semaphore_->permits_ -= waiter_.count;
      phase_ = Phase::kDone;
      return Output(SemaphorePermit(semaphore_, waiter_.count));
    }
    waiter_.waker = cx.waker();
    semaphore_->waiters_.push_back(waiter_);
    phase_ = Phase::kQueued;
    return kPending;
  }
  switch (waiter_.state) {
    case WaiterState::kQueued:
      store_waker(waiter_.waker, cx.waker());
      return kPending;
    case WaiterState::kGranted:
      phase_ = Phase::kDone;
      return Output(SemaphorePermit(semaphore_, waiter_.count));
    case WaiterState::kClosed:
      phase_ = Phase::kDone;
      return Output(std::nullopt);
    case WaiterState::kOrphaned:
      break;
  }
  report_misuse("poll of a Semaphore::Acquire whose Semaphore was destroyed",
                at_);
}

}  // namespace weft
