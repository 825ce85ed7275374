#include "sim/sweep/parallel_runs.h"

#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/seam/check.h"
#include "sim/report/fatal_handlers.h"
#include "sim/report/fatal_report.h"

namespace weft::sim {
namespace {

struct Claimed {
  std::uint64_t index;
  RunPlan plan;
};

struct Finished {
  RunPlan plan;
  RunResult run;
};

// How many plans a worker claims at once: one lock round trip per batch
// instead of per run matters when a run takes microseconds; long runs are
// claimed one at a time so the threads finish together. Decided from the
// last run's steps (never from a clock), and it only changes which thread
// runs a plan, never a result.
std::size_t batch_after(std::uint64_t steps) {
  constexpr std::uint64_t kStepsPerBatch = 512;
  constexpr std::uint64_t kBatchMax = 32;
  const std::uint64_t batch = kStepsPerBatch / (steps + 1);
  return static_cast<std::size_t>(batch < 1           ? 1
                                  : batch > kBatchMax ? kBatchMax
                                                      : batch);
}

// The state the workers share; every field is guarded by `mutex_`.
class Coordinator {
 public:
  Coordinator(Strategy& strategy, const ParallelRunsSetup& setup)
      : strategy_(strategy),
        setup_(setup),
        window_(setup.window_per_job * setup.jobs),
        running_(new RunningThread[setup.jobs]) {
    set_running_threads(running_.get(), setup.jobs);
  }
  ~Coordinator() { set_running_threads(nullptr, 0); }
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  void work(std::uint32_t worker) {
    RunningThread& running = running_[worker];
    running.thread = ::pthread_self();
    running.started.store(true);
    std::shared_ptr<void> scope =
        setup_.worker_setup ? setup_.worker_setup() : nullptr;
    std::unique_ptr<FatalReporter> reporter =
        setup_.make_reporter ? setup_.make_reporter() : nullptr;
    std::vector<Claimed> claimed;
    std::vector<std::pair<std::uint64_t, Finished>> finished;
    std::size_t batch = 1;
    try {
      while (take(batch, claimed)) {
        for (Claimed& next : claimed) {
          // A failure elsewhere makes the rest of this batch pointless.
          if (stop_hint_.load(std::memory_order_relaxed)) break;
          // For a SIGTERM (a timeout) landing elsewhere: who runs what.
          running.run_index.store(next.index);
          RunResult run =
              setup_.execute(next.plan, reporter.get(), next.index + 1);
          running.run_index.store(RunningThread::kIdle);
          batch = batch_after(run.steps);
          finished.emplace_back(next.index,
                                Finished{std::move(next.plan), std::move(run)});
        }
        claimed.clear();
        finish(finished);
        finished.clear();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stop();
    }
  }

  void rethrow_error() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  // Claims up to `batch` plans in order (fewer near the window's end);
  // false when the sweep is over for this worker.
  bool take(std::size_t batch, std::vector<Claimed>& claimed) {
    std::unique_lock<std::mutex> lock(mutex_);
    more_.wait(lock, [this] {
      return stopped_ || drained_ || next_index_ < next_commit_ + window_;
    });
    if (stopped_ || drained_) return false;
    // Plans come from the strategy in order, one caller at a time, so a
    // plan's index is its position in the serial sweep.
    while (claimed.size() < batch && next_index_ < next_commit_ + window_) {
      std::optional<RunPlan> plan = strategy_.next_run();
      if (!plan) {
        drained_ = true;
        more_.notify_all();
        break;
      }
      claimed.push_back(Claimed{next_index_++, std::move(*plan)});
    }
    return !claimed.empty();
  }

  void finish(std::vector<std::pair<std::uint64_t, Finished>>& finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;  // an earlier run failed: these never count
    for (auto& [index, run] : finished) waiting_.emplace(index, std::move(run));
    // Commit every run whose predecessors are all committed.
    while (!stopped_ && !waiting_.empty() &&
           waiting_.begin()->first == next_commit_) {
      auto node = waiting_.extract(waiting_.begin());
      ++next_commit_;
      if (!setup_.commit(node.mapped().plan, node.mapped().run)) stop();
    }
    WEFT_CHECK_LE(waiting_.size(), window_);
    more_.notify_all();
  }

  // mutex_ held.
  void stop() {
    stopped_ = true;
    stop_hint_.store(true, std::memory_order_relaxed);
    waiting_.clear();
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
  // stopped_, readable without the lock (relaxed: only a hint to skip
  // work; the lock decides what counts).
  std::atomic<bool> stop_hint_{false};
  std::map<std::uint64_t, Finished> waiting_;
  std::exception_ptr error_;
  std::unique_ptr<RunningThread[]> running_;  // one per worker
};

}  // namespace

void run_plans_in_parallel(Strategy& strategy, const ParallelRunsSetup& setup) {
  WEFT_CHECK(setup.jobs >= 1, "a parallel sweep needs a worker");
  WEFT_CHECK(setup.window_per_job >= 1,
             "workers may run ahead by one run at least");
  Coordinator coordinator(strategy, setup);
  std::vector<std::thread> workers;
  workers.reserve(setup.jobs);
  for (std::uint32_t i = 0; i < setup.jobs; ++i) {
    workers.emplace_back([&coordinator, i] { coordinator.work(i); });
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
