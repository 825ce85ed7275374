// Simulated threads: scheduling points, blocking, the executor thread's
// part, and the end of a run. The data-race check is in sim_race.cc.
#include "sim/sim_threads.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "runtime/check.h"
#include "sim/simulator.h"
#include "sim/site_text.h"

namespace weft::sim {
namespace {

// Thrown into a simulated thread to unwind it when its run has ended.
struct ThreadUnwind {};

// The C++ runtime's per-thread exception state (libstdc++ and libc++abi
// share this layout: the stack of caught exceptions and the count of
// uncaught ones). Fibers share one real thread, so each keeps its own.
struct ExceptionState {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

ExceptionState& exception_state() noexcept {
  return *reinterpret_cast<ExceptionState*>(abi::__cxa_get_globals());
}

}  // namespace

struct SimThreads::Thread {
  enum class State : std::uint8_t { kRunnable, kBlocked, kFinished };
  SimThreads* owner = nullptr;
  std::uint32_t id = 0;
  State state = State::kRunnable;
  Wait wait = Wait::kNone;
  const void* waiting_on = nullptr;
  std::uint32_t waiting_for = 0;  // the holder or the joined thread
  SourceLocation wait_site{};
  SourceLocation spawned_at{};
  std::uint64_t spawned_step = 0;
  std::uint64_t finished_step = 0;
  std::function<void()> body;
  std::unique_ptr<Fiber> fiber;                 // threads 1..
  std::unique_ptr<FiberContext> stack_context;  // thread 0
  FiberContext* context = nullptr;
  bool started = false;
  bool joined = false;
  bool detached = false;
  bool abandoned = false;
  // Consecutive decision points where it could have run and did not.
  std::uint32_t passed_over = 0;
  // This thread's runtime state while another one runs.
  Executor* current_executor = nullptr;
  const void* worker_of = nullptr;
  std::uint32_t no_unwind_depth = 0;
  ExceptionState exceptions;
  VectorClock clock;
};

SimThreads::SimThreads(Simulator& simulator, std::uint32_t threads_max,
                       std::uint64_t operations_max,
                       std::uint32_t switch_chance)
    : simulator_(simulator),
      threads_max_(threads_max),
      operations_max_(operations_max),
      switch_chance_(switch_chance) {
  auto executor = std::make_unique<Thread>();
  executor->owner = this;
  executor->started = true;
  executor->clock.tick(0);
  threads_.push_back(std::move(executor));
}

SimThreads::~SimThreads() = default;

// --- switching ---------------------------------------------------------------

void SimThreads::switch_to(std::uint32_t next) {
  if (next == current_) return;
  Thread& from = *threads_[current_];
  Thread& to = *threads_[next];
  if (from.context == nullptr) {
    from.stack_context = FiberContext::current_stack();
    from.context = from.stack_context.get();
  }
  ThreadRuntime& runtime = this_thread_runtime();
  from.current_executor = runtime.current_executor;
  from.worker_of = runtime.worker_of;
  from.no_unwind_depth = runtime.no_unwind_depth;
  runtime.current_executor = to.current_executor;
  runtime.worker_of = to.worker_of;
  runtime.no_unwind_depth = to.no_unwind_depth;
  ExceptionState& exceptions = exception_state();
  from.exceptions = exceptions;
  exceptions = to.exceptions;
  to.started = true;
  ++switches_;
  simulator_.trace_.record(EventKind::kThreadSwitch, simulator_.step(), next,
                           current_);
  current_ = next;
  FiberContext::switch_to(*from.context, *to.context,
                          from.state == Thread::State::kFinished);
}

bool SimThreads::stopping() const noexcept {
  return unwinding_ || simulator_.failed();
}

void SimThreads::reschedule(bool may_stay) {
  Thread& self = *threads_[current_];
  const bool stopping_now = stopping();
  // While the executor unwinds threads, one runs alone until it is done.
  if (unwinding_ && self.state == Thread::State::kRunnable) return;
  candidates_.clear();
  if (may_stay && self.state == Thread::State::kRunnable) {
    candidates_.push_back(current_);
  }
  for (const std::unique_ptr<Thread>& thread : threads_) {
    if (thread->id != current_ && thread->state == Thread::State::kRunnable &&
        !(unwinding_ && thread->id != 0)) {
      candidates_.push_back(thread->id);
    }
  }
  if (candidates_.empty()) {
    const Thread& executor = *threads_[0];
    if (executor.state == Thread::State::kBlocked &&
        executor.wait == Wait::kIdle) {
      // The executor was waiting for work: it looks again (it advances
      // time or reports the run stuck).
      make_runnable(0);
      switch_to(0);
      return;
    }
    if (!stopping_now) {
      simulator_.fail(Checker::kDeadlock,
                      "every simulated thread is blocked (deadlock):\n" +
                          describe_threads());
    }
    return;  // nobody can run: the blocked caller gives up (see block())
  }
  switch_to(stopping_now ? candidates_[0] : choose_candidate());
}

std::uint32_t SimThreads::choose_candidate() {
  if (candidates_.size() == 1) return candidates_[0];
  // Fairness: a thread passed over at too many points in a row runs now,
  // so no sequence of decisions (a fuzzer's, PCT's priorities with a spin
  // loop) starves the thread that would end a wait.
  std::uint32_t chosen = candidates_[0];
  bool forced = false;
  for (std::uint32_t id : candidates_) {
    if (threads_[id]->passed_over >= kPassedOverMax) {
      chosen = id;
      forced = true;
      break;
    }
  }
  if (!forced) {
    const std::uint64_t step = simulator_.step();
    if (step != point_step_) {
      point_step_ = step;
      point_index_ = 0;
    }
    candidate_ids_.clear();
    if (simulator_.source_wants_ids_) {
      candidate_ids_.assign(candidates_.begin(), candidates_.end());
    }
    const std::uint32_t choice = simulator_.decide(
        DecisionKind::kThreadSwitch,
        static_cast<std::uint32_t>(candidates_.size()), switch_chance_,
        {step, ++point_index_}, candidate_ids_);
    chosen = candidates_[choice];
  }
  for (std::uint32_t id : candidates_) ++threads_[id]->passed_over;
  threads_[chosen]->passed_over = 0;
  return chosen;
}

void SimThreads::make_runnable(std::uint32_t thread) noexcept {
  Thread& target = *threads_[thread];
  if (target.state == Thread::State::kFinished) return;
  target.state = Thread::State::kRunnable;
}

bool SimThreads::block(Wait wait, const void* object, std::uint32_t thread,
                       SourceLocation site) {
  Thread& self = *threads_[current_];
  bool woken = false;
  if (!unwinding_) {
    self.state = Thread::State::kBlocked;
    self.wait = wait;
    self.waiting_on = object;
    self.waiting_for = thread;
    self.wait_site = site;
    simulator_.trace_.record(EventKind::kThreadBlock, simulator_.step(),
                             current_, static_cast<std::uint64_t>(wait));
    reschedule(false);
    // Back here because something made this thread runnable, or because
    // no thread at all could run (then it is still blocked).
    woken = self.state == Thread::State::kRunnable;
    self.state = Thread::State::kRunnable;
    self.wait = Wait::kNone;
    self.waiting_on = nullptr;
  }
  if (woken && !unwinding_) return true;
  // The wait can never end (a deadlock, already reported) or the run is
  // being unwound: leave the code under test where an exception may pass;
  // otherwise give up waiting and go on.
  if (may_unwind()) {
    if (current_ == 0) throw RunAborted{};
    throw ThreadUnwind{};
  }
  return false;
}

void SimThreads::count_operation(bool may_throw) {
  if (++operations_ <= operations_max_) return;
  if (!simulator_.failed()) {
    simulator_.fail(Checker::kStepBudget,
                    "more than " + std::to_string(operations_max_) +
                        " weft::sync operations on simulated threads "
                        "(limits.sync_operations_max): a thread spinning "
                        "without end, or raise the limit");
  }
  // A quarter more lets the other threads wind down; past that, the
  // thread that spins stops here.
  if (operations_ <= operations_max_ + operations_max_ / 4) return;
  if (current_ == 0) {
    // The executor leaves only a poll (the simulator catches it there).
    if (may_throw && may_unwind() && simulator_.polled_task_id() != 0) {
      throw RunAborted{};
    }
    return;
  }
  if (may_throw && may_unwind()) throw ThreadUnwind{};
  abandon_running_thread();
}

void SimThreads::abandon_running_thread() {
  // Left suspended for good: what its stack holds is never destroyed.
  threads_[current_]->abandoned = true;
  finish_running_thread();
}

// --- the executor thread ----------------------------------------------------

bool SimThreads::any_other_runnable() const noexcept {
  for (std::size_t i = 1; i < threads_.size(); ++i) {
    if (threads_[i]->state == Thread::State::kRunnable) return true;
  }
  return false;
}

bool SimThreads::at_loop_top() {
  if (unfinished_ == 0 || !any_other_runnable()) return false;
  const std::uint64_t before = switches_;
  reschedule(true);
  return switches_ != before;
}

bool SimThreads::run_while_idle() {
  if (unfinished_ == 0 || !any_other_runnable()) return false;
  Thread& executor = *threads_[0];
  executor.state = Thread::State::kBlocked;
  executor.wait = Wait::kIdle;
  simulator_.trace_.record(EventKind::kThreadBlock, simulator_.step(), 0,
                           static_cast<std::uint64_t>(Wait::kIdle));
  reschedule(false);
  executor.wait = Wait::kNone;
  executor.state = Thread::State::kRunnable;
  return true;
}

void SimThreads::on_wake(SimTask& record) {
  if (current_ == 0) return;
  Thread& self = *threads_[current_];
  task_clocks_[record.id].join(self.clock);
  self.clock.tick(current_);
  Thread& executor = *threads_[0];
  if (executor.state == Thread::State::kBlocked &&
      executor.wait == Wait::kIdle) {
    make_runnable(0);
  }
}

void SimThreads::before_poll(SimTask& record) {
  auto found = task_clocks_.find(record.id);
  if (found != task_clocks_.end()) threads_[0]->clock.join(found->second);
}

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
  (void)site;
  if (alone()) {
    // One thread: nothing to switch to, and everything it does now is
    // ordered before any thread it spawns later.
    ++operations_;
    return;
  }
  // Spin loops read: a load may stop a spinning thread; a read-modify-write
  // (reference counts in noexcept code) never throws.
  count_operation(kind == sync::AccessKind::kLoad);
  reschedule(true);
  const bool acquires = order == std::memory_order_acquire ||
                        order == std::memory_order_consume ||
                        order == std::memory_order_acq_rel ||
                        order == std::memory_order_seq_cst;
  const bool releases = order == std::memory_order_release ||
                        order == std::memory_order_acq_rel ||
                        order == std::memory_order_seq_cst;
  Object& atomic = object(address);
  if (kind != sync::AccessKind::kStore && acquires) acquire(atomic.clock);
  if (kind == sync::AccessKind::kLoad) return;
  if (releases) {
    // A store starts a new release sequence; a read-modify-write extends
    // the one it reads from.
    release(atomic.clock, kind == sync::AccessKind::kStore);
  } else if (kind == sync::AccessKind::kStore) {
    atomic.clock.clear();  // a relaxed store publishes nothing
  }
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
      simulator_.fail(Checker::kDeadlock,
                      thread_name(current_) +
                          " locks a mutex it already holds (it locked it at " +
                          site_text(state.locked_at) + "; again at " +
                          site_text(site) + ")");
    }
    if (!block(Wait::kMutex, mutex, state.holder, site)) return;
  }
}

void SimThreads::mutex_lock(const void* mutex, SourceLocation site) {
  if (alone()) {
    ++operations_;
    if (std::find(alone_held_.begin(), alone_held_.end(), mutex) !=
        alone_held_.end()) {
      leave_alone_mode();  // a second lock of a held mutex: the slow path
    } else {
      alone_held_.push_back({mutex, site});
      return;
    }
  }
  count_operation(false);
  reschedule(true);
  lock_now(mutex, site);
}

bool SimThreads::mutex_try_lock(const void* mutex, SourceLocation site) {
  if (alone()) {
    ++operations_;
    if (std::find(alone_held_.begin(), alone_held_.end(), mutex) !=
        alone_held_.end()) {
      return false;
    }
    alone_held_.push_back({mutex, site});
    return true;
  }
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
    simulator_.fail(Checker::kProtocolMisuse,
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
  if (alone()) {
    ++operations_;
    // Locks are mostly released in reverse order: search from the back.
    for (auto held = alone_held_.rbegin(); held != alone_held_.rend(); ++held) {
      if (held->mutex == mutex) {
        alone_held_.erase(std::next(held).base());
        return;
      }
    }
    leave_alone_mode();  // not held: the slow path reports it
  }
  unlock_now(mutex, site);
  // A point after the unlock (never throws: unlocks run in destructors).
  count_operation(false);
  reschedule(true);
}

void SimThreads::condvar_wait(const void* condvar, const void* mutex,
                              SourceLocation site) {
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
  (void)site;
  if (alone()) {
    ++operations_;  // nobody can be waiting
    return;
  }
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
  if (!objects_.empty()) objects_.erase(address);
}

void SimThreads::leave_alone_mode() {
  if (!alone()) return;
  left_alone_mode_ = true;
  for (const HeldAlone& held : alone_held_) {
    Object& state = object(held.mutex);
    state.locked = true;
    state.holder = 0;
    state.locked_at = held.site;
  }
  alone_held_.clear();
}

// --- weft::sync: threads ----------------------------------------------------

std::uint32_t SimThreads::thread_spawn(std::function<void()> body,
                                       SourceLocation site) {
  leave_alone_mode();
  if (threads_.size() > threads_max_) {
    simulator_.fail(Checker::kTaskBudget,
                    "more than " + std::to_string(threads_max_) +
                        " simulated threads (limits.threads_max)");
    if (may_unwind()) {
      if (current_ == 0) throw RunAborted{};
      throw ThreadUnwind{};
    }
  }
  auto thread = std::make_unique<Thread>();
  Thread& made = *thread;
  made.owner = this;
  made.id = static_cast<std::uint32_t>(threads_.size());
  made.body = std::move(body);
  made.spawned_at = site;
  made.spawned_step = simulator_.step();
  made.fiber = std::make_unique<Fiber>(&SimThreads::fiber_entry, &made);
  made.context = &made.fiber->context();
  made.clock = threads_[current_]->clock;
  made.clock.tick(made.id);
  threads_[current_]->clock.tick(current_);
  threads_.push_back(std::move(thread));
  ++unfinished_;
  simulator_.trace_.record(EventKind::kThreadSpawn, simulator_.step(), made.id,
                           current_);
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
      threads.simulator_.fail(Checker::kUncaughtException,
                              threads.thread_name(self.id) +
                                  " ended with an exception: " + error.what());
    } catch (...) {
      threads.simulator_.fail(
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
  self.finished_step = simulator_.step();
  --unfinished_;
  simulator_.trace_.record(EventKind::kThreadFinish, simulator_.step(),
                           current_, 0);
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
  count_operation(false);  // joins run in destructors
  reschedule(true);
  if (id == 0 || id >= threads_.size()) return;
  Thread& target = *threads_[id];
  if (id == current_) {
    simulator_.fail(Checker::kDeadlock,
                    thread_name(id) + " joins itself at " + site_text(site));
    return;
  }
  while (target.state != Thread::State::kFinished) {
    if (!block(Wait::kJoin, nullptr, id, site)) return;
  }
  target.joined = true;
  acquire(target.clock);
}

void SimThreads::thread_detach(std::uint32_t id) {
  if (id > 0 && id < threads_.size()) threads_[id]->detached = true;
}

void SimThreads::thread_dropped_joinable(std::uint32_t id,
                                         SourceLocation site) {
  thread_detach(id);
  if (stopping()) return;
  simulator_.fail(Checker::kProtocolMisuse,
                  "a weft::sync::thread handle of " + thread_name(id) +
                      " (spawned at " + site_text(site) +
                      ") was destroyed while joinable: join or detach it "
                      "first (std::thread calls std::terminate)");
}

void SimThreads::yield(SourceLocation site) {
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

// --- the end of a run -------------------------------------------------------

void SimThreads::unwind_all() noexcept {
  WEFT_CHECK_EQ(current_, 0u);
  unwinding_ = true;
  for (std::size_t i = 1; i < threads_.size(); ++i) {
    Thread& thread = *threads_[i];
    if (thread.state == Thread::State::kFinished) continue;
    if (!thread.started) {
      // Never ran: nothing on its stack to unwind.
      thread.state = Thread::State::kFinished;
      --unfinished_;
      try {
        thread.body = nullptr;
      } catch (...) {
      }
      continue;
    }
    // Resumed where it waits: a blocked thread gives up its wait (and
    // unwinds), a preempted one runs on alone until it finishes or waits.
    thread.state = Thread::State::kRunnable;
    switch_to(thread.id);  // back when it finished or was abandoned
  }
}

// --- descriptions -----------------------------------------------------------

std::string SimThreads::thread_name(std::uint32_t id) const {
  if (id == 0) return "thread 0 (the executor)";
  return "thread " + std::to_string(id);
}

bool SimThreads::any_blocked() const noexcept {
  for (std::size_t i = 1; i < threads_.size(); ++i) {
    if (threads_[i]->state == Thread::State::kBlocked) return true;
  }
  return threads_[0]->state == Thread::State::kBlocked &&
         threads_[0]->wait != Wait::kIdle;
}

bool SimThreads::any_finished() const noexcept {
  for (std::size_t i = 1; i < threads_.size(); ++i) {
    if (threads_[i]->state == Thread::State::kFinished) return true;
  }
  return false;
}

std::string SimThreads::describe(const Thread& thread) const {
  std::string out = "  " + thread_name(thread.id);
  if (thread.id != 0)
    out += " (spawned at " + site_text(thread.spawned_at) + ")";
  switch (thread.state) {
    case Thread::State::kFinished:
      out += ": finished at step " + std::to_string(thread.finished_step);
      break;
    case Thread::State::kRunnable:
      out += ": runnable";
      break;
    case Thread::State::kBlocked:
      switch (thread.wait) {
        case Wait::kMutex: {
          auto found = objects_.find(thread.waiting_on);
          out += ": waits at " + site_text(thread.wait_site) +
                 " to lock a mutex held by " + thread_name(thread.waiting_for);
          if (found != objects_.end()) {
            out += " (locked at " + site_text(found->second.locked_at) + ")";
          }
          break;
        }
        case Wait::kCondvar:
          out += ": waits on a condition variable at " +
                 site_text(thread.wait_site) + " (no notify will come)";
          break;
        case Wait::kJoin:
          out += ": waits at " + site_text(thread.wait_site) + " to join " +
                 thread_name(thread.waiting_for);
          break;
        case Wait::kIdle:
          out += ": idle, no task to poll";
          break;
        case Wait::kNone:
          out += ": blocked";
          break;
      }
      break;
  }
  return out + "\n";
}

std::string SimThreads::describe_threads() const {
  std::string out;
  for (const std::unique_ptr<Thread>& thread : threads_) {
    out += describe(*thread);
  }
  return out;
}

}  // namespace weft::sim
