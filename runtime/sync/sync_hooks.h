// weft::sync::SyncHooks: what weft::sync's atomics, mutex, condition
// variable, threads and Cell ask when a simulation runs them.
//
// weft::sync is the facade that lets code use the same synchronization in
// production and under the simulator (loom's cfg(loom) swap, done at run
// time through the one seam): each operation first reads the thread's
// ThreadRuntime::sync. In production it is nullptr and the operation is
// the std:: one it wraps (the cost is that one thread-local read). Under
// the simulator it is the simulated-thread scheduler: every operation is a
// scheduling point where another simulated thread may run, chosen by the
// run's decision stream, and locks, waits and joins block the simulated
// thread instead of the real one.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "runtime/seam/hooks.h"
#include "runtime/seam/source_location.h"
#include "runtime/sync/unique_function.h"

namespace weft::sync {

enum class AccessKind : std::uint8_t { kLoad, kStore, kReadModifyWrite };

class SyncHooks {
 public:
  // Which simulated run these hooks belong to (numbered from 1 in the
  // process): objects made in one run (a thread, a locked mutex) must not
  // be used in another.
  std::uint64_t run_id() const noexcept { return run_id_; }

  // Until the simulation's first thread starts nothing can interleave, so
  // the facade keeps to a fast path (inline, no call into the simulator):
  // atomics and Cells cost nothing, and the mutexes held are a short list
  // here, which the simulator takes over when the first thread starts.
  bool threads_started() const noexcept { return threads_started_; }
  // Records a lock of `mutex` before threads start; false when the slow
  // path must take it (held already: a self-deadlock; or the list is full).
  bool alone_lock(const void* mutex, SourceLocation site) noexcept {
    if (alone_held_count_ == kAloneHeldMax || alone_holds(mutex)) return false;
    alone_held_[alone_held_count_++] = AloneLock{mutex, site};
    return true;
  }
  // Records an unlock before threads start; false if `mutex` is not held.
  bool alone_unlock(const void* mutex) noexcept {
    // Locks are mostly released in reverse order: search from the back.
    for (std::size_t i = alone_held_count_; i > 0; --i) {
      if (alone_held_[i - 1].mutex != mutex) continue;
      for (std::size_t j = i; j < alone_held_count_; ++j) {
        alone_held_[j - 1] = alone_held_[j];
      }
      --alone_held_count_;
      return true;
    }
    return false;
  }
  bool alone_holds(const void* mutex) const noexcept {
    for (std::size_t i = 0; i < alone_held_count_; ++i) {
      if (alone_held_[i].mutex == mutex) return true;
    }
    return false;
  }

  // An atomic operation on `object` is about to run: a scheduling point.
  // When it returns, the operation runs at once (nothing else runs
  // between the two), then tells its effect by one of the next two calls.
  virtual void on_atomic(const void* object, AccessKind kind,
                         std::memory_order order, SourceLocation site) = 0;
  // A load of `object`: `value` holds the newest value's bits (nullptr for
  // a type the memory model does not cover, which reads the newest). True
  // when the load reads an older store instead: `value` then holds it.
  virtual bool atomic_read(const void* object, std::memory_order order,
                           SourceLocation site, std::uint64_t* value) = 0;
  // A store or read-modify-write of `object` took effect: `previous` is the
  // value it replaced (or read), `value` the one stored; `stored` false
  // for a compare-exchange that failed (a load of the newest value).
  virtual void atomic_written(const void* object, AccessKind kind,
                              std::memory_order order, SourceLocation site,
                              bool stored, std::uint64_t previous,
                              std::uint64_t value) = 0;
  // weft::sync::atomic_thread_fence.
  virtual void fence(std::memory_order order, SourceLocation site) = 0;
  virtual void mutex_lock(const void* mutex, SourceLocation site) = 0;
  virtual bool mutex_try_lock(const void* mutex, SourceLocation site) = 0;
  virtual void mutex_unlock(const void* mutex, SourceLocation site) = 0;
  // Unlocks `mutex`, waits for a notify of `condvar`, locks `mutex` again.
  virtual void condvar_wait(const void* condvar, const void* mutex,
                            SourceLocation site) = 0;
  virtual void condvar_notify(const void* condvar, bool all,
                              SourceLocation site) = 0;
  // Starts a simulated thread running `body`; returns its id (>= 1).
  virtual std::uint32_t thread_spawn(UniqueFunction body,
                                     SourceLocation site) = 0;
  virtual void thread_join(std::uint32_t thread, SourceLocation site) = 0;
  virtual void thread_detach(std::uint32_t thread) = 0;
  // A thread handle still joinable was destroyed (std::terminate in
  // production): report it.
  virtual void thread_dropped_joinable(std::uint32_t thread,
                                       SourceLocation site) = 0;
  // Let another simulated thread run (spin loops, yield_now).
  virtual void yield(SourceLocation site) = 0;
  // Whether the simulation wants the values atomics read and write (a run
  // recorded for a report): the facade then tells them after each
  // operation. `loaded`/`stored` say which of the two values there are;
  // `is_signed`: the values are two's complement of a signed type.
  bool values_wanted() const noexcept { return values_wanted_; }
  virtual void atomic_values(const void* object, bool is_signed, bool loaded,
                             std::uint64_t load_value, bool stored,
                             std::uint64_t store_value) {
    (void)object;
    (void)is_signed;
    (void)loaded;
    (void)load_value;
    (void)stored;
    (void)store_value;
  }
  // A read or write of a weft::sync::Cell: the data-race check.
  virtual void on_cell_access(const void* cell, bool write,
                              SourceLocation site) = 0;
  // `object` (an atomic, mutex, condition variable or Cell) is being
  // destroyed; its address may be reused.
  virtual void forget(const void* object) noexcept = 0;

 protected:
  ~SyncHooks() = default;

  struct AloneLock {
    const void* mutex = nullptr;
    SourceLocation site;
  };
  static constexpr std::size_t kAloneHeldMax = 8;
  std::uint64_t run_id_ = 0;
  bool threads_started_ = false;
  bool values_wanted_ = false;  // set by the simulation, see values_wanted
  AloneLock alone_held_[kAloneHeldMax];
  std::size_t alone_held_count_ = 0;
};

// The simulation's hooks on this thread, or nullptr in production.
inline SyncHooks* simulated_sync() noexcept {
  return this_thread_runtime().sync;
}

// The hooks when simulated threads can interleave (a simulation whose
// first thread has started), else nullptr.
inline SyncHooks* interleaving_sync() noexcept {
  SyncHooks* hooks = this_thread_runtime().sync;
  return hooks != nullptr && hooks->threads_started() ? hooks : nullptr;
}

}  // namespace weft::sync
