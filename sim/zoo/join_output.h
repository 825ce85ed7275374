// A task's result handed back through its join state, as a runtime's task
// harness does: a worker thread runs the task, stores its output, then
// marks the state complete; the awaiting task checks the state with an
// acquire load (JoinHandle::is_finished) and, once complete, reads the
// output.
//
// The bug: the worker marks the state complete with a relaxed store, so
// the acquire load that sees "complete" synchronizes with nothing and the
// output may still read as the value before the worker's store (a weakly
// ordered CPU shows it; x86 hides it). Only the memory model's older-store
// reads find it. The fixed twin marks the state with a release store.
#pragma once

#include <cstdint>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/yield_now.h"
#include "runtime/seam/assert.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
class JoinState {
 public:
  // On the worker thread, once the task has produced `value`.
  void complete(std::uint64_t value) {
    output_.store(value, std::memory_order_relaxed);
    state_.store(kComplete, kFixed ? std::memory_order_release
                                   : std::memory_order_relaxed);
  }
  bool is_finished() const {
    return state_.load(std::memory_order_acquire) == kComplete;
  }
  // Only after is_finished() returned true.
  std::uint64_t output() const {
    return output_.load(std::memory_order_relaxed);
  }

 private:
  static constexpr std::uint32_t kRunning = 0;
  static constexpr std::uint32_t kComplete = 1;
  sync::atomic<std::uint32_t> state_{kRunning};
  sync::atomic<std::uint64_t> output_{0};
};

template <bool kFixed>
Async<void> join_output_scenario() {
  JoinState<kFixed> join;
  sync::thread worker([&join] { join.complete(42); });
  // The awaiting task does other work between its checks.
  while (!join.is_finished()) co_await yield_now();
  WEFT_ASSERT_EQ(join.output(), std::uint64_t{42});
  worker.join();
}

}  // namespace weft::zoo
