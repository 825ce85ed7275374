#include "sim/parallel_runs.h"

#include <sched.h>

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/check.h"
#include "sim/fatal_report.h"

namespace weft::sim {
namespace {

struct Finished {
  RunPlan plan;
  RunResult run;
};

// The state the workers share; every field is guarded by `mutex`.
class Coordinator {
 public:
  Coordinator(Strategy& strategy, const ParallelRunsSetup& setup)
      : strategy_(strategy), setup_(setup),
        window_(setup.window_per_job * setup.jobs) {}

  void work() {
    std::shared_ptr<void> scope =
        setup_.worker_setup ? setup_.worker_setup() : nullptr;
    std::unique_ptr<FatalReporter> reporter =
        setup_.make_reporter ? setup_.make_reporter() : nullptr;
    try {
      while (std::optional<std::pair<std::uint64_t, RunPlan>> next = take()) {
        RunResult run =
            setup_.execute(next->second, reporter.get(), next->first + 1);
        finish(next->first, Finished{std::move(next->second), std::move(run)});
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stopped_ = true;
      more_.notify_all();
    }
  }

  void rethrow_error() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  // The next plan and its index, or nullopt when the sweep is over for
  // this worker.
  std::optional<std::pair<std::uint64_t, RunPlan>> take() {
    std::unique_lock<std::mutex> lock(mutex_);
    more_.wait(lock, [this] {
      return stopped_ || drained_ || next_index_ < next_commit_ + window_;
    });
    if (stopped_ || drained_) return std::nullopt;
    // Plans come from the strategy in order, one caller at a time, so a
    // plan's index is its position in the serial sweep.
    std::optional<RunPlan> plan = strategy_.next_run();
    if (!plan) {
      drained_ = true;
      more_.notify_all();
      return std::nullopt;
    }
    return std::pair{next_index_++, std::move(*plan)};
  }

  void finish(std::uint64_t index, Finished finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;  // an earlier run failed: this one never counts
    waiting_.emplace(index, std::move(finished));
    // Commit every run whose predecessors are all committed.
    while (!stopped_ && !waiting_.empty() &&
           waiting_.begin()->first == next_commit_) {
      auto node = waiting_.extract(waiting_.begin());
      ++next_commit_;
      if (!setup_.commit(node.mapped().plan, node.mapped().run)) {
        stopped_ = true;
        waiting_.clear();
      }
    }
    WEFT_CHECK_LE(waiting_.size(), window_);
    more_.notify_all();
  }

  Strategy& strategy_;
  const ParallelRunsSetup& setup_;
  const std::uint64_t window_;
  std::mutex mutex_;
  std::condition_variable more_;
  std::uint64_t next_index_ = 0;   // of the next plan handed out
  std::uint64_t next_commit_ = 0;  // of the oldest run not committed
  bool drained_ = false;           // the strategy has no plan left
  bool stopped_ = false;           // a commit said stop, or a run threw
  std::map<std::uint64_t, Finished> waiting_;
  std::exception_ptr error_;
};

}  // namespace

void run_plans_in_parallel(Strategy& strategy, const ParallelRunsSetup& setup) {
  WEFT_CHECK(setup.jobs >= 1, "a parallel sweep needs a worker");
  WEFT_CHECK(setup.window_per_job >= 1, "workers may run ahead by one run at least");
  Coordinator coordinator(strategy, setup);
  std::vector<std::thread> workers;
  workers.reserve(setup.jobs);
  for (std::uint32_t i = 0; i < setup.jobs; ++i) {
    workers.emplace_back([&coordinator] { coordinator.work(); });
  }
  for (std::thread& worker : workers) worker.join();
  coordinator.rethrow_error();
}

std::uint32_t default_jobs() noexcept {
  // The CPUs this process may run on (taskset, container limits), which
  // hardware_concurrency() does not see.
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  int count = 0;
  if (::sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
    count = CPU_COUNT(&allowed);
  }
  if (count <= 0) count = static_cast<int>(std::thread::hardware_concurrency());
  if (count <= 0) count = 1;
  return static_cast<std::uint32_t>(count > 64 ? 64 : count);
}

}  // namespace weft::sim
