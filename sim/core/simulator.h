// weft::sim::Simulator: an Executor that runs a scenario with every
// nondeterministic choice taken from a DecisionSource and recorded, and
// that checks the run as it goes.
//
// One Simulator runs one scenario once:
//
//   RandomWalkSource source(seed);
//   Simulator simulator(source, options);
//   RunResult result = simulator.run(my_scenario());
//
// The loop: deliver held wakes that are due; if nothing can run, advance
// virtual time to the next timer (or report a deadlock); maybe queue a
// spurious poll; pick a runnable task; maybe cancel it (if it was spawned
// cancellable); poll it; check. The run ends when the root task finishes
// or a checker fires; then every task is dropped (teardown) and the leak
// and use-after-drop checks run.
//
// Where the jobs live: simulator.cc (the loop and decisions), wakers.cc
// (wakers, wakes held back), sim_timers.cc (tie order and jitter),
// checks.cc (stuck tasks, leaks, teardown), hooks.cc (the runtime
// seam: reports, buggify, memory, cancellability), cancel.cc
// (cancelling a waiting task), run_coverage.cc (schedule coverage for the
// coverage-guided strategy).
//
// Everything here is single-threaded and deterministic: no wall clock, no
// threads, no pointer-keyed ordering reaches a decision. Fairness bounds
// (limits.pick_skips_max, one spurious poll at a time) keep any sequence of
// decisions, even a fuzzer's, from starving a correct program.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runtime/future/future.h"
#include "runtime/seam/hooks.h"
#include "runtime/task/executor.h"
#include "runtime/task/owned_tasks.h"
#include "runtime/task/task_poll.h"
#include "sim/core/coverage.h"
#include "sim/core/options.h"
#include "sim/core/run_result.h"
#include "sim/core/sim_task.h"
#include "sim/core/virtual_clock.h"
#include "sim/decision/decision_source.h"
#include "sim/memory/quarantine.h"
#include "sim/report/failure.h"
#include "sim/report/trace.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/thread_host.h"

namespace weft::sim {

class FatalReporter;

// Told of every task spawned while another task is being polled (the
// simulated network counts a host's task's children as the host's).
class SpawnObserver {
 public:
  virtual void on_spawn(std::uint64_t parent, TaskHeader* child) = 0;

 protected:
  ~SpawnObserver() = default;
};

// Something of the simulated world that can outlive its run (a simulated
// disk kept alive by an open file): asked after teardown what of it is
// still alive, in the leak checker's words ("" for nothing).
class LeakSource {
 public:
  virtual std::string describe_leak() const = 0;

 protected:
  ~LeakSource() = default;
};

// The Simulator is also the thread's RuntimeHooks while it runs (the one
// seam, runtime/seam/hooks.h): reports, buggify, task and frame memory and
// cancellability all come here.
class Simulator final : public Executor,
                        public RuntimeHooks,
                        private ThreadHost {
 public:
  Simulator(DecisionSource& source, const SimOptions& options);
  ~Simulator();

  // Runs `root` as task 1 until it finishes or a checker fires, then tears
  // down and checks for leaks. Call once.
  template <Future F>
  RunResult run(F root) {
    return run_made([&root] { return std::move(root); });
  }
  // The same, with the root made by `make_root()` inside the run (so that
  // its memory is tracked from the start).
  template <typename MakeRoot>
  RunResult run_made(MakeRoot&& make_root);

  // Stepping, for tests that act on the world from outside between steps
  // (model-based properties): begin() installs the simulator's hooks,
  // spawn() adds tasks, run_until_idle() runs until no task can run and no
  // held wake is pending (virtual time does not advance; a deadlock is not
  // reported, since the caller may act next), and end() tears down, checks
  // for leaks and removes the hooks. Returns of run_until_idle: whether the
  // run is still free of failures.
  void begin();
  bool run_until_idle();
  RunResult end();

  // The simulator running on this thread, or nullptr.
  static Simulator* current() noexcept;
  // This run's number in the process (from 1): what objects that belong to
  // a run (a SimNet, its sockets, simulated threads) remember, so that
  // using one in another run is a misuse naming both.
  std::uint64_t run_id() const noexcept { return run_id_; }

  // What a crash handler prints about this run (see fatal_report.h); set
  // by sweeps before the run.
  void set_fatal_reporter(FatalReporter* reporter) noexcept {
    fatal_reporter_ = reporter;
  }
  FatalReporter* fatal_reporter() const noexcept { return fatal_reporter_; }

  // RuntimeHooks
  bool on_misuse(std::string_view what, SourceLocation where) override;
  bool on_invariant_failure(std::string_view condition,
                            std::string_view message,
                            SourceLocation where) override;
  bool should_inject(double probability, SourceLocation site) override;
  void* allocate(std::size_t size, MemoryKind kind) override;
  void deallocate(void* block, std::size_t size,
                  MemoryKind kind) noexcept override;
  // Lets the simulator cancel the task at its poll boundaries.
  void mark_cancellable(TaskId id) override;
  void on_mark(std::string_view name, bool reached, bool sometimes,
               SourceLocation site) override;
  void describe_fatal(int fd, const char* cause) noexcept override;
  void on_empty_wake(SourceLocation site) noexcept override;
  bool take_freed_block(void* block, std::size_t size) noexcept override {
    return quarantine_.take_heap_block(block, size);
  }

  const Trace& trace() const noexcept { return trace_; }
  const DecisionList& decisions() const noexcept { return decisions_; }
  std::uint64_t step() const noexcept override { return step_; }
  Instant now() const noexcept { return clock_.now(); }
  const std::optional<Failure>& failure() const noexcept { return failure_; }

  // Used by the sim's wakers, timers and hooks (not by scenarios).
  void on_wake(SimTask* record, std::uint32_t generation);
  void on_waker_clone(SimTask* record);
  void on_waker_drop(SimTask* record);
  // `ids`: what the choices are (task or thread ids), for sources that
  // want them; picks pass their own.
  std::uint32_t decide(DecisionKind kind, std::uint32_t bound,
                       std::uint32_t perturb_chance, DecisionLabel label,
                       std::span<const std::uint64_t> ids = {}) override;
  void fail(Checker checker, std::string message,
            SourceLocation site = {}) override;
  void add_spawn_observer(SpawnObserver* observer) {
    spawn_observers_.push_back(observer);
  }
  void remove_spawn_observer(SpawnObserver* observer) {
    std::erase(spawn_observers_, observer);
  }
  void add_leak_source(LeakSource* source) { leak_sources_.push_back(source); }
  void remove_leak_source(LeakSource* source) {
    std::erase(leak_sources_, source);
  }
  // The simulated network is delivering `message` (0: done): the wakes it
  // causes name it.
  void set_delivering(std::uint64_t message) noexcept {
    delivering_message_ = message;
  }
  // Numbers the simulated network's messages and hosts across the run
  // (a run may have several SimNets; labels must not collide).
  std::uint64_t number_message() noexcept { return ++messages_numbered_; }
  std::uint32_t number_host() noexcept { return ++hosts_numbered_; }
  // The same for simulated disks and their operations (disk-*@O labels).
  std::uint32_t number_disk() noexcept { return ++disks_numbered_; }
  std::uint64_t number_disk_op() noexcept { return ++disk_ops_numbered_; }
  // A message the simulated network delivered (counted in RunResult).
  void count_net_message() noexcept { ++net_messages_; }
  // Adds an event of the simulated world (the network's) to the trace.
  void record_event(EventKind kind, std::uint64_t subject, std::uint64_t arg,
                    SourceLocation site = {},
                    SourceLocation other = {}) override {
    trace_.record(kind, step_, subject, arg, site, other);
  }
  // The run's detail record (SimOptions::record_detail), or nullptr.
  RunDetail* detail() noexcept override { return trace_.detail(); }
  bool records_coverage() const noexcept override { return !coverage_.empty(); }
  void thread_switch_coverage(SourceLocation stopped,
                              SourceLocation resumes) noexcept override;
  void reads_from_coverage(SourceLocation load, SourceLocation store,
                           std::uint64_t age) noexcept override;
  // Fires the timers due now; returns how many fired.
  std::size_t fire_due_timers();
  // A report ends the run from the code under test: unwinds the other
  // simulated threads first when this is the executor's thread (their
  // stacks may use the frames about to unwind), then throws RunAborted.
  [[noreturn]] void abort_run();
  // Probability to the chance a DecisionSource is given.
  static std::uint32_t chance_of(double probability);
  // An eventually() property that did not hold by its deadline: fails the
  // run with every unfinished task described, and unwinds the caller.
  void fail_liveness(std::string what, SourceLocation site);
  bool failed() const noexcept override { return failure_.has_value(); }
  // True while the run's tasks are being dropped after it ended.
  bool tearing_down() const noexcept { return tearing_down_; }
  std::uint64_t polled_task_id() const noexcept override { return polling_; }
  bool wants_choice_ids() const noexcept override { return source_wants_ids_; }
  const SimOptions& options() const noexcept { return options_; }
  // The failure that ended the run and its timeline, as text; for the
  // fatal handlers.
  std::string pending_failure_text() const;

 private:
  class Timers;
  class RunScope;
  struct HeldWake {
    SimTask* record;
    std::uint64_t release_step;
  };
  struct BuggifySite {
    bool enabled = false;
    std::uint64_t hash = 0;
    std::uint32_t calls = 0;
  };

  // Executor
  void schedule(TaskHeader* task) override;
  void submit(TaskHeader* task) override;

  // The loop (simulator.cc). Runs until the root finishes (or, with
  // `until_idle`, until nothing can run without time passing) or a checker
  // fires.
  void run_loop(bool until_idle);
  RunResult result() const;
  void finish_run();
  bool advance_time();
  void maybe_time_step();
  void maybe_spurious_poll();
  void maybe_cancel_waiting();
  std::size_t pick_index();
  void poll_one(std::size_t index);
  void update_drop_context(long cancel_decision, bool teardown);
  // Wakers (wakers.cc).
  bool deliver_due_held_wakes();
  void deliver_wake(SimTask* record);
  // Checks (checks.cc).
  void retire(TaskHeader* task, bool cancelled);
  void check_after_poll(SimTask* record);
  void report_stuck();
  void teardown();
  void check_leaks();
  void check_root(bool finished, bool threw, const std::string& what);
  std::string describe_task(const SimTask& record) const;
  // Schedule coverage (run_coverage.cc), counted only when recorded.
  std::uint64_t parked_site(const SimTask& record) const noexcept;
  void count_poll_coverage(std::uint64_t parked_at, const SimTask& record,
                           TaskPollResult result) noexcept;
  void count_cancel_coverage(const SimTask& record) noexcept;
  void count_mark_coverage(std::string_view name) noexcept;
  std::string describe_leaked_frames() const;
  SimTask* record_of(TaskHeader* task) const noexcept {
    return static_cast<SimTask*>(task->executor_data);
  }

  DecisionSource& source_;
  SimOptions options_;
  VirtualClock clock_;
  Quarantine quarantine_;
  Trace trace_;
  DecisionList decisions_;
  std::optional<Failure> failure_;

  std::vector<TaskHeader*> runnable_;  // wake order; each holds a reference
  std::vector<std::uint64_t> runnable_ids_;
  // Whether picks list the runnable tasks' ids for the source (PCT does).
  bool source_wants_ids_ = source_.wants_runnable_task_ids();
  // While timers fire, a wake is a timer's (its event names the timer).
  bool firing_timers_ = false;
  // The task whose end is waking its joiner (0: none).
  std::uint64_t finishing_task_ = 0;
  // The message the simulated network is delivering (0: none).
  std::uint64_t delivering_message_ = 0;
  std::vector<HeldWake> held_;
  OwnedTasks owned_;
  std::vector<std::unique_ptr<SimTask>> records_;  // indexed by id - 1
  // Lookup only (never iterated into a decision).
  std::map<const void*, SimTask*> record_by_cell_;
  std::map<std::pair<std::string, std::uint32_t>, BuggifySite> buggify_sites_;
  std::vector<MarkResult> marks_;
  std::vector<CancelPoint> cancel_points_;
  CoverageMap coverage_;              // empty unless options_.record_coverage
  std::uint64_t last_parked_at_ = 0;  // site hash of the last poll's end

  const std::uint64_t run_id_;
  std::uint64_t step_ = 0;
  std::uint64_t polling_ = 0;
  std::uint64_t root_id_ = 0;
  bool root_done_ = false;
  std::uint64_t live_wakers_ = 0;
  bool tearing_down_ = false;
  bool ran_ = false;
  // Consecutive picks that passed over the oldest runnable task.
  std::uint32_t pick_skips_ = 0;
  // The task queued by a spurious poll and not polled yet (0: none).
  std::uint64_t spurious_pending_ = 0;
  Instant start_time_;
  // The run's simulated threads (weft::sync answers here); made by begin()
  // before the hooks are installed, gone after teardown.
  std::unique_ptr<SimThreads> threads_;
  std::uint64_t thread_switches_ = 0;  // kept when threads_ is gone
  std::uint64_t net_messages_ = 0;
  std::uint64_t messages_numbered_ = 0;
  std::uint32_t hosts_numbered_ = 0;
  std::uint32_t disks_numbered_ = 0;
  std::uint64_t disk_ops_numbered_ = 0;
  std::vector<SpawnObserver*> spawn_observers_;  // in registration order
  std::vector<LeakSource*> leak_sources_;        // in registration order
  std::unique_ptr<RunScope> scope_;  // set between begin() and end()
  FatalReporter* fatal_reporter_ = nullptr;
  std::uint32_t reorder_chance_;
  std::uint32_t hold_chance_;
  std::uint32_t spurious_chance_;
  std::uint32_t cancel_chance_;
  std::uint32_t cancel_waiting_chance_;
  // Unfinished tasks spawned cancellable (waiting cancellation asks only
  // when there is one).
  std::uint32_t cancellable_tasks_ = 0;
  std::uint32_t time_step_chance_;
};

// The runtime's spawn_cancellable, also under its old name here.
using weft::spawn_cancellable;

// Installs the simulator as the thread's hooks for the duration of a run.
class Simulator::RunScope {
 public:
  explicit RunScope(Simulator& simulator);
  ~RunScope();
  RunScope(const RunScope&) = delete;
  RunScope& operator=(const RunScope&) = delete;

 private:
  RuntimeHooks* previous_hooks_;
  sync::SyncHooks* previous_sync_;
};

template <typename MakeRoot>
RunResult Simulator::run_made(MakeRoot&& make_root) {
  begin();
  // The root is made inside the run so its frame is counted and
  // quarantined like every other.
  auto handle = spawn(make_root());
  root_id_ = handle.id();
  run_loop(false);
  bool threw = false;
  std::string what;
  if (!failure_ && handle.is_finished()) {
    try {
      const Waker waker;
      Context cx(waker);
      (void)handle.poll(cx);
    } catch (const RunAborted&) {
    } catch (const std::exception& error) {
      threw = true;
      what = error.what();
    } catch (...) {
      threw = true;
      what = "an exception not derived from std::exception";
    }
  }
  check_root(handle.is_finished(), threw, what);
  handle.detach();
  return end();
}

}  // namespace weft::sim
