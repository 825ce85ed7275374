#include "runtime/executors/thread_parker.h"

#include <cstdint>

#include "runtime/seam/check.h"
#include "runtime/sync/atomic.h"
#include "runtime/sync/mutex.h"
#include "runtime/sync/spin_pause.h"
#include "runtime/sync/thread.h"

namespace weft {

// `state` says whether a wake is waiting and whether the owner sleeps, so
// a wake to an owner that is awake (spinning or busy) is one atomic
// exchange, and only a wake to a sleeping owner takes the lock and the
// condition variable. weft::sync, so the simulator can run it on simulated
// threads (block_on from a simulated thread).
struct ThreadParker::Shared {
  static constexpr std::uint32_t kEmpty = 0;
  static constexpr std::uint32_t kNotified = 1;
  static constexpr std::uint32_t kSleeping = 2;

  sync::atomic<std::uint32_t> references{1};
  sync::atomic<std::uint32_t> state{kEmpty};
  sync::mutex mutex;
  sync::condition_variable woken;

  static Shared* from(const void* data) {
    return static_cast<Shared*>(const_cast<void*>(data));
  }
  void release() {
    // Acquire-release: the last drop sees every use before deleting.
    if (references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  void wake() {
    // Release: what the waker did before waking is visible to the owner
    // once it sees kNotified (its exchange or CAS acquires).
    if (state.exchange(kNotified, std::memory_order_release) != kSleeping) {
      return;
    }
    // The owner sleeps (or is about to): taking the lock orders this
    // notify after its wait began, so the notify is not lost.
    { sync::lock_guard lock(mutex); }
    woken.notify_one();
  }
  bool take_wake() {
    std::uint32_t expected = kNotified;
    // Acquire: pairs with the release in wake().
    return state.compare_exchange_strong(
        expected, kEmpty, std::memory_order_acquire, std::memory_order_relaxed);
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
  Shared& shared = *shared_;
  // A wake usually follows soon after a park on a pool with idle workers:
  // look for it for a moment before sleeping.
  const int spins = sync::spin_limit(kSpinsBeforeSleep);
  for (int i = 0; i < spins; ++i) {
    if (shared.take_wake()) return;
    sync::spin_loop_hint();
  }
  sync::unique_lock lock(shared.mutex);
  std::uint32_t expected = Shared::kEmpty;
  // Acquire on failure: a wake that arrived meanwhile is consumed below.
  if (!shared.state.compare_exchange_strong(expected, Shared::kSleeping,
                                            std::memory_order_acquire,
                                            std::memory_order_acquire)) {
    WEFT_CHECK_EQ(expected, Shared::kNotified);
    shared.state.store(Shared::kEmpty, std::memory_order_relaxed);
    return;
  }
  // Spurious wake-ups leave the state at kSleeping: wait again.
  shared.woken.wait(lock, [&shared] { return shared.take_wake(); });
}

}  // namespace weft
