// weft::fs::BlockingPool and blocking(): a pool of OS threads that runs
// blocking system calls (pread, fsync, rename, ...) off the executor's
// thread, and the future that waits for one. It is how RealFileSystem does
// file I/O, as tokio::fs does: the kernel's file calls do not wait on
// readiness, so an event loop cannot poll them.
//
// A job owns everything it touches (its buffers, the file descriptor's
// holder): a future dropped while its job runs only forgets to wait, and
// the job finishes on its own. With zero threads each job runs inline, in
// the poll that starts it (a blocking call on the executor's thread, for
// tools and tests that want no threads).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/fs/completion.h"
#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/future/waker.h"

namespace weft::fs {

class BlockingPool {
 public:
  explicit BlockingPool(unsigned threads);
  // Finishes the jobs already queued, then joins the threads.
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  bool is_inline() const noexcept { return workers_.empty(); }
  void submit(std::function<void()> job);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// A future whose Output is what `job` returns, run on `pool`.
template <typename R, typename Job>
class Blocking {
 public:
  using Output = R;
  Blocking(BlockingPool& pool, Job job) : pool_(&pool), job_(std::move(job)) {}
  Blocking(Blocking&&) noexcept = default;

  Poll<R> poll(Context& cx) {
    if (pool_->is_inline()) return job_();
    if (state_ == nullptr) {
      state_ = std::make_shared<Completion<R>>(cx.waker());
      pool_->submit([state = state_, job = std::move(job_)]() mutable {
        state->complete(job());
      });
      return kPending;
    }
    return state_->take(cx);
  }

 private:
  BlockingPool* pool_;
  Job job_;
  std::shared_ptr<Completion<R>> state_;
};

template <typename Job>
auto blocking(BlockingPool& pool, Job job) {
  return Blocking<std::invoke_result_t<Job&>, Job>(pool, std::move(job));
}

}  // namespace weft::fs
