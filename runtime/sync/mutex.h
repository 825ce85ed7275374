// weft::sync::mutex and weft::sync::condition_variable: std::mutex and
// std::condition_variable whose lock, unlock, wait and notify are
// scheduling points under the simulator (see sync_hooks.h), where a
// contended lock or a wait blocks the simulated thread.
//
// Both work with std::lock_guard / std::unique_lock<weft::sync::mutex>;
// weft::sync::lock_guard and weft::sync::unique_lock are the same with the
// caller's line recorded, so a deadlock report names it (through the std::
// ones it names the line inside the standard header).
// Under the simulator the std:: objects inside are not touched: the
// simulator keeps who holds the mutex and who waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <type_traits>
#include <utility>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

class mutex {
 public:
  mutex() = default;
  ~mutex() {
    if (SyncHooks* hooks = simulated_sync()) hooks->forget(this);
  }
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;

  void lock(SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      if (hooks->threads_started() || !hooks->alone_lock(this, site)) {
        hooks->mutex_lock(this, site);
      }
      return;
    }
    native_.lock();
  }
  bool try_lock(SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      if (!hooks->threads_started() && !hooks->alone_holds(this) &&
          hooks->alone_lock(this, site)) {
        return true;
      }
      return hooks->mutex_try_lock(this, site);
    }
    return native_.try_lock();
  }
  void unlock(SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      if (hooks->threads_started() || !hooks->alone_unlock(this)) {
        hooks->mutex_unlock(this, site);
      }
      return;
    }
    native_.unlock();
  }

 private:
  friend class condition_variable;
  std::mutex native_;
};

class condition_variable {
 public:
  condition_variable() = default;
  ~condition_variable() {
    if (SyncHooks* hooks = simulated_sync()) hooks->forget(this);
  }
  condition_variable(const condition_variable&) = delete;
  condition_variable& operator=(const condition_variable&) = delete;

  // Under the simulator a wait returns only after a notify (no spurious
  // wakeups); code must still wait in a loop, as with std.
  void wait(std::unique_lock<mutex>& lock,
            SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      hooks->condvar_wait(this, lock.mutex(), site);
      return;
    }
    std::unique_lock<std::mutex> native(lock.mutex()->native_, std::adopt_lock);
    native_.wait(native);
    (void)native.release();
  }
  template <typename Predicate>
  void wait(std::unique_lock<mutex>& lock, Predicate ready,
            SourceLocation site = SourceLocation::current()) {
    while (!ready()) wait(lock, site);
  }
  // Under the simulator the deadline is not simulated: a timed wait waits
  // for its predicate like wait() (simulated threads have no real clock).
  template <typename Clock, typename Duration, typename Predicate>
  bool wait_until(std::unique_lock<mutex>& lock,
                  const std::chrono::time_point<Clock, Duration>& deadline,
                  Predicate ready,
                  SourceLocation site = SourceLocation::current()) {
    if (simulated_sync() != nullptr) [[unlikely]] {
      wait(lock, std::move(ready), site);
      return true;
    }
    std::unique_lock<std::mutex> native(lock.mutex()->native_, std::adopt_lock);
    const bool result = native_.wait_until(native, deadline, std::move(ready));
    (void)native.release();
    return result;
  }
  void notify_one(SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      if (!hooks->threads_started()) return;  // nobody can be waiting
      hooks->condvar_notify(this, false, site);
      return;
    }
    native_.notify_one();
  }
  void notify_all(SourceLocation site = SourceLocation::current()) {
    if (SyncHooks* hooks = simulated_sync()) [[unlikely]] {
      if (!hooks->threads_started()) return;  // nobody can be waiting
      hooks->condvar_notify(this, true, site);
      return;
    }
    native_.notify_all();
  }

 private:
  std::condition_variable native_;
};

// std::lock_guard that records where it locked. A template as std's is, so
// both `lock_guard lock(m)` and `lock_guard<weft::sync::mutex> lock(m)`
// compile.
template <typename Mutex = mutex>
class lock_guard {
  static_assert(std::is_same_v<Mutex, weft::sync::mutex>,
                "weft::sync::lock_guard takes a weft::sync::mutex (use "
                "std::lock_guard for other mutexes)");

 public:
  explicit lock_guard(Mutex& held,
                      SourceLocation site = SourceLocation::current())
      : held_(held), site_(site) {
    held_.lock(site_);
  }
  ~lock_guard() { held_.unlock(site_); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;

 private:
  Mutex& held_;
  SourceLocation site_;
};

// std::unique_lock<weft::sync::mutex> that records where it first locked;
// condition_variable::wait takes it. A template as std's is (see
// lock_guard).
template <typename Mutex = mutex>
class unique_lock : public std::unique_lock<Mutex> {
  // (weft::sync::mutex spelled out: std::unique_lock has a member mutex().)
  static_assert(std::is_same_v<Mutex, weft::sync::mutex>,
                "weft::sync::unique_lock takes a weft::sync::mutex (use "
                "std::unique_lock for other mutexes)");

 public:
  explicit unique_lock(Mutex& held,
                       SourceLocation site = SourceLocation::current())
      : std::unique_lock<Mutex>((held.lock(site), held), std::adopt_lock) {}
};

}  // namespace weft::sync
