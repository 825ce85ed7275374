#include "runtime/thread_parker.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace weft {

struct ThreadParker::Shared {
  std::atomic<std::uint32_t> references{1};
  std::mutex mutex;
  std::condition_variable woken_changed;
  bool woken = false;

  static Shared* from(const void* data) {
    return static_cast<Shared*>(const_cast<void*>(data));
  }
  void release() {
    // Acquire-release: the last drop sees every use before deleting.
    if (references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      woken = true;
    }
    woken_changed.notify_one();
  }
};

namespace {

extern const WakerVTable kParkerVTable;

RawWaker clone_parker(const void* data) {
  // Relaxed: a new reference is made from one the caller holds.
  ThreadParker::Shared::from(data)->references.fetch_add(
      1, std::memory_order_relaxed);
  return RawWaker{data, &kParkerVTable};
}
void wake_parker_by_ref(const void* data) {
  ThreadParker::Shared::from(data)->wake();
}
void wake_parker(const void* data) {
  wake_parker_by_ref(data);
  ThreadParker::Shared::from(data)->release();
}
void drop_parker(const void* data) {
  ThreadParker::Shared::from(data)->release();
}

const WakerVTable kParkerVTable{&clone_parker, &wake_parker,
                                &wake_parker_by_ref, &drop_parker};

}  // namespace

ThreadParker::ThreadParker() : shared_(new Shared) {}
ThreadParker::~ThreadParker() { shared_->release(); }

Waker ThreadParker::waker() const {
  return Waker::from_raw(clone_parker(shared_));
}

void ThreadParker::park() {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->woken_changed.wait(lock, [this] { return shared_->woken; });
  shared_->woken = false;
}

}  // namespace weft
