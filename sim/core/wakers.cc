// The simulator's wakers: every clone, drop and wake of a task's waker
// comes here, so the simulator can count live wakers (never-woken), tell
// stale wakers from current ones (stale-waker), and hold wakes back as a
// decision (cross-thread wake latency).
#include <string>

#include "runtime/seam/check.h"
#include "runtime/task/task_waker.h"
#include "sim/core/simulator.h"

namespace weft::sim {
namespace {

RawWaker clone_sim_waker(const void* data) {
  SimTask* record = SimTask::from_waker_data(data);
  record->task->retain();
  if (record->simulator != nullptr) {
    record->simulator->on_waker_clone(record);
  } else {
    ++record->live_wakers;
  }
  return RawWaker{data, &kSimWakerVTable};
}

void wake_sim_waker_by_ref(const void* data) {
  SimTask* record = SimTask::from_waker_data(data);
  // A waker that outlives its simulator wakes nothing.
  if (record->simulator != nullptr) {
    record->simulator->on_wake(record, SimTask::generation_of(data));
  }
}

void drop_sim_waker(const void* data) {
  SimTask* record = SimTask::from_waker_data(data);
  TaskHeader* task = record->task;
  bool orphan_done = false;
  if (record->simulator != nullptr) {
    record->simulator->on_waker_drop(record);
  } else {
    orphan_done = --record->live_wakers == 0;
  }
  task->release();
  if (orphan_done) delete record;
}

void wake_sim_waker(const void* data) {
  wake_sim_waker_by_ref(data);
  drop_sim_waker(data);
}

}  // namespace

const WakerVTable kSimWakerVTable{&clone_sim_waker, &wake_sim_waker,
                                  &wake_sim_waker_by_ref, &drop_sim_waker};

void Simulator::on_waker_clone(SimTask* record) {
  ++record->live_wakers;
  ++live_wakers_;
  record->last_clone_step = step_;
  record->last_clone_by = polling_;
  trace_.record(EventKind::kWakerClone, step_, record->id, record->live_wakers);
}

void Simulator::on_waker_drop(SimTask* record) {
  WEFT_CHECK_LT(0u, record->live_wakers);  // more drops than clones
  WEFT_CHECK_LT(0u, live_wakers_);
  --record->live_wakers;
  --live_wakers_;
  trace_.record(EventKind::kWakerDrop, step_, record->id, record->live_wakers);
  if (tearing_down_ || failure_ || record->live_wakers > 0 ||
      record->held_wakes > 0 ||
      record->task->state().load().phase() != TaskPhase::kIdle) {
    return;
  }
  if (record->stale_wake_step >= 0) {
    fail(Checker::kStaleWaker,
         "task " + std::to_string(record->id) + " was woken at step " +
             std::to_string(record->stale_wake_step) +
             " only through a waker from an earlier poll, and its last waker "
             "is now gone: a future kept an old waker instead of the one of "
             "its latest poll\n" +
             describe_task(*record));
    return;
  }
  fail(Checker::kNeverWoken,
       "the last waker of task " + std::to_string(record->id) +
           " was dropped at step " + std::to_string(step_) +
           " while the task waits: nothing can ever wake it\n" +
           describe_task(*record));
}

void Simulator::on_wake(SimTask* record, std::uint32_t generation) {
  // A wake from another simulated thread comes from no task's poll.
  const bool foreign = threads_ != nullptr && threads_->running() != 0;
  SourceLocation site =
      std::exchange(this_thread_runtime().wake_site, SourceLocation{});
  if (finishing_task_ != 0 && !foreign) {
    // A JoinHandle's wake: the site is the runtime's, the cause the end of
    // the task it joins.
    trace_.record(EventKind::kWake, step_, record->id,
                  finishing_task_ | kWakeByTaskEnd, SourceLocation{});
  } else if (delivering_message_ != 0 && !foreign) {
    trace_.record(EventKind::kWake, step_, record->id,
                  delivering_message_ | kWakeByMessage, SourceLocation{});
  } else if (firing_timers_ && !foreign) {
    trace_.record(EventKind::kTimerFired, step_, record->id,
                  static_cast<std::uint64_t>(clock_.now().nanoseconds()), site);
  } else {
    // A foreign wake names its simulated thread (task field 0 otherwise).
    trace_.record(EventKind::kWake, step_, record->id,
                  foreign ? kWakeByThread | threads_->running() : polling_,
                  site);
  }
  if (foreign) threads_->on_wake(record->id);
  TaskHeader* task = record->task;
  if (tearing_down_) {
    deliver_wake(record);
    return;
  }
  const TaskPhase phase = task->state().load().phase();
  if (phase != TaskPhase::kIdle) {
    deliver_wake(record);  // running, queued or finished: no choice to make
    return;
  }
  if (options_.strict_wakers &&
      generation != (record->generation & SimTask::kGenerationMask)) {
    record->stale_wake_step = static_cast<long>(step_);
    trace_.record(EventKind::kStaleWake, step_, record->id, generation);
    return;
  }
  if (hold_chance_ > 0) {
    const std::uint32_t hold = decide(
        DecisionKind::kHoldWake, options_.perturbations.hold_wake_steps_max + 1,
        hold_chance_, {record->id, ++record->hold_questions});
    if (hold > 0) {
      task->retain();
      ++record->held_wakes;
      held_.push_back(HeldWake{record, step_ + hold});
      trace_.record(EventKind::kWakeHeld, step_, record->id, hold);
      return;
    }
  }
  deliver_wake(record);
}

void Simulator::deliver_wake(SimTask* record) { wake_task(record->task); }

bool Simulator::deliver_due_held_wakes() {
  bool delivered = false;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < held_.size(); ++i) {
    HeldWake held = held_[i];
    if (held.release_step > step_) {
      held_[kept++] = held;
      continue;
    }
    WEFT_CHECK_LT(0u, held.record->held_wakes);
    --held.record->held_wakes;
    trace_.record(EventKind::kWakeReleased, step_, held.record->id, 0);
    deliver_wake(held.record);
    held.record->task->release();
    delivered = true;
  }
  held_.resize(kept);
  return delivered;
}

}  // namespace weft::sim
