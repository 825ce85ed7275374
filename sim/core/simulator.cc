// The simulator's loop and its decisions. See simulator.h for where the
// other jobs live.
#include "sim/core/simulator.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "runtime/seam/check.h"
#include "runtime/seam/misuse.h"
#include "runtime/task/task_poll.h"
#include "runtime/task/task_waker.h"
#include "sim/core/options_check.h"
#include "sim/core/sim_timers.h"
#include "sim/decision/prng.h"

namespace weft::sim {
namespace {

// How extra virtual time before a step is expressed as a decision: 0 =
// none, k = k/(kTimeStepChoices-1) of time_step_max.
constexpr std::uint32_t kTimeStepChoices = 9;

}  // namespace

namespace {

// Simulators made in this process, numbered from 1 (a run's identity for
// objects that must not outlive it).
std::atomic<std::uint64_t> simulators_made{0};

}  // namespace

std::uint32_t Simulator::chance_of(double probability) {
  return Prng::probability_to_chance(probability);
}

Simulator::Simulator(DecisionSource& source, const SimOptions& options)
    : Executor(std::make_shared<Timers>(*this, clock_, options)),
      source_(source),
      options_(options),
      quarantine_(options.limits.quarantine_bytes_max,
                  options.limits.quarantine_blocks_max),
      run_id_(simulators_made.fetch_add(1, std::memory_order_relaxed) + 1),
      reorder_chance_(chance_of(options.perturbations.reorder_probability)),
      hold_chance_(options.perturbations.hold_wake_steps_max > 0
                       ? chance_of(options.perturbations.hold_wake_probability)
                       : 0),
      spurious_chance_(
          chance_of(options.perturbations.spurious_poll_probability)),
      cancel_chance_(chance_of(options.perturbations.cancel_probability)),
      cancel_waiting_chance_(
          chance_of(options.perturbations.cancel_waiting_probability)),
      time_step_chance_(
          options.perturbations.time_step_max > Duration::zero()
              ? chance_of(options.perturbations.time_step_probability)
              : 0) {
  decisions_.reserve(1u << 12);
  runnable_.reserve(64);
  if (options_.record_coverage) coverage_.assign(kCoverageSlots, 0);
  if (options_.record_detail) {
    trace_.enable_detail();
    // The report says what each pick and switch chose between.
    source_wants_ids_ = true;
    DecisionUnits& units = trace_.detail()->units;
    const NetworkShape& network = options_.network;
    units.step_ns[static_cast<int>(DecisionKind::kNetDelay)] =
        network.delay_step.count();
    units.step_ns[static_cast<int>(DecisionKind::kNetPartition)] =
        network.partition_step.count();
    units.step_ns[static_cast<int>(DecisionKind::kClockSkew)] =
        network.clock_skew_step.count();
    units.step_ns[static_cast<int>(DecisionKind::kNetNemesis)] =
        network.nemesis_step.count();
    units.step_ns[static_cast<int>(DecisionKind::kTimeStep)] =
        (options_.perturbations.time_step_max / (kTimeStepChoices - 1)).count();
    units.step_ns[static_cast<int>(DecisionKind::kDiskDelay)] =
        options_.storage.delay_step.count();
    units.step_ns[static_cast<int>(DecisionKind::kDiskHalt)] =
        network.nemesis_step.count();
    units.skew_steps_max = network.clock_skew_steps_max;
  }
}

Simulator::~Simulator() {
  if (scope_ != nullptr) (void)end();  // stepping that never called end()
  begin_shutdown();
  // Records still pointed at by leaked wakers stay behind; the last such
  // waker frees its record.
  for (std::unique_ptr<SimTask>& record : records_) {
    record->simulator = nullptr;
    if (record->live_wakers > 0) (void)record.release();
  }
}

Simulator* Simulator::current() noexcept {
  return dynamic_cast<Simulator*>(this_thread_runtime().hooks);
}

// --- decisions and failures -------------------------------------------------

std::uint32_t Simulator::decide(DecisionKind kind, std::uint32_t bound,
                                std::uint32_t perturb_chance,
                                DecisionLabel label,
                                std::span<const std::uint64_t> ids) {
  if (bound < 2) return 0;
  DecisionContext context;
  context.perturb_chance = perturb_chance;
  context.step = step_;
  context.label = label;
  context.index = decisions_.size();
  context.runnable_task_ids =
      kind == DecisionKind::kPickTask
          ? std::span<const std::uint64_t>(runnable_ids_)
          : ids;
  std::uint32_t value = source_.choose(kind, bound, context);
  if (value >= bound) {
    // A source answering out of range is a bug in that source; the run
    // stops rather than guess what it meant.
    fail(Checker::kProtocolMisuse,
         "the decision source answered " + std::to_string(value) + " to a " +
             std::string(to_string(kind)) + " question with " +
             std::to_string(bound) +
             " options (a DecisionSource must answer "
             "below the bound)");
    value = 0;
  }
  decisions_.push_back(Decision{kind, bound, value, label});
  if (RunDetail* detail = trace_.detail()) [[unlikely]] {
    detail->decision_events.push_back(trace_.events().size());
    detail->decision_choices.emplace_back(context.runnable_task_ids.begin(),
                                          context.runnable_task_ids.end());
    trace_.record(EventKind::kDecision, step_, polling_, decisions_.size() - 1);
  }
  return value;
}

void Simulator::fail(Checker checker, std::string message,
                     SourceLocation site) {
  if (failure_) return;  // the first failure is the one that counts
  Failure failure;
  failure.checker = checker;
  failure.message = std::move(message);
  failure.site = site;
  failure.step = step_;
  failure_ = std::move(failure);
  trace_.record(EventKind::kFailure, step_, polling_,
                static_cast<std::uint64_t>(checker), site);
}

std::size_t Simulator::fire_due_timers() {
  firing_timers_ = true;
  const std::size_t fired = timers()->fire_due(clock_.now());
  firing_timers_ = false;
  return fired;
}

std::string Simulator::pending_failure_text() const {
  if (!failure_) return {};
  return "weft: simulation failed (" +
         std::string(to_string(failure_->checker)) + ") at step " +
         std::to_string(failure_->step) + ": " + failure_->message + "\n" +
         trace_.timeline(options_.timeline_events);
}

// --- tasks ------------------------------------------------------------------

void Simulator::submit(TaskHeader* task) {
  WEFT_CHECK(!tearing_down_, "no spawn during teardown");
  auto record = std::make_unique<SimTask>();
  if (!record->taggable()) {
    // Cannot happen with 48-bit user-space addresses; say so if it does.
    report_misuse(
        "the simulator's task record lies above 2^48, where its waker tags "
        "go (an unusual address space)");
  }
  record->task = task;
  record->simulator = this;
  record->id = records_.size() + 1;
  record->spawned_at = task->spawned_at();
  task->bind(this, record->id);
  task->executor_data = record.get();
  record_by_cell_[task] = record.get();
  trace_.record(EventKind::kSpawn, step_, record->id, polling_,
                record->spawned_at);
  if (RunDetail* detail = trace_.detail()) [[unlikely]] {
    RunDetail::slot(detail->tasks, record->id).created_at = record->spawned_at;
  }
  records_.push_back(std::move(record));
  owned_.push_back(*task);  // adopts the creator's reference
  task->retain();           // and one for the run queue
  runnable_.push_back(task);
  if (polling_ != 0) {
    for (SpawnObserver* observer : spawn_observers_) {
      observer->on_spawn(polling_, task);
    }
  }
  if (owned_.size() > options_.limits.tasks_max) {
    fail(Checker::kTaskBudget, "more than " +
                                   std::to_string(options_.limits.tasks_max) +
                                   " unfinished tasks (limits.tasks_max)");
  }
}

void Simulator::schedule(TaskHeader* task) { runnable_.push_back(task); }

void Simulator::mark_cancellable(TaskId id) {
  if (id == 0 || id > records_.size()) return;
  SimTask& record = *records_[id - 1];
  if (record.cancellable || record.task->state().load().is_terminal()) return;
  record.cancellable = true;
  ++cancellable_tasks_;
}

// --- the loop ---------------------------------------------------------------

void Simulator::begin() {
  if (ran_) report_misuse("a Simulator runs one scenario once");
  ran_ = true;
  start_time_ = clock_.now();
  // Options out of their ranges fail the run before it starts.
  if (std::optional<std::string> problem = options_problem(options_)) {
    fail(Checker::kProtocolMisuse, "misuse: " + *problem);
  }
  threads_ = std::make_unique<SimThreads>(
      static_cast<ThreadHost&>(*this), options_.limits.threads_max,
      options_.limits.sync_operations_max,
      chance_of(options_.perturbations.thread_switch_probability), run_id_);
  threads_->set_memory_model(
      chance_of(options_.perturbations.stale_read_probability),
      options_.limits.atomic_history);
  scope_ = std::make_unique<RunScope>(*this);
}

bool Simulator::run_until_idle() {
  if (scope_ == nullptr) {
    report_misuse("Simulator::run_until_idle before begin()");
  }
  run_loop(true);
  return !failure_;
}

RunResult Simulator::end() {
  if (scope_ == nullptr) report_misuse("Simulator::end before begin()");
  teardown();
  check_leaks();
  finish_run();
  scope_.reset();
  thread_switches_ = threads_->switches();
  threads_.reset();
  return result();
}

void Simulator::finish_run() {
  source_.run_ended(decisions_.size());
  const char* mismatch = source_.mismatch();
  if (mismatch == nullptr) return;
  if (!failure_) {
    fail(Checker::kReplayMismatch, mismatch);
  } else if (failure_->checker != Checker::kReplayMismatch) {
    failure_->message +=
        "\n(and the replay did not fit the program: " + std::string(mismatch) +
        ")";
  }
}

RunResult Simulator::result() const {
  RunResult result;
  result.failure = failure_;
  result.decisions = decisions_;
  result.steps = step_;
  result.thread_switches = thread_switches_;
  result.net_messages = net_messages_;
  result.trace_hash = trace_.hash();
  result.marks = marks_;
  result.cancel_points = cancel_points_;
  result.coverage = coverage_;
  return result;
}

void Simulator::run_loop(bool until_idle) {
  // The run goes on until the root is done and every simulated thread has
  // finished (a thread left blocked is a deadlock).
  while (!failure_ &&
         (until_idle || !root_done_ || threads_->others_unfinished())) {
    if (const char* mismatch = source_.mismatch()) {
      fail(Checker::kReplayMismatch, mismatch);
      break;
    }
    deliver_due_held_wakes();
    if (runnable_.empty()) {
      if (!held_.empty()) {
        // Nothing else can happen until a held wake arrives: let it.
        held_.front().release_step = step_;
        continue;
      }
      // Simulated threads run while the executor has nothing to poll.
      if (threads_->run_while_idle()) continue;
      if (until_idle) break;
      if (advance_time()) continue;
      if (!failure_) report_stuck();
      break;
    }
    if (step_ >= options_.limits.steps_max) {
      fail(Checker::kStepBudget,
           "the run took more than " +
               std::to_string(options_.limits.steps_max) +
               " steps without finishing (livelock, or raise "
               "limits.steps_max)");
      break;
    }
    maybe_time_step();
    if (clock_.now() - start_time_ > options_.limits.virtual_time_max) {
      fail(Checker::kTimeBudget, "virtual time passed limits.virtual_time_max");
      break;
    }
    // Another simulated thread may run before this step's poll.
    if (threads_->at_loop_top()) continue;
    maybe_spurious_poll();
    maybe_cancel_waiting();
    poll_one(pick_index());
    ++step_;
  }
}

bool Simulator::advance_time() {
  const std::optional<Instant> next = timers()->next_deadline();
  if (!next) return false;
  if (*next - start_time_ > options_.limits.virtual_time_max) {
    fail(Checker::kTimeBudget,
         "the next timer is past limits.virtual_time_max of virtual time");
    return false;
  }
  clock_.advance_to(*next);
  trace_.record(EventKind::kTimeAdvanced, step_, 0,
                static_cast<std::uint64_t>(clock_.now().nanoseconds()));
  return fire_due_timers() > 0;
}

void Simulator::maybe_time_step() {
  if (time_step_chance_ == 0) return;
  const std::uint32_t extra = decide(DecisionKind::kTimeStep, kTimeStepChoices,
                                     time_step_chance_, {step_, 0});
  if (extra == 0) return;
  const Duration unit =
      options_.perturbations.time_step_max / (kTimeStepChoices - 1);
  clock_.advance_to(clock_.now() + unit * extra);
  trace_.record(EventKind::kTimeAdvanced, step_, 0,
                static_cast<std::uint64_t>(clock_.now().nanoseconds()));
  (void)fire_due_timers();
}

void Simulator::maybe_spurious_poll() {
  // One spurious poll at a time: a stream of them could otherwise keep
  // the queue full of tasks that have nothing to do.
  if (spurious_chance_ == 0 || spurious_pending_ != 0 ||
      owned_.size() <= runnable_.size()) {
    return;
  }
  if (decide(DecisionKind::kSpuriousPoll, 2, spurious_chance_, {step_, 0}) ==
      0) {
    return;
  }
  runnable_ids_.clear();  // reused as the list of idle task ids
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    if (task->state().load().phase() == TaskPhase::kIdle) {
      runnable_ids_.push_back(task->id());
    }
  }
  if (runnable_ids_.empty()) return;
  const std::uint32_t target =
      decide(DecisionKind::kSpuriousTarget,
             static_cast<std::uint32_t>(runnable_ids_.size()), spurious_chance_,
             {step_, 0});
  if (RunDetail* detail = trace_.detail()) [[unlikely]] {
    if (!detail->decision_choices.empty()) {
      detail->decision_choices.back().assign(runnable_ids_.begin(),
                                             runnable_ids_.end());
    }
  }
  SimTask* record = records_[runnable_ids_[target] - 1].get();
  trace_.record(EventKind::kSpuriousPoll, step_, record->id, 0);
  spurious_pending_ = record->id;
  deliver_wake(record);
}

std::size_t Simulator::pick_index() {
  if (runnable_.size() < 2 || reorder_chance_ == 0) {
    pick_skips_ = 0;
    return 0;
  }
  if (pick_skips_ >= options_.limits.pick_skips_max) {
    // Fairness: the oldest runnable task has been passed over enough.
    pick_skips_ = 0;
    return 0;
  }
  runnable_ids_.clear();
  if (source_wants_ids_) {
    for (TaskHeader* task : runnable_) runnable_ids_.push_back(task->id());
  }
  const std::uint32_t index = decide(
      DecisionKind::kPickTask, static_cast<std::uint32_t>(runnable_.size()),
      reorder_chance_, {step_, 0});
  pick_skips_ = index == 0 ? 0 : pick_skips_ + 1;
  return index;
}

void Simulator::update_drop_context(long cancel_decision, bool teardown) {
  quarantine_.set_context(DropContext{step_, polling_, cancel_decision,
                                      static_cast<long>(decisions_.size()) - 1,
                                      teardown});
}

void Simulator::poll_one(std::size_t index) {
  WEFT_CHECK_LT(index, runnable_.size());
  TaskHeader* task = runnable_[index];
  WEFT_CHECK(record_of(task) != nullptr, "a runnable task has a record");
  runnable_.erase(runnable_.begin() + static_cast<std::ptrdiff_t>(index));
  SimTask* record = record_of(task);
  if (record->id == spurious_pending_) spurious_pending_ = 0;
  long cancel_decision = record->waiting_cancel_decision;
  record->waiting_cancel_decision = -1;
  if (cancel_decision < 0 && record->cancellable && cancel_chance_ > 0 &&
      !task->state().load().is_terminal() &&
      decide(DecisionKind::kCancel, 2, cancel_chance_,
             {record->id, record->generation + 1}) == 1) {
    cancel_decision = static_cast<long>(decisions_.size() - 1);
    if (!coverage_.empty()) count_cancel_coverage(*record);
    (void)task->state().abort();  // queued, so no wake is needed
    trace_.record(EventKind::kCancel, step_, record->id,
                  static_cast<std::uint64_t>(cancel_decision),
                  record->task->await_trace().innermost());
  }
  ++record->generation;
  threads_->before_poll(record->id);
  polling_ = record->id;
  update_drop_context(cancel_decision, false);
  trace_.record(EventKind::kPollStart, step_, record->id, 0);
  const std::uint64_t parked_at = coverage_.empty() ? 0 : parked_site(*record);
  TaskPollResult result = TaskPollResult::kStale;
  try {
    result = poll_scheduled_task(task, this, record->waker_for_current_poll());
    if (!coverage_.empty()) count_poll_coverage(parked_at, *record, result);
  } catch (const RunAborted&) {
    // A report ended the run; the task stays as it is until teardown.
    polling_ = 0;
    task->release();  // the run queue's reference
    return;
  }
  polling_ = 0;
  switch (result) {
    case TaskPollResult::kRetire: {
      const bool cancelled =
          task->state().load().phase() == TaskPhase::kCancelled;
      trace_.record(EventKind::kPollEnd, step_, record->id, cancelled ? 0 : 1);
      retire(task, cancelled);
      break;
    }
    case TaskPollResult::kRequeue:
      trace_.record(EventKind::kPollEnd, step_, record->id, 0);
      task->retain();
      runnable_.push_back(task);
      break;
    case TaskPollResult::kIdle:
      trace_.record(EventKind::kPollEnd, step_, record->id, 0,
                    task->await_trace().innermost());
      check_after_poll(record);
      break;
    case TaskPollResult::kStale:
      break;
  }
  update_drop_context(-1, false);
  task->release();  // the run queue's reference
  if (!failure_ && options_.external_check) {
    if (std::optional<std::string> problem = options_.external_check()) {
      fail(Checker::kInvariant, *problem);
    }
  }
}

}  // namespace weft::sim
