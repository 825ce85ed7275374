// Semaphore with mixed request sizes and cancellation: never more permits
// out than exist, and every permit comes back.
#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;

constexpr std::size_t kPermits = 3;

struct Shared {
  weft::Semaphore semaphore{kPermits};
  std::size_t out = 0;
};

// Counts permits out for as long as it lives, so a cancelled holder (whose
// frame is dropped mid-way) gives its count back with its permit.
class Holding {
 public:
  Holding(Shared* shared, std::size_t count) : shared_(shared), count_(count) {
    shared_->out += count_;
  }
  Holding(const Holding&) = delete;
  ~Holding() { shared_->out -= count_; }

 private:
  Shared* shared_;
  std::size_t count_;
};

Async<void> user(Shared* shared, std::size_t count) {
  std::optional<weft::SemaphorePermit> permit =
      co_await shared->semaphore.acquire(count);
  WEFT_ASSERT(permit.has_value(), "the semaphore is never closed here");
  Holding holding(shared, count);
  WEFT_ASSERT(shared->out <= kPermits, "more permits out than exist");
  co_await weft::yield_now();
}

Async<void> scenario() {
  Shared shared;
  std::vector<weft::JoinHandle<void>> users;
  for (std::size_t i = 0; i < 6; ++i) {
    const std::size_t count = 1 + i % kPermits;
    users.push_back(i % 3 == 0
                        ? weft::sim::spawn_cancellable(user(&shared, count))
                        : weft::spawn(user(&shared, count)));
  }
  for (auto& handle : users) {
    try {
      co_await std::move(handle);
    } catch (const weft::TaskCancelled&) {
    }
  }
  WEFT_ASSERT_EQ(shared.semaphore.available_permits(), kPermits);
  WEFT_ASSERT_EQ(shared.semaphore.waiter_count(), 0u);
}

}  // namespace

WEFT_FUZZ_SCENARIO(semaphore_fuzz, scenario, weft::sim::SimOptions{})
