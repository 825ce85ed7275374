// weft::Mutex<T>: an async lock around a value of type T. lock() is a future
// for a MutexGuard<T>; waiters get the lock in FIFO order (it is a
// Semaphore with one permit, so it inherits that fairness and its
// cancellation safety: a lock() dropped while queued leaves the queue, and
// one dropped after the lock was handed to it passes the lock on).
//
// Destroying a Mutex while a guard or a queued lock() is alive is a misuse
// (reported without unwinding).
#pragma once

#include <atomic>
#include <optional>
#include <utility>

#include "runtime/primitives/semaphore.h"
#include "runtime/seam/misuse.h"

namespace weft {

template <typename T>
class Mutex;

template <typename T>
class MutexGuard {
 public:
  MutexGuard(MutexGuard&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)),
        permit_(std::move(other.permit_)) {}
  MutexGuard& operator=(MutexGuard&&) = delete;
  MutexGuard(const MutexGuard&) = delete;
  ~MutexGuard() { unlock(SourceLocation{}); }

  T& operator*() const noexcept { return mutex_->value_; }
  T* operator->() const noexcept { return &mutex_->value_; }

  // Releases the lock before the guard goes out of scope (`at`: the line
  // a simulation's report names for the wake it causes).
  void unlock(SourceLocation at = SourceLocation::current()) {
    if (mutex_ == nullptr) return;
    std::exchange(mutex_, nullptr)->guards_.fetch_sub(1);  // a count
    permit_.release(at);
  }

 private:
  friend class Mutex<T>;
  MutexGuard(Mutex<T>* mutex, SemaphorePermit permit)
      : mutex_(mutex), permit_(std::move(permit)) {
    mutex_->guards_.fetch_add(1);  // sequentially consistent: a count
  }

  Mutex<T>* mutex_;
  SemaphorePermit permit_;
};

template <typename T>
class Mutex {
 public:
  explicit Mutex(T value = T()) : value_(std::move(value)) {}
  ~Mutex() {
    // Sequentially consistent: a count, read once at destruction.
    if (guards_.load() != 0) {
      report_misuse_no_unwind(
          "a weft::Mutex was destroyed while a guard holds it");
    }
  }
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  class Lock {
   public:
    using Output = MutexGuard<T>;
    Poll<MutexGuard<T>> poll(Context& cx) {
      if (done_) {
        report_misuse("poll of a Mutex::Lock after it returned Ready", at_);
      }
      auto acquired = acquire_.poll(cx);
      if (acquired.is_pending()) return kPending;
      done_ = true;
      std::optional<SemaphorePermit> permit = std::move(acquired).take();
      // The semaphore of a Mutex is never closed, so a permit always comes.
      return MutexGuard<T>(mutex_, std::move(*permit));
    }

   private:
    friend class Mutex;
    Lock(Mutex* mutex, SourceLocation at)
        : mutex_(mutex), at_(at), acquire_(mutex->semaphore_.acquire(1, at)) {}
    Mutex* mutex_;
    SourceLocation at_;
    Semaphore::Acquire acquire_;
    bool done_ = false;
  };

  Lock lock(SourceLocation at = SourceLocation::current()) {
    return Lock(this, at);
  }
  std::optional<MutexGuard<T>> try_lock() {
    std::optional<SemaphorePermit> permit = semaphore_.try_acquire(1);
    if (!permit) return std::nullopt;
    return MutexGuard<T>(this, std::move(*permit));
  }
  bool is_locked() const { return semaphore_.available_permits() == 0; }

 private:
  friend class MutexGuard<T>;
  T value_;
  Semaphore semaphore_{1};
  std::atomic<int> guards_{0};
};

}  // namespace weft
