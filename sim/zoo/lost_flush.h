// A write-behind log: push() buffers an item and starts a flusher task if
// none is running; the flusher writes items to the sink one at a time,
// then syncs the sink and stops. The bug: it decides the buffer is empty
// before the sync and clears its "running" flag after it, so an item
// pushed during the sync finds a flusher still running, starts none, and
// is never written. Nobody waits for a push, so nothing deadlocks and no
// assertion fails: the run just ends with the item still buffered. Only a
// liveness property ("every pushed item is flushed within 50 ms") sees it.
// The fixed twin looks at the buffer again after the sync and stops only
// when it is still empty, with no await between that look and the flag.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_handle.h"
#include "runtime/time/sleep.h"
#include "sim/core/eventually.h"

namespace weft::zoo {

template <bool kFixed>
class WriteBehindLog {
 public:
  void push(int item) {
    buffer_.push_back(item);
    if (running_) return;
    running_ = true;
    // A flusher is started only when none runs, so one it replaces has
    // finished.
    flusher_.emplace(spawn(flush()));
  }

  std::size_t written() const { return sink_.size(); }

  // Waits for the flusher to finish, so that it never outlives the log.
  Async<void> close() {
    if (flusher_) co_await std::move(*flusher_);
    flusher_.reset();
  }

 private:
  Async<void> flush() {
    for (;;) {
      while (!buffer_.empty()) {
        const int item = buffer_.front();
        buffer_.pop_front();
        co_await sleep_for(std::chrono::milliseconds(1));  // the write
        sink_.push_back(item);
      }
      co_await sleep_for(std::chrono::milliseconds(1));  // the sync
      if (!kFixed || buffer_.empty()) break;
    }
    running_ = false;
  }

  std::deque<int> buffer_;
  std::vector<int> sink_;
  bool running_ = false;
  std::optional<JoinHandle<void>> flusher_;
};

template <bool kFixed>
Async<void> lost_flush_scenario() {
  WriteBehindLog<kFixed> log;
  // A second writer pushes after 2 ms: at the same instant as the first
  // item's sync ends, or as it begins (timer ties decide).
  auto later = spawn([](WriteBehindLog<kFixed>* log) -> Async<void> {
    co_await sleep_for(std::chrono::milliseconds(2));
    log->push(2);
  }(&log));
  co_await sleep_for(std::chrono::milliseconds(1));
  log.push(1);
  co_await std::move(later);
  co_await sim::eventually([&log] { return log.written() == 2; },
                           "every pushed item is written",
                           std::chrono::milliseconds(50));
  co_await log.close();
}

}  // namespace weft::zoo
