// weft::Semaphore: a count of permits that tasks acquire and give back.
//
//   acquire(n)       a future for n permits, granted in strict FIFO order
//                    (a large request at the front is not overtaken);
//                    Ready(SemaphorePermit), or Ready(nullopt) once closed.
//   try_acquire(n)   takes n permits now if no one is queued and enough
//                    are free.
//   add_permits(n)   adds permits, granting queued requests in order.
//   close()          fails every queued and future acquire.
// A SemaphorePermit gives its permits back when destroyed (forget() keeps
// them out for good).
//
// Cancellation safety: dropping an Acquire while queued unlinks it;
// dropping one whose permits were already granted, before it saw Ready,
// returns them (granting the next in line), so a cancelled acquire never
// leaks permits. A re-poll with a new waker wakes the new one. Thread safe;
// wakers are woken after the lock is released.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/intrusive_list.h"
#include "runtime/future/poll.h"
#include "runtime/future/wake_list.h"
#include "runtime/future/waker.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/mutex.h"

namespace weft {

class Semaphore;

class SemaphorePermit {
 public:
  SemaphorePermit(SemaphorePermit&& other) noexcept
      : semaphore_(std::exchange(other.semaphore_, nullptr)),
        count_(std::exchange(other.count_, 0)) {}
  SemaphorePermit& operator=(SemaphorePermit&& other) noexcept;
  SemaphorePermit(const SemaphorePermit&) = delete;
  // (Released by its destructor, the wake it causes has no site of its
  // own in a simulation's report; an explicit release() names its line.)
  ~SemaphorePermit() { release(SourceLocation{}); }

  std::size_t count() const noexcept { return count_; }
  // Keeps the permits out of the semaphore for good.
  void forget() noexcept {
    semaphore_ = nullptr;
    count_ = 0;
  }
  // Gives the permits back now.
  void release(SourceLocation at = SourceLocation::current());

 private:
  friend class Semaphore;
  SemaphorePermit(Semaphore* semaphore, std::size_t count)
      : semaphore_(semaphore), count_(count) {}

  Semaphore* semaphore_;
  std::size_t count_;
};

class Semaphore {
 public:
  class Acquire;

  explicit Semaphore(std::size_t permits) : permits_(permits) {}
  // Destroying a Semaphore that still has queued acquires is a misuse
  // (reported without unwinding); they are cut loose first.
  ~Semaphore();
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  Acquire acquire(std::size_t count = 1,
                  SourceLocation at = SourceLocation::current());
  std::optional<SemaphorePermit> try_acquire(std::size_t count = 1);
  // `at`: the caller's line (a simulation's report names it as the site
  // of the wakes it causes).
  void add_permits(std::size_t count,
                   SourceLocation at = SourceLocation::current());
  void close();

  bool is_closed() const;
  std::size_t available_permits() const;
  std::size_t waiter_count() const;

 private:
  enum class WaiterState : std::uint8_t {
    kQueued,
    kGranted,
    kClosed,
    kOrphaned,  // its Semaphore was destroyed while it waited
  };
  struct Waiter : ListLinks<Waiter> {
    Waker waker;
    std::size_t count = 0;
    WaiterState state = WaiterState::kQueued;
  };

  // Grants queued requests in order while the front one fits; their
  // wakers go to `wakes`, woken once the lock is released.
  void grant_locked(WakeList& wakes);

  mutable sync::mutex mutex_;
  IntrusiveList<Waiter> waiters_;
  std::size_t permits_;
  bool closed_ = false;
};

class Semaphore::Acquire {
 public:
  using Output = std::optional<SemaphorePermit>;

  Acquire(Acquire&& other) noexcept;
  Acquire& operator=(Acquire&&) = delete;
  ~Acquire();

  Poll<Output> poll(Context& cx);

 private:
  friend class Semaphore;
  enum class Phase : std::uint8_t { kNew, kQueued, kDone };
  Acquire(Semaphore& semaphore, std::size_t count, SourceLocation at)
      : semaphore_(&semaphore), at_(at) {
    waiter_.count = count;
  }

  Semaphore* semaphore_;
  SourceLocation at_;
  Phase phase_ = Phase::kNew;
  Waiter waiter_;
};

}  // namespace weft
