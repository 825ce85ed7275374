// The simulator's checks: a task left waiting with no waker (never-woken),
// nothing able to run (deadlock, stale-waker), the root's outcome, and,
// after teardown, what is still alive (leak) or was written after it was
// freed (use-after-drop).
#include <cstdio>
#include <string>

#include "runtime/future/async.h"
#include "runtime/task/task_poll.h"
#include "sim/core/simulator.h"
#include "sim/report/sanitizers.h"
#include "sim/report/site_text.h"

namespace weft::sim {

void Simulator::retire(TaskHeader* task, bool cancelled) {
  const std::uint64_t id = task->id();
  if (record_of(task)->cancellable) --cancellable_tasks_;
  owned_.remove(*task);
  trace_.record(EventKind::kComplete, step_, id, cancelled ? 1 : 0);
  if (id == root_id_) root_done_ = true;
  // The joiner's wake comes from this task's end (its event says so).
  finishing_task_ = id;
  task->wake_join_waker();
  finishing_task_ = 0;
  task->release();  // the executor's reference
}

void Simulator::check_after_poll(SimTask* record) {
  if (failure_ || record->live_wakers > 0 || record->held_wakes > 0) return;
  if (record->task->state().load().phase() != TaskPhase::kIdle) return;
  fail(Checker::kNeverWoken,
       "task " + std::to_string(record->id) + " returned Pending at step " +
           std::to_string(step_) +
           " but no waker of it was kept anywhere: nothing can ever wake it\n" +
           describe_task(*record));
}

std::string Simulator::describe_task(const SimTask& record) const {
  char line[512];
  if (record.id == root_id_) {
    std::snprintf(line, sizeof line, "  task %llu (the scenario's root, %s)",
                  static_cast<unsigned long long>(record.id),
                  to_string(record.task->state().load().phase()));
  } else {
    std::snprintf(line, sizeof line, "  task %llu (spawned at %s:%u, %s)",
                  static_cast<unsigned long long>(record.id),
                  short_path(record.spawned_at.file), record.spawned_at.line,
                  to_string(record.task->state().load().phase()));
  }
  std::string out = line;
  const AwaitTrace& awaits = record.task->await_trace();
  if (awaits.kept() == 0) {
    out += " waits inside a hand-written future (no await site recorded)";
  }
  for (std::uint32_t i = 0; i < awaits.kept(); ++i) {
    // Coroutine function names are long and mangled; file:line says it.
    std::snprintf(line, sizeof line, "%s%s:%u",
                  i == 0 ? " waits at " : "\n      awaited from ",
                  short_path(awaits.frame(i).file), awaits.frame(i).line);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "\n      %u live waker(s) could still wake it%s",
                record.live_wakers, record.live_wakers > 0 ? "" : " (none)");
  out += line;
  if (record.live_wakers > 0) {
    std::snprintf(line, sizeof line,
                  "; the last was cloned at step %llu while task %llu was "
                  "polled",
                  static_cast<unsigned long long>(record.last_clone_step),
                  static_cast<unsigned long long>(record.last_clone_by));
    out += line;
  }
  if (record.stale_wake_step >= 0) {
    std::snprintf(line, sizeof line,
                  "\n      it was woken at step %ld through a stale waker "
                  "(from an earlier poll), which was not delivered",
                  record.stale_wake_step);
    out += line;
  }
  return out + "\n";
}

void Simulator::report_stuck() {
  std::string tasks;
  bool stale = false;
  long stale_task = 0;
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    const SimTask& record = *record_of(task);
    tasks += describe_task(record);
    if (record.stale_wake_step >= 0 && !stale) {
      stale = true;
      stale_task = static_cast<long>(record.id);
    }
  }
  const std::string count = std::to_string(owned_.size());
  std::string threads;
  if (threads_ != nullptr && threads_->spawned_any()) {
    threads = "simulated threads:\n" +
              threads_->describe_threads("no task can run (see above)");
    if (!owned_.empty() && threads_->any_finished()) {
      threads +=
          "(a wake from a simulated thread that finished was lost, or "
          "never sent)\n";
    }
  }
  if (owned_.empty()) {
    fail(Checker::kDeadlock,
         "no task is left, yet simulated threads are blocked forever "
         "(deadlock):\n" +
             threads);
    return;
  }
  if (stale) {
    fail(Checker::kStaleWaker,
         "task " + std::to_string(stale_task) +
             " was woken only through a waker from an earlier poll, and now "
             "nothing can run: a future kept an old waker instead of the one "
             "of its latest poll. " +
             count + " unfinished task(s):\n" + tasks + threads);
    return;
  }
  fail(Checker::kDeadlock,
       "no task can run, no timer is armed and no wake is pending, yet " +
           count + " task(s) are unfinished (deadlock or lost wakeup):\n" +
           tasks + threads);
}

void Simulator::fail_liveness(std::string what, SourceLocation site) {
  // The task checking the property is running; the others say where the
  // work that should have made it true is (or that none is left).
  std::string tasks;
  std::size_t others = 0;
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    if (task->id() == polling_) continue;
    tasks += describe_task(*record_of(task));
    ++others;
  }
  what += " (at " + site_text(site) + "); ";
  what += others == 0
              ? "no other task is unfinished: the work it waits for was "
                "never started, or ended without doing it"
              : std::to_string(others) + " other unfinished task(s):\n" + tasks;
  fail(Checker::kLiveness, std::move(what), site);
  if (may_unwind()) abort_run();
}

void Simulator::check_root(bool finished, bool threw, const std::string& what) {
  if (failure_ || !finished) return;
  if (threw) {
    fail(Checker::kUncaughtException,
         "the scenario's root task threw: " + what);
  }
}

void Simulator::teardown() {
  // Threads first: what they hold on their stacks may refer to tasks.
  if (threads_ != nullptr) threads_->unwind_all();
  tearing_down_ = true;
  update_drop_context(-1, true);
  cancel_owned_tasks(owned_, [this](TaskHeader* task) { retire(task, true); });
  for (TaskHeader* task : runnable_) task->release();
  runnable_.clear();
  for (HeldWake& held : held_) {
    --held.record->held_wakes;
    held.record->task->release();
  }
  held_.clear();
}

std::string Simulator::describe_leaked_frames() const {
  std::string out;
  for (const Quarantine::LiveFrame& frame : quarantine_.live_frames()) {
    out += "  a coroutine frame (" + std::to_string(frame.size) +
           " bytes) created at step " + std::to_string(frame.step);
    if (frame.task != 0 && frame.task <= records_.size()) {
      const SimTask& creator = *records_[frame.task - 1];
      out += " while task " + std::to_string(frame.task);
      if (frame.task == root_id_) {
        out += " (the scenario's root)";
      } else {
        out += " (spawned at " + site_text(creator.spawned_at) + ")";
      }
      out += " was polled";
    } else {
      out += " outside any task";
    }
    const SourceLocation parked = detail::parked_site_of_frame(frame.block);
    out += parked.known() ? ", suspended at " + site_text(parked)
                          : ", never suspended";
    out += ", was never freed\n";
  }
  return out;
}

void Simulator::check_leaks() {
  std::string leaks;
  for (const std::unique_ptr<SimTask>& record : records_) {
    if (record->cell_freed) continue;
    weft_leak_reported(record->task);
    char line[400];
    std::snprintf(line, sizeof line,
                  "  task %llu (spawned at %s:%u) is still allocated after "
                  "teardown; %u waker(s) of it are alive (the last cloned at "
                  "step %llu while task %llu was polled)\n",
                  static_cast<unsigned long long>(record->id),
                  short_path(record->spawned_at.file), record->spawned_at.line,
                  record->live_wakers,
                  static_cast<unsigned long long>(record->last_clone_step),
                  static_cast<unsigned long long>(record->last_clone_by));
    leaks += line;
  }
  leaks += describe_leaked_frames();
  for (const Quarantine::LiveFrame& frame : quarantine_.live_frames()) {
    weft_leak_reported(frame.block);
  }
  for (const SourceLocation& site : timers()->armed_sites()) {
    leaks += "  a timer armed at " + site_text(site) +
             " is still armed after teardown\n";
  }
  for (const LeakSource* source : leak_sources_) {
    leaks += source->describe_leak();
  }
  if (threads_ != nullptr) {
    const std::string held = threads_->describe_held_mutexes();
    if (!held.empty()) {
      leaks += held +
               "  (a mutex that outlives its run locked is found locked by "
               "the next run: unlock it before the run ends)\n";
    }
  }
  std::optional<std::string> corrupted = quarantine_.check_canaries();
  if (corrupted) {
    // The first failure is the one reported: dropped memory written after
    // it is most likely its consequence (code that went on after the run
    // was ended), so it is noted, not put in its place.
    if (failure_) {
      failure_->message +=
          "\n(after that, dropped memory was also written: " + *corrupted + ")";
      return;
    }
    fail(Checker::kUseAfterDrop, *corrupted);
    return;
  }
  if (!leaks.empty()) {
    fail(Checker::kLeak,
         "after the run and teardown, these are still alive:\n" + leaks);
  }
}

}  // namespace weft::sim
