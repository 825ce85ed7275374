// The simulator's cancellation of a task while it waits: at a step, one
// decision may pick any cancellable task that is parked on something and
// drop its future at its next poll (the cancellation real code most often
// gets wrong). With SimOptions::record_cancel_points, each step also
// records every such task and where it waits, for the cancellation sweep.
#include "sim/core/simulator.h"

namespace weft::sim {

void Simulator::maybe_cancel_waiting() {
  if (cancel_waiting_chance_ == 0 || cancellable_tasks_ == 0) return;
  runnable_ids_.clear();  // reused as the list of waiting cancellable ids
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    if (record_of(task)->cancellable &&
        task->state().load().phase() == TaskPhase::kIdle) {
      runnable_ids_.push_back(task->id());
    }
  }
  if (runnable_ids_.empty()) return;
  if (options_.record_cancel_points) {
    const auto bound = static_cast<std::uint32_t>(runnable_ids_.size() + 1);
    for (std::uint32_t i = 0; i < runnable_ids_.size(); ++i) {
      const SimTask& waiting = *records_[runnable_ids_[i] - 1];
      const AwaitTrace& awaits = waiting.task->await_trace();
      CancelPoint point{step_,
                        bound,
                        i + 1,
                        waiting.id,
                        awaits.innermost(),
                        {},
                        waiting.generation};
      for (std::uint32_t k = 1; k < awaits.kept() && k <= 2; ++k) {
        point.callers[k - 1] = awaits.frame(k);
      }
      cancel_points_.push_back(point);
    }
  }
  const std::uint32_t choice =
      decide(DecisionKind::kCancelWaiting,
             static_cast<std::uint32_t>(runnable_ids_.size() + 1),
             cancel_waiting_chance_, {step_, 0});
  if (RunDetail* detail = trace_.detail()) [[unlikely]] {
    if (!detail->decision_choices.empty()) {
      detail->decision_choices.back().assign(runnable_ids_.begin(),
                                             runnable_ids_.end());
    }
  }
  if (choice == 0) return;
  SimTask* record = records_[runnable_ids_[choice - 1] - 1].get();
  if (!coverage_.empty()) count_cancel_coverage(*record);
  record->waiting_cancel_decision = static_cast<long>(decisions_.size() - 1);
  trace_.record(EventKind::kCancel, step_, record->id,
                static_cast<std::uint64_t>(record->waiting_cancel_decision),
                record->task->await_trace().innermost());
  // Idle, so the abort queues it; its next poll drops the future.
  abort_task(record->task);
}

}  // namespace weft::sim
