// Simulated threads: the weft::sync operations (atomics, mutexes,
// condition variables, threads), each a scheduling point, with the
// happens-before edges the data-race check follows, and alone mode (no
// thread spawned yet: locks are a short list, atomics cost nothing).
#include <algorithm>
#include <iterator>
#include <utility>

#include "sim/report/site_text.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/thread_state.h"

namespace weft::sim {

// --- weft::sync: atomics, mutexes, condition variables ---------------------

SimThreads::Object& SimThreads::object(const void* address) {
  return objects_[address];
}

void SimThreads::acquire(const VectorClock& from) {
  threads_[current_]->clock.join(from);
}

const VectorClock& SimThreads::running_clock() const noexcept {
  return threads_[current_]->clock;
}

void SimThreads::release(VectorClock& into, bool replace) {
  Thread& self = *threads_[current_];
  if (replace) into.clear();
  into.join(self.clock);
  self.clock.tick(current_);
}

void SimThreads::on_atomic(const void* address, sync::AccessKind kind,
                           std::memory_order order, SourceLocation site) {
  stopping_at(kind == sync::AccessKind::kLoad ? ThreadOp::kAtomicLoad
              : kind == sync::AccessKind::kStore
                  ? ThreadOp::kAtomicStore
                  : ThreadOp::kAtomicReadModifyWrite,
              site);
  // (Alone, the facade does not call: one thread has nothing to switch
  // to, and all it does is ordered before any thread it spawns later.)
  // Spin loops read: a load may stop a spinning thread; a read-modify-write
  // (reference counts in noexcept code) never throws.
  count_operation(kind == sync::AccessKind::kLoad);
  reschedule(true);
  // What the operation reads and publishes: atomic_read or atomic_written
  // (memory_model.cc), called when it took effect.
  (void)address;
  (void)order;
}

void SimThreads::lock_now(const void* mutex, SourceLocation site) {
  for (;;) {
    Object& state = object(mutex);
    if (!state.locked) {
      state.locked = true;
      state.holder = current_;
      state.locked_at = site;
      acquire(state.clock);
      return;
    }
    if (state.holder == current_ && !stopping()) {
      host_.fail(Checker::kDeadlock,
                 thread_name(current_) +
                     " locks a mutex it already holds (it locked it at " +
                     site_text(state.locked_at) + "; again at " +
                     site_text(site) + ")");
    }
    if (!block(Wait::kMutex, mutex, state.holder, site)) return;
  }
}

void SimThreads::mutex_lock(const void* mutex, SourceLocation site) {
  stopping_at(ThreadOp::kMutexLock, site);
  // Alone, the facade calls only for a held mutex or a full list.
  leave_alone_mode();
  count_operation(false);
  reschedule(true);
  lock_now(mutex, site);
}

bool SimThreads::mutex_try_lock(const void* mutex, SourceLocation site) {
  stopping_at(ThreadOp::kMutexTryLock, site);
  leave_alone_mode();
  count_operation();
  reschedule(true);
  Object& state = object(mutex);
  if (state.locked) return false;
  state.locked = true;
  state.holder = current_;
  state.locked_at = site;
  acquire(state.clock);
  return true;
}

void SimThreads::unlock_now(const void* mutex, SourceLocation site) {
  Object& state = object(mutex);
  if ((!state.locked || state.holder != current_) && !stopping()) {
    host_.fail(Checker::kProtocolMisuse,
               thread_name(current_) + " unlocks a mutex at " +
                   site_text(site) + " that it does not hold");
    return;
  }
  state.locked = false;
  release(state.clock, true);
  for (const std::unique_ptr<Thread>& thread : threads_) {
    if (thread->wait == Wait::kMutex && thread->waiting_on == mutex) {
      make_runnable(thread->id);
    }
  }
}

void SimThreads::mutex_unlock(const void* mutex, SourceLocation site) {
  stopping_at(ThreadOp::kMutexUnlock, site);
  // Alone, the facade calls only for a mutex not held: reported below.
  leave_alone_mode();
  unlock_now(mutex, site);
  // A point after the unlock (never throws: unlocks run in destructors).
  count_operation(false);
  reschedule(true);
}

void SimThreads::condvar_wait(const void* condvar, const void* mutex,
                              SourceLocation site) {
  stopping_at(ThreadOp::kCondvarWait, site);
  leave_alone_mode();
  count_operation();
  unlock_now(mutex, site);
  object(condvar).waiters.push_back(current_);
  const bool waited = block(Wait::kCondvar, condvar, 0, site);
  if (!waited) {
    // Given up (the run ended): leave the waiter list.
    std::vector<std::uint32_t>& waiters = object(condvar).waiters;
    waiters.erase(std::remove(waiters.begin(), waiters.end(), current_),
                  waiters.end());
  }
  lock_now(mutex, site);
}

void SimThreads::condvar_notify(const void* condvar, bool all,
                                SourceLocation site) {
  stopping_at(ThreadOp::kCondvarNotify, site);
  std::vector<std::uint32_t>& waiters = object(condvar).waiters;
  const std::size_t count =
      all ? waiters.size() : std::min<std::size_t>(1, waiters.size());
  for (std::size_t i = 0; i < count; ++i) make_runnable(waiters[i]);
  waiters.erase(waiters.begin(),
                waiters.begin() + static_cast<std::ptrdiff_t>(count));
  count_operation(false);
  reschedule(true);
}

void SimThreads::forget(const void* address) noexcept {
  // A mutex destroyed while held leaves no entry behind for the next
  // object at its address.
  if (alone()) (void)alone_unlock(address);
  if (!objects_.empty()) objects_.erase(address);
}

void SimThreads::leave_alone_mode() {
  if (!alone()) return;
  threads_started_ = true;
  for (std::size_t i = 0; i < alone_held_count_; ++i) {
    Object& state = object(alone_held_[i].mutex);
    state.locked = true;
    state.holder = 0;
    state.locked_at = alone_held_[i].site;
  }
  alone_held_count_ = 0;
}

// --- weft::sync: threads ----------------------------------------------------

std::uint32_t SimThreads::thread_spawn(sync::UniqueFunction body,
                                       SourceLocation site) {
  stopping_at(ThreadOp::kThreadSpawn, site);
  leave_alone_mode();
  if (threads_.size() > threads_max_) {
    host_.fail(Checker::kTaskBudget,
               "more than " + std::to_string(threads_max_) +
                   " simulated threads (limits.threads_max)");
    if (may_unwind()) abort_running_thread();
  }
  auto thread = std::make_unique<Thread>();
  Thread& made = *thread;
  made.owner = this;
  made.id = static_cast<std::uint32_t>(threads_.size());
  made.body = std::move(body);
  made.spawned_at = site;
  made.stopped_site = site;
  made.fiber = std::make_unique<Fiber>(&SimThreads::fiber_entry, &made);
  made.context = &made.fiber->context();
  made.clock = threads_[current_]->clock;
  made.clock.tick(made.id);
  threads_[current_]->clock.tick(current_);
  threads_.push_back(std::move(thread));
  ++unfinished_;
  host_.record_event(EventKind::kThreadSpawn, made.id, current_, site);
  if (RunDetail* detail = host_.detail()) {
    RunDetail::slot(detail->threads, made.id).created_at = site;
  }
  const std::uint32_t id = made.id;
  count_operation();
  reschedule(true);
  return id;
}

void SimThreads::fiber_entry(void* argument) {
  Thread& self = *static_cast<Thread*>(argument);
  SimThreads& threads = *self.owner;
  if (!threads.stopping()) {
    try {
      self.body();
    } catch (const ThreadUnwind&) {
    } catch (const RunAborted&) {
    } catch (const std::exception& error) {
      threads.host_.fail(Checker::kUncaughtException,
                         threads.thread_name(self.id) +
                             " ended with an exception: " + error.what());
    } catch (...) {
      threads.host_.fail(
          Checker::kUncaughtException,
          threads.thread_name(self.id) +
              " ended with an exception not derived from std::exception");
    }
  }
  try {
    self.body = nullptr;  // what it captured dies on its own thread
  } catch (...) {
  }
  threads.finish_running_thread();
}

void SimThreads::finish_running_thread() {
  Thread& self = *threads_[current_];
  self.state = Thread::State::kFinished;
  self.stopped_op = ThreadOp::kFinish;
  self.stopped_site = {};
  self.finished_step = host_.step();
  --unfinished_;
  host_.record_event(EventKind::kThreadFinish, current_, 0);
  for (const std::unique_ptr<Thread>& thread : threads_) {
    if (thread->wait == Wait::kJoin && thread->waiting_for == self.id) {
      make_runnable(thread->id);
    }
  }
  if (unwinding_) {
    switch_to(0);  // back to unwind_all()
  } else {
    reschedule(false);
    // Nobody could run (a deadlock among the others, already reported):
    // the executor ends the run.
    switch_to(0);
  }
  std::abort();  // a finished fiber is never resumed
}

void SimThreads::thread_join(std::uint32_t id, SourceLocation site) {
  stopping_at(ThreadOp::kThreadJoin, site);
  count_operation(false);  // joins run in destructors
  reschedule(true);
  if (id == 0 || id >= threads_.size()) return;
  Thread& target = *threads_[id];
  if (id == current_) {
    host_.fail(Checker::kDeadlock,
               thread_name(id) + " joins itself at " + site_text(site));
    return;
  }
  while (target.state != Thread::State::kFinished) {
    if (!block(Wait::kJoin, nullptr, id, site)) return;
  }
  acquire(target.clock);
}

void SimThreads::thread_detach(std::uint32_t id) {
  // Nothing to record: the run waits for every thread anyway.
  (void)id;
}

void SimThreads::thread_dropped_joinable(std::uint32_t id,
                                         SourceLocation site) {
  if (stopping()) return;
  host_.fail(Checker::kProtocolMisuse,
             "a weft::sync::thread handle of " + thread_name(id) +
                 " (spawned at " + site_text(site) +
                 ") was destroyed while joinable: join or detach it "
                 "first (std::thread calls std::terminate)");
}

void SimThreads::yield(SourceLocation site) {
  stopping_at(ThreadOp::kYield, site);
  (void)site;
  if (alone()) {
    count_operation();  // a spin with no other thread: only the budget
    return;
  }
  count_operation();
  // Someone else runs if anyone can; the yielding thread only when alone.
  reschedule(!any_runnable_besides(current_));
}

bool SimThreads::any_runnable_besides(std::uint32_t id) const noexcept {
  for (const std::unique_ptr<Thread>& thread : threads_) {
    if (thread->id != id && thread->state == Thread::State::kRunnable) {
      return true;
    }
  }
  return false;
}

}  // namespace weft::sim
