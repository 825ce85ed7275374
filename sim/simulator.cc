#include "sim/simulator.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "runtime/task_poll.h"
#include "runtime/task_waker.h"
#include "sim/prng.h"

namespace weft::sim {
namespace {

thread_local Simulator* current_simulator = nullptr;

// "./tests/x.cc" reads better as "tests/x.cc".
const char* short_path(const char* file) {
  return (file[0] == '.' && file[1] == '/') ? file + 2 : file;
}

// How a shifted deadline is expressed as a decision: 0 = unchanged,
// 1..kJitterSteps earlier, kJitterSteps+1..2*kJitterSteps later.
constexpr std::uint32_t kJitterSteps = 8;
constexpr std::uint32_t kTimeStepChoices = 9;

std::uint32_t chance_of(double probability) {
  return Prng::probability_to_chance(probability);
}

}  // namespace

// Timers whose ties and jitter are decisions.
class Simulator::Timers final : public TimerService {
 public:
  // Built before the Simulator's members (it is the Executor base's), so
  // it reads the options from the constructor's argument, not the member.
  Timers(Simulator& simulator, Clock& clock, const SimOptions& options)
      : TimerService(clock),
        simulator_(simulator),
        jitter_max_(options.perturbations.timer_jitter_max),
        tie_chance_(chance_of(options.perturbations.timer_tie_probability)),
        jitter_chance_(
            chance_of(options.perturbations.timer_jitter_probability)) {}

 private:
  void order_ties(std::span<TimerEntry*> batch) override {
    if (batch.size() < 2 || tie_chance_ == 0) return;
    for (std::size_t i = 0; i + 1 < batch.size(); ++i) {
      const auto left = static_cast<std::uint32_t>(batch.size() - i);
      const std::uint32_t pick =
          simulator_.decide(DecisionKind::kTimerTie, left, tie_chance_);
      std::swap(batch[i], batch[i + pick]);
    }
  }

  Instant adjust_deadline(Instant requested) override {
    const Duration window = jitter_max_;
    if (jitter_chance_ == 0 || window <= Duration::zero()) return requested;
    const std::uint32_t choice = simulator_.decide(
        DecisionKind::kTimerJitter, 2 * kJitterSteps + 1, jitter_chance_);
    if (choice == 0) return requested;
    const Duration unit = window / kJitterSteps;
    const Instant shifted =
        choice <= kJitterSteps
            ? Instant::from_nanoseconds(requested.nanoseconds() -
                                        (unit * choice).count())
            : requested + unit * (choice - kJitterSteps);
    return std::max(shifted, simulator_.now());
  }

  Simulator& simulator_;
  Duration jitter_max_;
  std::uint32_t tie_chance_;
  std::uint32_t jitter_chance_;
};

// --- wakers -----------------------------------------------------------------

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

// --- construction -----------------------------------------------------------

Simulator::Simulator(DecisionSource& source, const SimOptions& options)
    : Executor(std::make_shared<Timers>(*this, clock_, options)),
      source_(source),
      options_(options),
      quarantine_(options.limits.quarantine_bytes_max),
      reorder_chance_(chance_of(options.perturbations.reorder_probability)),
      hold_chance_(options.perturbations.hold_wake_steps_max > 0
                       ? chance_of(options.perturbations.hold_wake_probability)
                       : 0),
      spurious_chance_(
          chance_of(options.perturbations.spurious_poll_probability)),
      cancel_chance_(chance_of(options.perturbations.cancel_probability)),
      time_step_chance_(
          options.perturbations.time_step_max > Duration::zero()
              ? chance_of(options.perturbations.time_step_probability)
              : 0) {
  decisions_.reserve(1u << 12);
  runnable_.reserve(64);
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

Simulator* Simulator::current() noexcept { return current_simulator; }

void Simulator::mark_cancellable(TaskId id) {
  if (id == 0 || id > records_.size()) return;
  records_[id - 1]->cancellable = true;
}

// --- decisions and failures
// ---------------------------------------------------

std::uint32_t Simulator::decide(DecisionKind kind, std::uint32_t bound,
                                std::uint32_t perturb_chance) {
  if (bound < 2) return 0;
  DecisionContext context;
  context.perturb_chance = perturb_chance;
  context.step = step_;
  if (kind == DecisionKind::kPickTask)
    context.runnable_task_ids = runnable_ids_;
  std::uint32_t value = source_.choose(kind, bound, context);
  if (value >= bound)
    value = 0;  // a source out of range is ignored, not trusted
  decisions_.push_back(Decision{kind, bound, value});
  return value;
}

void Simulator::fail(Checker checker, std::string message,
                     SourceLocation site) {
  if (failure_) return;  // the first failure is the one that counts
  failure_ = Failure{checker, std::move(message), site, step_};
  trace_.record(EventKind::kFailure, step_, polling_,
                static_cast<std::uint64_t>(checker));
}

std::string Simulator::pending_failure_text() const {
  if (!failure_) return {};
  std::string text = "weft: simulation failed (" +
                     std::string(to_string(failure_->checker)) + ") at step " +
                     std::to_string(failure_->step) + ": " + failure_->message +
                     "\n" + trace_.timeline(options_.timeline_events);
  return text;
}

// --- tasks
// --------------------------------------------------------------------

void Simulator::submit(TaskHeader* task) {
  auto record = std::make_unique<SimTask>();
  record->task = task;
  record->simulator = this;
  record->id = records_.size() + 1;
  record->spawned_at = task->spawned_at();
  task->bind(this, record->id);
  task->executor_data = record.get();
  record_by_cell_[task] = record.get();
  trace_.record(EventKind::kSpawn, step_, record->id, polling_);
  records_.push_back(std::move(record));
  owned_.push_back(*task);  // adopts the creator's reference
  task->retain();           // and one for the run queue
  runnable_.push_back(task);
  if (owned_.size() > options_.limits.tasks_max) {
    fail(Checker::kTaskBudget, "more than " +
                                   std::to_string(options_.limits.tasks_max) +
                                   " unfinished tasks (limits.tasks_max)");
  }
}

void Simulator::schedule(TaskHeader* task) { runnable_.push_back(task); }

void Simulator::retire(TaskHeader* task, bool cancelled) {
  const std::uint64_t id = task->id();
  owned_.remove(*task);
  trace_.record(EventKind::kComplete, step_, id, cancelled ? 1 : 0);
  if (id == root_id_) root_done_ = true;
  task->wake_join_waker();
  task->release();  // the executor's reference
}

// --- wakers
// -------------------------------------------------------------------

void Simulator::on_waker_clone(SimTask* record) {
  ++record->live_wakers;
  ++live_wakers_;
  record->last_clone_step = step_;
  record->last_clone_by = polling_;
  trace_.record(EventKind::kWakerClone, step_, record->id, record->live_wakers);
}

void Simulator::on_waker_drop(SimTask* record) {
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
  trace_.record(EventKind::kWake, step_, record->id, polling_);
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
    const std::uint32_t hold =
        decide(DecisionKind::kHoldWake,
               options_.perturbations.hold_wake_steps_max + 1, hold_chance_);
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
    --held.record->held_wakes;
    trace_.record(EventKind::kWakeReleased, step_, held.record->id, 0);
    deliver_wake(held.record);
    held.record->task->release();
    delivered = true;
  }
  held_.resize(kept);
  return delivered;
}

// --- the loop
// -----------------------------------------------------------------

void Simulator::begin() {
  if (ran_) report_misuse("a Simulator runs one scenario once");
  ran_ = true;
  scope_ = std::make_unique<RunScope>(*this);
}

bool Simulator::run_until_idle() {
  if (scope_ == nullptr)
    report_misuse("Simulator::run_until_idle before begin()");
  run_loop(true);
  return !failure_;
}

RunResult Simulator::end() {
  if (scope_ == nullptr) report_misuse("Simulator::end before begin()");
  teardown();
  check_leaks();
  scope_.reset();
  return result();
}

RunResult Simulator::result() const {
  RunResult result;
  result.failure = failure_;
  result.decisions = decisions_;
  result.steps = step_;
  result.trace_hash = trace_.hash();
  return result;
}

void Simulator::run_loop(bool until_idle) {
  const Instant start = clock_.now();
  while (!failure_ && (until_idle || !root_done_)) {
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
    if (time_step_chance_ > 0) {
      const std::uint32_t extra =
          decide(DecisionKind::kTimeStep, kTimeStepChoices, time_step_chance_);
      if (extra > 0) {
        const Duration unit =
            options_.perturbations.time_step_max / (kTimeStepChoices - 1);
        clock_.advance_to(clock_.now() + unit * extra);
        trace_.record(EventKind::kTimeAdvanced, step_, 0,
                      static_cast<std::uint64_t>(clock_.now().nanoseconds()));
        timers()->fire_due(clock_.now());
      }
    }
    if (clock_.now() - start > options_.limits.virtual_time_max) {
      fail(Checker::kTimeBudget, "virtual time passed limits.virtual_time_max");
      break;
    }
    maybe_spurious_poll();
    std::size_t index = 0;
    if (runnable_.size() >= 2 && reorder_chance_ > 0) {
      runnable_ids_.clear();
      for (TaskHeader* task : runnable_) runnable_ids_.push_back(task->id());
      index =
          decide(DecisionKind::kPickTask,
                 static_cast<std::uint32_t>(runnable_.size()), reorder_chance_);
    }
    poll_one(index);
    ++step_;
  }
}

bool Simulator::advance_time() {
  const std::optional<Instant> next = timers()->next_deadline();
  if (!next) return false;
  if (*next - Instant() > options_.limits.virtual_time_max) {
    fail(Checker::kTimeBudget,
         "the next timer is past limits.virtual_time_max of virtual time");
    return false;
  }
  clock_.advance_to(*next);
  trace_.record(EventKind::kTimeAdvanced, step_, 0,
                static_cast<std::uint64_t>(clock_.now().nanoseconds()));
  return timers()->fire_due(clock_.now()) > 0;
}

void Simulator::maybe_spurious_poll() {
  if (spurious_chance_ == 0 || owned_.size() <= runnable_.size()) return;
  if (decide(DecisionKind::kSpuriousPoll, 2, spurious_chance_) == 0) return;
  runnable_ids_.clear();  // reused as the list of idle task ids
  for (TaskHeader* task = owned_.front(); task != nullptr;
       task = OwnedTasks::next(*task)) {
    if (task->state().load().phase() == TaskPhase::kIdle) {
      runnable_ids_.push_back(task->id());
    }
  }
  if (runnable_ids_.empty()) return;
  const std::uint32_t target = decide(
      DecisionKind::kSpuriousTarget,
      static_cast<std::uint32_t>(runnable_ids_.size()), spurious_chance_);
  SimTask* record = records_[runnable_ids_[target] - 1].get();
  trace_.record(EventKind::kSpuriousPoll, step_, record->id, 0);
  deliver_wake(record);
}

void Simulator::poll_one(std::size_t index) {
  TaskHeader* task = runnable_[index];
  runnable_.erase(runnable_.begin() + static_cast<std::ptrdiff_t>(index));
  SimTask* record = record_of(task);
  long cancel_decision = -1;
  if (record->cancellable && cancel_chance_ > 0 &&
      !task->state().load().is_terminal() &&
      decide(DecisionKind::kCancel, 2, cancel_chance_) == 1) {
    cancel_decision = static_cast<long>(decisions_.size() - 1);
    (void)task->state().abort();  // queued, so no wake is needed
    trace_.record(EventKind::kCancel, step_, record->id,
                  static_cast<std::uint64_t>(cancel_decision));
  }
  ++record->generation;
  polling_ = record->id;
  quarantine_.set_context(
      DropContext{step_, record->id, cancel_decision, false});
  trace_.record(EventKind::kPollStart, step_, record->id, 0);
  const TaskPollResult result =
      poll_scheduled_task(task, this, record->waker_for_current_poll());
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
      trace_.record(EventKind::kPollEnd, step_, record->id, 0);
      check_after_poll(record);
      break;
    case TaskPollResult::kStale:
      break;
  }
  quarantine_.set_context(DropContext{step_, 0, -1, false});
  task->release();  // the run queue's reference
  if (!failure_ && options_.external_check) {
    if (std::optional<std::string> problem = options_.external_check()) {
      fail(Checker::kInvariant, *problem);
    }
  }
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

// --- checks at the end
// --------------------------------------------------------

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
  if (stale) {
    fail(Checker::kStaleWaker,
         "task " + std::to_string(stale_task) +
             " was woken only through a waker from an earlier poll, and now "
             "nothing can run: a future kept an old waker instead of the one "
             "of its latest poll. " +
             count + " unfinished task(s):\n" + tasks);
    return;
  }
  fail(Checker::kDeadlock,
       "no task can run, no timer is armed and no wake is pending, yet " +
           count + " task(s) are unfinished (deadlock or lost wakeup):\n" +
           tasks);
}

void Simulator::check_root(bool finished, bool threw, const std::string& what) {
  if (failure_ || !finished) return;
  if (threw) {
    fail(Checker::kUncaughtException,
         "the scenario's root task threw: " + what);
  }
}

void Simulator::teardown() {
  tearing_down_ = true;
  quarantine_.set_context(DropContext{step_, 0, -1, true});
  // Newest first, as the runtime's executors do (see owned_tasks.h).
  while (TaskHeader* task = owned_.back()) {
    (void)cancel_idle_task(task);
    retire(task, true);
  }
  for (TaskHeader* task : runnable_) task->release();
  runnable_.clear();
  for (HeldWake& held : held_) {
    --held.record->held_wakes;
    held.record->task->release();
  }
  held_.clear();
}

void Simulator::check_leaks() {
  std::string leaks;
  for (const std::unique_ptr<SimTask>& record : records_) {
    if (record->cell_freed) continue;
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
  const std::size_t frames =
      quarantine_.live_count(MemoryKind::kCoroutineFrame);
  if (frames > 0) {
    leaks += "  " + std::to_string(frames) +
             " coroutine frame(s) created during the run were never freed\n";
  }
  for (const SourceLocation& site : timers()->armed_sites()) {
    leaks += "  a timer armed at " + std::string(short_path(site.file)) + ":" +
             std::to_string(site.line) + " is still armed after teardown\n";
  }
  std::optional<std::string> corrupted = quarantine_.check_canaries();
  if (corrupted) {
    // Memory corruption explains whatever else went wrong, so it wins.
    std::string earlier;
    if (failure_) {
      earlier = "\n(the run had also failed with " +
                std::string(to_string(failure_->checker)) + ": " +
                failure_->message + ")";
      failure_.reset();
    }
    fail(Checker::kUseAfterDrop, *corrupted + earlier);
    return;
  }
  if (!leaks.empty()) {
    fail(Checker::kLeak,
         "after the run and teardown, these are still alive:\n" + leaks);
  }
}

// --- hooks
// --------------------------------------------------------------------

void* Simulator::allocate(std::size_t size, MemoryKind kind) {
  return quarantine_.allocate(size, kind);
}

void Simulator::deallocate(void* block, std::size_t size, MemoryKind kind) {
  if (kind == MemoryKind::kTaskCell) {
    auto found = record_by_cell_.find(block);
    if (found != record_by_cell_.end()) {
      found->second->cell_freed = true;
      DropContext context = quarantine_.context();
      context.task = found->second->id;
      const DropContext saved = quarantine_.context();
      quarantine_.set_context(context);
      record_by_cell_.erase(found);
      quarantine_.deallocate(block, size, kind);
      quarantine_.set_context(saved);
      return;
    }
  }
  quarantine_.deallocate(block, size, kind);
}

bool Simulator::should_inject(double probability, SourceLocation site) {
  auto key = std::make_pair(std::string(site.file), site.line);
  auto found = buggify_sites_.find(key);
  if (found == buggify_sites_.end()) {
    const std::uint32_t site_chance =
        chance_of(options_.perturbations.buggify_site_probability);
    const bool enabled = site_chance > 0 && decide(DecisionKind::kBuggifySite,
                                                   2, site_chance) == 1;
    found = buggify_sites_.emplace(std::move(key), enabled).first;
  }
  if (!found->second) return false;
  const bool fire =
      decide(DecisionKind::kBuggifyFire, 2, chance_of(probability)) == 1;
  if (fire) trace_.record(EventKind::kBuggify, step_, polling_, site.line);
  return fire;
}

// --- run scope
// ----------------------------------------------------------------

namespace {

void misuse_in_simulation(std::string_view what, SourceLocation where) {
  current_simulator->fail(
      Checker::kProtocolMisuse,
      "misuse: " + std::string(what) +
          (where.known() ? " (at " + std::string(short_path(where.file)) + ":" +
                               std::to_string(where.line) + ")"
                         : std::string()),
      where);
  throw RunAborted{};
}

void invariant_in_simulation(std::string_view condition,
                             std::string_view message, SourceLocation where) {
  current_simulator->fail(Checker::kInvariant,
                          "WEFT_ASSERT(" + std::string(condition) +
                              ") failed: " + std::string(message) + " (at " +
                              std::string(short_path(where.file)) + ":" +
                              std::to_string(where.line) + ")",
                          where);
  throw RunAborted{};
}

void terminate_in_simulation() {
  // A handler threw RunAborted where no exception may pass (a destructor):
  // say what the simulator found before the process ends.
  if (current_simulator != nullptr) {
    std::fprintf(stderr, "%s\n",
                 current_simulator->pending_failure_text().c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace

Simulator::RunScope::RunScope(Simulator& simulator)
    : previous_simulator_(std::exchange(current_simulator, &simulator)),
      previous_misuse_(set_misuse_handler(&misuse_in_simulation)),
      previous_invariant_(set_invariant_handler(&invariant_in_simulation)),
      previous_injector_(set_fault_injector(&simulator)),
      previous_hooks_(set_memory_hooks(&simulator)),
      previous_terminate_(std::set_terminate(&terminate_in_simulation)) {
  Quarantine::describe_bad_accesses_of(&simulator.quarantine_);
}

Simulator::RunScope::~RunScope() {
  Quarantine::describe_bad_accesses_of(previous_simulator_ != nullptr
                                           ? &previous_simulator_->quarantine_
                                           : nullptr);
  std::set_terminate(previous_terminate_);
  set_memory_hooks(previous_hooks_);
  set_fault_injector(previous_injector_);
  set_invariant_handler(previous_invariant_);
  set_misuse_handler(previous_misuse_);
  current_simulator = previous_simulator_;
}

}  // namespace weft::sim
