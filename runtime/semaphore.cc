#include "runtime/semaphore.h"

#include <string>

#include "runtime/misuse.h"

namespace weft {

SemaphorePermit& SemaphorePermit::operator=(SemaphorePermit&& other) noexcept {
  if (this != &other) {
    release();
    semaphore_ = std::exchange(other.semaphore_, nullptr);
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

void SemaphorePermit::release() {
  if (semaphore_ != nullptr && count_ > 0) {
    std::exchange(semaphore_, nullptr)->add_permits(count_);
  }
  semaphore_ = nullptr;
  count_ = 0;
}

Semaphore::~Semaphore() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!waiters_.empty()) {
    report_misuse("a Semaphore was destroyed while " +
                  std::to_string(waiters_.size()) + " acquire(s) wait on it");
  }
}

Semaphore::Acquire Semaphore::acquire(std::size_t count, SourceLocation at) {
  return Acquire(*this, count, at);
}

std::optional<SemaphorePermit> Semaphore::try_acquire(std::size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || !waiters_.empty() || permits_ < count) return std::nullopt;
  permits_ -= count;
  return SemaphorePermit(this, count);
}

void Semaphore::add_permits(std::size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  permits_ += count;
  grant_locked();
}

void Semaphore::grant_locked() {
  while (Waiter* front = waiters_.front()) {
    if (front->count > permits_) return;  // strict FIFO: no overtaking
    permits_ -= front->count;
    waiters_.remove(*front);
    front->state = WaiterState::kGranted;
    front->waker.wake_by_ref();
  }
}

void Semaphore::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  while (Waiter* waiter = waiters_.pop_front()) {
    waiter->state = WaiterState::kClosed;
    waiter->waker.wake_by_ref();
  }
}

bool Semaphore::is_closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_;
}

std::size_t Semaphore::available_permits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return permits_;
}

std::size_t Semaphore::waiter_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

Semaphore::Acquire::Acquire(Acquire&& other) noexcept
    : semaphore_(other.semaphore_), at_(other.at_), phase_(other.phase_) {
  if (other.phase_ == Phase::kQueued) {
    report_misuse("a Semaphore::Acquire was moved while it waits", at_);
  }
  waiter_.count = other.waiter_.count;
  other.phase_ = Phase::kDone;
  other.semaphore_ = nullptr;
}

Semaphore::Acquire::~Acquire() {
  if (phase_ != Phase::kQueued) return;
  std::lock_guard<std::mutex> lock(semaphore_->mutex_);
  if (IntrusiveList<Waiter>::linked(waiter_)) {
    semaphore_->waiters_.remove(waiter_);
    // Leaving the front may let the next request through.
    semaphore_->grant_locked();
  } else if (waiter_.state == WaiterState::kGranted) {
    // Granted but never delivered: give the permits back.
    semaphore_->permits_ += waiter_.count;
    semaphore_->grant_locked();
  }
}

Poll<Semaphore::Acquire::Output> Semaphore::Acquire::poll(Context& cx) {
  if (phase_ == Phase::kDone) {
    report_misuse(semaphore_ == nullptr
                      ? "poll of a moved-from Semaphore::Acquire"
                      : "poll of a Semaphore::Acquire after it returned Ready",
                  at_);
  }
  std::lock_guard<std::mutex> lock(semaphore_->mutex_);
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
  }
  return kPending;
}

}  // namespace weft
