#include "runtime/task/task_state.h"

#include "runtime/seam/misuse.h"

namespace weft {

const char* to_string(TaskPhase phase) noexcept {
  switch (phase) {
    case TaskPhase::kIdle:
      return "idle";
    case TaskPhase::kScheduled:
      return "scheduled";
    case TaskPhase::kRunning:
      return "running";
    case TaskPhase::kRunningWoken:
      return "running-woken";
    case TaskPhase::kComplete:
      return "complete";
    case TaskPhase::kCancelled:
      return "cancelled";
  }
  return "invalid";
}

WakeAction TaskState::transition_on_wake() noexcept {
  switch (phase()) {
    case TaskPhase::kIdle:
      set_phase(TaskPhase::kScheduled);
      return WakeAction::kEnqueue;
    case TaskPhase::kRunning:
      set_phase(TaskPhase::kRunningWoken);
      return WakeAction::kNothing;
    case TaskPhase::kScheduled:
    case TaskPhase::kRunningWoken:
    case TaskPhase::kComplete:
    case TaskPhase::kCancelled:
      return WakeAction::kNothing;
  }
  return WakeAction::kNothing;
}

// The misuses below are executor bugs. They are reported without
// unwinding (these transitions are noexcept), and the transition then
// leaves the state alone, so a simulation can stop at the next poll
// boundary with the report; without hooks the report aborts.
StartAction TaskState::transition_to_running() noexcept {
  if (phase() != TaskPhase::kScheduled) {
    report_misuse_no_unwind(
        "a task was polled while not scheduled (executor bug)");
    return StartAction::kSkip;
  }
  if (abort_requested()) return StartAction::kCancel;
  set_phase(TaskPhase::kRunning);
  return StartAction::kPoll;
}

FinishAction TaskState::transition_after_poll(bool ready) noexcept {
  const TaskPhase before = phase();
  if (before != TaskPhase::kRunning && before != TaskPhase::kRunningWoken) {
    report_misuse_no_unwind(
        "a task finished a poll it was not running (executor bug)");
    return FinishAction::kIdle;
  }
  if (ready) {
    set_phase(TaskPhase::kComplete);
    return FinishAction::kDone;
  }
  if (abort_requested()) return FinishAction::kCancel;
  if (before == TaskPhase::kRunningWoken) {
    set_phase(TaskPhase::kScheduled);
    return FinishAction::kEnqueue;
  }
  set_phase(TaskPhase::kIdle);
  return FinishAction::kIdle;
}

void TaskState::transition_to_cancelled() noexcept {
  if (is_terminal()) {
    report_misuse_no_unwind(
        "a finished task was cancelled again (executor bug)");
    return;
  }
  set_phase(TaskPhase::kCancelled);
}

WakeAction TaskState::transition_on_abort() noexcept {
  if (is_terminal()) return WakeAction::kNothing;
  bits_ |= kAbortBit;
  // A running task is dropped when its poll ends; a queued one before its
  // next poll; an idle one must be queued so the executor gets to it.
  if (phase() == TaskPhase::kIdle) {
    set_phase(TaskPhase::kScheduled);
    return WakeAction::kEnqueue;
  }
  return WakeAction::kNothing;
}

}  // namespace weft
