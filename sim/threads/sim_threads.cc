// Simulated threads: switching, scheduling points and their decisions,
// blocking, the operation budget, the executor thread's part, and the end
// of a run. The weft::sync operations are in sync_ops.cc, the data-race
// check in race.cc, descriptions for reports in thread_text.cc.
#include "sim/threads/sim_threads.h"

#include <cstdlib>
#include <utility>

#include "runtime/seam/check.h"
#include "sim/report/event_text.h"
#include "sim/report/site_text.h"
#include "sim/threads/thread_state.h"

namespace weft::sim {

SimThreads::SimThreads(ThreadHost& host, std::uint32_t threads_max,
                       std::uint64_t operations_max,
                       std::uint32_t switch_chance, std::uint64_t run_id)
    : host_(host),
      threads_max_(threads_max),
      operations_max_(operations_max),
      switch_chance_(switch_chance) {
  run_id_ = run_id;
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
  host_.record_event(EventKind::kThreadSwitch, next,
                     pack_switch(current_, from.stopped_op, to.stopped_op),
                     from.stopped_site, to.stopped_site);
  if (host_.records_coverage()) [[unlikely]] {
    host_.thread_switch_coverage(from.stopped_site, to.stopped_site);
  }
  current_ = next;
  FiberContext::switch_to(*from.context, *to.context,
                          from.state == Thread::State::kFinished);
}

SourceLocation SimThreads::running_site() const noexcept {
  return threads_[current_]->stopped_site;
}

void SimThreads::stopping_at(ThreadOp op, SourceLocation site) noexcept {
  Thread& self = *threads_[current_];
  self.stopped_op = op;
  self.stopped_site = site;
  op_event_ = static_cast<std::size_t>(-1);
}

void SimThreads::proceeding() noexcept {
  RunDetail* detail = host_.detail();
  if (detail == nullptr) [[likely]]
    return;
  const Thread& self = *threads_[current_];
  if (self.stopped_op == ThreadOp::kLoopTop ||
      self.stopped_op == ThreadOp::kIdle) {
    return;
  }
  // A report's run shows what each thread did between switches.
  try {
    host_.record_event(EventKind::kThreadOp, current_,
                       static_cast<std::uint64_t>(self.stopped_op),
                       self.stopped_site);
    op_event_ = detail->last_event;
    values_wanted_ = true;
  } catch (...) {
    // Out of memory while recording: the event is lost, the run goes on.
  }
}

void SimThreads::atomic_values(const void* object, bool is_signed, bool loaded,
                               std::uint64_t load_value, bool stored,
                               std::uint64_t store_value) {
  (void)object;
  RunDetail* detail = host_.detail();
  if (detail == nullptr || op_event_ == static_cast<std::size_t>(-1)) return;
  detail->atomic_values.push_back(
      {op_event_, is_signed, loaded, stored, load_value, store_value});
  op_event_ = static_cast<std::size_t>(-1);
}

bool SimThreads::stopping() const noexcept {
  return unwinding_ || host_.failed();
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
      proceeding();
      return;
    }
    if (!stopping_now) {
      host_.fail(Checker::kDeadlock,
                 "every simulated thread is blocked (deadlock):\n" +
                     describe_threads());
    }
    return;  // nobody can run: the blocked caller gives up (see block())
  }
  switch_to(stopping_now ? candidates_[0] : choose_candidate());
  proceeding();
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
    const std::uint64_t step = host_.step();
    if (step != point_step_) {
      point_step_ = step;
      point_index_ = 0;
    }
    candidate_ids_.clear();
    if (host_.wants_choice_ids()) {
      candidate_ids_.assign(candidates_.begin(), candidates_.end());
    }
    const std::uint32_t choice =
        host_.decide(DecisionKind::kThreadSwitch,
                     static_cast<std::uint32_t>(candidates_.size()),
                     switch_chance_, {step, ++point_index_}, candidate_ids_);
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
    host_.record_event(EventKind::kThreadBlock, current_,
                       static_cast<std::uint64_t>(wait), site);
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
  if (may_unwind()) abort_running_thread();
  return false;
}

void SimThreads::abort_running_thread() {
  if (current_ != 0) throw ThreadUnwind{};
  // The frames the executor is about to unwind may hold what the other
  // threads use (a scenario's locals): they go first.
  if (!unwinding_ && unfinished_ > 0) unwind_all();
  throw RunAborted{};
}

void SimThreads::count_operation(bool may_throw) {
  // After the run ended, a thread resumed to be unwound stops at its next
  // operation that may throw (a load, a lock, a yield...), rather than run
  // on over state its run no longer keeps.
  if (unwinding_ && current_ != 0 && may_throw && may_unwind()) {
    throw ThreadUnwind{};
  }
  if (++operations_ <= operations_max_) return;
  if (!host_.failed()) {
    const Thread& self = *threads_[current_];
    host_.fail(Checker::kStepBudget,
               "more than " + std::to_string(operations_max_) +
                   " weft::sync operations on simulated threads "
                   "(limits.sync_operations_max): a thread spinning "
                   "without end, or raise the limit; " +
                   thread_name(current_) + " was running, at " +
                   std::string(to_string(self.stopped_op)) +
                   (self.stopped_site.known()
                        ? " (" + site_text(self.stopped_site) + ")"
                        : std::string()));
  }
  // A quarter more lets the other threads wind down; past that, the
  // thread that spins stops here.
  if (operations_ <= operations_max_ + operations_max_ / 4) return;
  if (current_ == 0) {
    // The executor leaves only a poll (the simulator catches it there).
    if (may_throw && may_unwind() && host_.polled_task_id() != 0) {
      abort_running_thread();
    }
    return;
  }
  if (may_throw && may_unwind()) throw ThreadUnwind{};
  // Abandoned: left suspended for good, its stack never destroyed.
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
  stopping_at(ThreadOp::kLoopTop, {});
  reschedule(true);
  return switches_ != before;
}

bool SimThreads::run_while_idle() {
  if (unfinished_ == 0 || !any_other_runnable()) return false;
  Thread& executor = *threads_[0];
  executor.state = Thread::State::kBlocked;
  executor.wait = Wait::kIdle;
  stopping_at(ThreadOp::kIdle, {});
  host_.record_event(EventKind::kThreadBlock, 0,
                     static_cast<std::uint64_t>(Wait::kIdle));
  reschedule(false);
  executor.wait = Wait::kNone;
  executor.state = Thread::State::kRunnable;
  return true;
}

void SimThreads::on_wake(std::uint64_t task_id) {
  if (current_ == 0) return;
  Thread& self = *threads_[current_];
  task_clocks_[task_id].join(self.clock);
  self.clock.tick(current_);
  Thread& executor = *threads_[0];
  if (executor.state == Thread::State::kBlocked &&
      executor.wait == Wait::kIdle) {
    make_runnable(0);
  }
}

void SimThreads::before_poll(std::uint64_t task_id) {
  if (task_clocks_.empty()) return;  // no foreign wake yet
  auto found = task_clocks_.find(task_id);
  if (found != task_clocks_.end()) threads_[0]->clock.join(found->second);
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

}  // namespace weft::sim
