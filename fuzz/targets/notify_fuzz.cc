// Notify with cancellable waiters: a notify_one() that finds a waiter is
// never lost, even when the waiter it chose is cancelled before it runs
// (the notification passes on). Notifications are only sent while someone
// waits, since Notify keeps at most one stored permit by design.
#include <utility>

#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;

// Counts a task as alive for as long as its frame exists (it is a
// parameter, so it goes with the frame even if the body never started).
class Alive {
 public:
  explicit Alive(int* count) : count_(count) {}
  Alive(Alive&& other) noexcept
      : count_(std::exchange(other.count_, nullptr)) {}
  Alive(const Alive&) = delete;
  ~Alive() {
    if (count_ != nullptr) --*count_;
  }

 private:
  int* count_;
};

Async<void> scenario() {
  constexpr int kRounds = 4;
  constexpr int kExtraWaiters = 3;
  weft::Notify notify;
  int alive = 1 + kExtraWaiters;
  int received = 0;
  auto consumer = weft::spawn(
      [](Alive, weft::Notify* notify, int* received) -> Async<void> {
        for (int i = 0; i < kRounds; ++i) {
          co_await notify->notified();
          ++*received;
        }
      }(Alive(&alive), &notify, &received));
  for (int i = 0; i < kExtraWaiters; ++i) {
    weft::sim::spawn_cancellable(
        [](Alive, weft::Notify* notify) -> Async<void> {
          co_await notify->notified();
        }(Alive(&alive), &notify))
        .detach();
  }
  while (alive > 0) {
    if (notify.waiter_count() > 0) notify.notify_one();
    co_await weft::yield_now();
  }
  co_await std::move(consumer);
  WEFT_ASSERT_EQ(received, kRounds);
}

}  // namespace

WEFT_FUZZ_SCENARIO(notify_fuzz, scenario, weft::sim::SimOptions{})
