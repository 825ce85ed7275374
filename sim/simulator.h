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
// Everything here is single-threaded and deterministic: no wall clock, no
// threads, no pointer-keyed ordering reaches a decision.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/assert.h"
#include "runtime/buggify.h"
#include "runtime/executor.h"
#include "runtime/future.h"
#include "runtime/memory_hooks.h"
#include "runtime/misuse.h"
#include "runtime/owned_tasks.h"
#include "sim/decision_source.h"
#include "sim/failure.h"
#include "sim/options.h"
#include "sim/quarantine.h"
#include "sim/sim_task.h"
#include "sim/trace.h"
#include "sim/virtual_clock.h"

namespace weft::sim {

struct RunResult {
  std::optional<Failure> failure;
  DecisionList decisions;
  std::uint64_t steps = 0;
  std::uint64_t trace_hash = 0;
};

class Simulator final : public Executor,
                        private MemoryHooks,
                        private FaultInjector {
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

  // Lets the simulator cancel the task at its poll boundaries.
  void mark_cancellable(TaskId id);

  const Trace& trace() const noexcept { return trace_; }
  const DecisionList& decisions() const noexcept { return decisions_; }
  std::uint64_t step() const noexcept { return step_; }
  Instant now() const noexcept { return clock_.now(); }

  // Used by the sim's wakers, timers and handlers (not by scenarios).
  void on_wake(SimTask* record, std::uint32_t generation);
  void on_waker_clone(SimTask* record);
  void on_waker_drop(SimTask* record);
  std::uint32_t decide(DecisionKind kind, std::uint32_t bound,
                       std::uint32_t perturb_chance);
  void fail(Checker checker, std::string message, SourceLocation site = {});
  bool failed() const noexcept { return failure_.has_value(); }
  std::uint64_t polled_task_id() const noexcept { return polling_; }
  const SimOptions& options() const noexcept { return options_; }
  // The report of a failure that ended the run, for a terminate handler.
  std::string pending_failure_text() const;

 private:
  class Timers;
  class RunScope;
  struct HeldWake {
    SimTask* record;
    std::uint64_t release_step;
  };

  // Executor
  void schedule(TaskHeader* task) override;
  void submit(TaskHeader* task) override;
  // MemoryHooks
  void* allocate(std::size_t size, MemoryKind kind) override;
  void deallocate(void* block, std::size_t size, MemoryKind kind) override;
  // FaultInjector
  bool should_inject(double probability, SourceLocation site) override;

  // Runs until the root finishes (or, with `until_idle`, until nothing can
  // run without time passing) or a checker fires.
  void run_loop(bool until_idle);
  RunResult result() const;
  bool deliver_due_held_wakes();
  bool advance_time();
  void maybe_spurious_poll();
  void poll_one(std::size_t index);
  void retire(TaskHeader* task, bool cancelled);
  void deliver_wake(SimTask* record);
  void check_after_poll(SimTask* record);
  void report_stuck();
  void teardown();
  void check_leaks();
  void check_root(bool finished, bool threw, const std::string& what);
  std::string describe_task(const SimTask& record) const;
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
  std::vector<HeldWake> held_;
  OwnedTasks owned_;
  std::vector<std::unique_ptr<SimTask>> records_;  // indexed by id - 1
  std::map<const void*, SimTask*> record_by_cell_;
  std::map<std::pair<std::string, std::uint32_t>, bool> buggify_sites_;

  std::uint64_t step_ = 0;
  std::uint64_t polling_ = 0;
  std::uint64_t root_id_ = 0;
  bool root_done_ = false;
  std::uint64_t live_wakers_ = 0;
  bool tearing_down_ = false;
  bool ran_ = false;
  std::unique_ptr<RunScope> scope_;  // set between begin() and end()
  std::uint32_t reorder_chance_;
  std::uint32_t hold_chance_;
  std::uint32_t spurious_chance_;
  std::uint32_t cancel_chance_;
  std::uint32_t time_step_chance_;
};

// Spawns onto the current executor; inside a simulation the task may also
// be cancelled by the simulator at any of its poll boundaries.
template <Future F>
JoinHandle<OutputOf<F>> spawn_cancellable(
    F future, SourceLocation at = SourceLocation::current()) {
  auto handle = weft::spawn(std::move(future), at);
  if (Simulator* simulator = Simulator::current()) {
    simulator->mark_cancellable(handle.id());
  }
  return handle;
}

// Installs the simulator's hooks (misuse and invariant handlers, memory
// hooks, fault injector, current simulator) for the duration of a run.
class Simulator::RunScope {
 public:
  explicit RunScope(Simulator& simulator);
  ~RunScope();
  RunScope(const RunScope&) = delete;
  RunScope& operator=(const RunScope&) = delete;

 private:
  Simulator* previous_simulator_;
  MisuseHandler previous_misuse_;
  InvariantHandler previous_invariant_;
  FaultInjector* previous_injector_;
  MemoryHooks* previous_hooks_;
  std::terminate_handler previous_terminate_;
};

// Thrown by the simulator's misuse and invariant handlers to unwind out of
// the code under test; deliberately not a std::exception, so that user
// code catching std::exception does not swallow it.
struct RunAborted {};

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
