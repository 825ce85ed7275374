// weft::sim::run_plans_in_parallel: runs a strategy's plans on several
// threads of this process and hands the results back in plan order, so a
// parallel sweep reports exactly what a serial one would: the same runs
// counted, the same statistics, the same first failing seed.
//
// Only for strategies whose plans do not depend on earlier results
// (Strategy::plans_independent(): random and pct). Plans are taken from
// the strategy in order under a lock, each run executes on its worker
// thread with that thread's own hooks (runtime/seam/hooks.h), and finished runs
// wait in a reorder buffer until every earlier run has been committed.
// When `commit` returns false (a failure) nothing later is committed and
// no new plan is taken; runs already in flight finish and are dropped.
// Workers stay at most `window_per_job` runs per thread ahead of the
// oldest uncommitted run, so the buffer is bounded. Short runs are claimed
// in batches, so a sweep of microsecond runs does not spend its time on
// the lock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "sim/core/run_result.h"
#include "sim/search/strategy.h"

namespace weft::sim {

class FatalReporter;

struct ParallelRunsSetup {
  std::uint32_t jobs = 2;
  std::uint64_t window_per_job = 64;
  // Made once per worker thread, before its first run: what a crash on
  // that thread prints (each worker tells its own reporter its run).
  std::function<std::unique_ptr<FatalReporter>()> make_reporter;
  // Called on each worker before its first run; the returned object lives
  // until the worker's last run ends (may be empty).
  std::function<std::shared_ptr<void>()> worker_setup;
  // Runs one plan; `run_number` counts from 1 in plan order.
  std::function<RunResult(const RunPlan& plan, FatalReporter* reporter,
                          std::uint64_t run_number)>
      execute;
  // Called in plan order, one at a time; false stops the sweep.
  std::function<bool(RunPlan& plan, RunResult& run)> commit;
};

// Returns after every worker has stopped. An exception thrown by a run
// or a commit is rethrown here (the first one, in time order).
void run_plans_in_parallel(Strategy& strategy, const ParallelRunsSetup& setup);

// What jobs = 0 means: one worker per core the process may use.
std::uint32_t default_jobs() noexcept;

}  // namespace weft::sim
